import ArgumentParser
import DUNESupport
import DataPlane
import Foundation
import P4
import P4Toolchain
import Steps
import Traffic

/// `dune p4 bmv2`: the chain's generated programs in real bmv2, timed like the capture, with the
/// controller, compared packet by packet with the chain emulator.
struct P4BMv2: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bmv2",
    abstract:
      "Run a chain's generated P4 in bmv2 simple_switch (capture timing, controller) and compare with the emulator.",
    discussion: """
      Needs p4c-bm2-ss, simple_switch and simple_switch_CLI (DUNE_P4TOOLS_BIN, else $P4TOOLS/install/bin, else
      ~/p4tools/install/bin) and /usr/bin/python3 with thrift. The programs are regenerated from --chain (the
      dataplane step writes <results>/06-data-plane/dataplane/chain/chain.json, and downstream.json and
      monolithic.json beside it for --downstream and --monolithic; when the p4/ folder of that run lies beside
      chain/, the regenerated bmv2 programs and command files must equal its files) and compiled as replay
      builds (-DDUNE_REPLAY_TIME: the capture time travels in a header before Ethernet and is the switches'
      clock). The replay is the use case's test captures merged in time order (--use-case, --data), or packet
      CSVs (--packets). Exit status 0 when every packet leaves the last switch with the emulator's class and
      flags and every switch's digest count agrees, 1 otherwise. --record writes the run as JSON for chapter 06.
      """)

  @Option(help: "Chain description JSON.") var chain: String
  @Option(name: .customLong("use-case"), help: "Use case whose test captures are replayed (name or JSON file).")
  var useCase: String?
  @Option(help: "The use case's data folder (default: its own folder; synthetic: generated under .dune/datasets).")
  var data: String?
  @Option(parsing: .upToNextOption, help: "Packet CSV captures to replay instead of a use case's test captures.")
  var packets: [String] = []
  @Flag(help: "Also run the chain with downstream-only Other described beside the chain (downstream.json).")
  var downstream = false
  @Flag(help: "Also run the monolithic switch described beside the chain (monolithic.json).") var monolithic = false
  @Option(help: "Write the run's record here (JSON), e.g. toolchain/<use-case>/bmv2.json.") var record: String?
  @Option(help: "Keep the working files (programs, bmv2 JSON, frames, switch logs) in this folder.") var work: String?
  @Option(help: "The driver script (default: scripts/bmv2-chain.py of this source tree).") var driver: String?

  /// One system to run: its switches, the emulator's stages and settings.
  struct System {
    var name: String
    var switches: [BMv2Switch]
    var compiled: [CompiledSubModel]
    var config: ChainEmulatorConfig
  }

  func run() async throws {
    try await reportingErrors {
      let chainDir = (chain as NSString).deletingLastPathComponent
      var systems = [try Self.system(name: "chain", specPath: chain)]
      for (name, wanted) in [("downstream", downstream), ("monolithic", monolithic)] where wanted {
        let path = (chainDir as NSString).appendingPathComponent(name + ".json")
        guard FileManager.default.fileExists(atPath: path) else {
          throw LocatedError(file: path, "--\(name): no \(name).json beside the chain")
        }
        systems.append(try Self.system(name: name, specPath: path))
      }
      // A chain written by the dataplane step: its p4/ folder must hold exactly these programs.
      let p4Dir = ((chainDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("p4")
      if FileManager.default.fileExists(atPath: p4Dir) {
        for sw in systems.flatMap(\.switches) {
          for (file, text) in [(sw.programPath, sw.programText), (sw.commandsPath, sw.commandsText)] {
            let path = (p4Dir as NSString).appendingPathComponent(file)
            guard let disk = try? String(contentsOfFile: path, encoding: .utf8), disk == text else {
              throw LocatedError(file: path, "differs from the file generated from \(chain) (or is missing)")
            }
          }
        }
        printOut("\(systems.flatMap(\.switches).count) bmv2 programs and command files equal those in \(p4Dir)")
      }
      let replay = try loadReplay(slotHash: try ChainSpec.load(path: chain).slotHash ?? .crc16)
      guard let tools = P4Tools.locate(), P4Tools.missing([.p4cBMv2, .simpleSwitch, .simpleSwitchCLI]) == nil else {
        throw UsageError(
          P4Tools.missing([.p4cBMv2, .simpleSwitch, .simpleSwitchCLI]) ?? "the P4 toolchain is not installed")
      }
      var entries: [BMv2Record.System] = []
      var versions: [String: String] = [:]
      for tool in [P4Tools.Tool.p4cBMv2, .simpleSwitch] { versions[tool.rawValue] = tools.version(of: tool) }
      var allAgree = true
      for s in systems {
        var cfg = s.config
        cfg.recordPackets = true
        let expected = try ChainEmulator(stages: s.compiled.map(ChainStage.init), config: cfg).run(replay)
        var bmv2 = BMv2Replay(
          switches: s.switches, controllerPeriodPackets: cfg.controllerPeriodPackets, tools: tools,
          driver: driver ?? BMv2Replay.defaultDriver)
        bmv2.workDirectory = work.map { ($0 as NSString).appendingPathComponent(s.name) }
        printOut("\(s.name): \(s.switches.count) switch(es), \(replay.packets.count) packets, running bmv2 ...")
        let output = try bmv2.run(replay.packets)
        let a = BMv2Agreement.compare(output, expected: expected, replay: replay)
        for m in a.firstMismatches { printOut("  " + m) }
        printOut(
          "\(s.name): \(a.mismatches) of \(a.packets) packets (\(a.flows) flows) differ from the emulator "
            + "(\(NumberFormat.fixed(a.share * 100, 4)) % agree); digests per switch bmv2 \(a.digests), "
            + "emulator \(a.emulatorDigests)")
        printOut(
          "  entries loaded \(output.entries.reduce(0, +)); controller: \(output.flowEntries) flow entries "
            + "(\(output.duplicateFlowEntries) kept from an earlier decision), \(output.registerWrites) register cells zeroed, "
            + "\(output.batches) batches of \(cfg.controllerPeriodPackets)")
        printOut(
          "  compile \(NumberFormat.fixed(output.compileSeconds, 1)) s, start and load \(NumberFormat.fixed(output.loadSeconds, 1)) s, "
            + "packets \(NumberFormat.fixed(output.packetSeconds, 1)) s "
            + "(\(NumberFormat.fixed(output.packetSeconds * 1e6 / Double(max(a.packets, 1)), 1)) µs per packet)")
        allAgree = allAgree && a.agrees
        entries.append(
          BMv2Record.system(
            name: s.name, switches: s.switches, output: output, agreement: a,
            controllerPeriodPackets: cfg.controllerPeriodPackets))
      }
      if let path = record {
        let r = BMv2Record(
          useCase: packets.isEmpty ? useCase : nil, date: BMv2Record.date(), tools: versions, systems: entries)
        try AtomicFile.write(try r.jsonText(), to: path)
        printOut(path)
      }
      if !allAgree { throw ExitCode(1) }
    }
  }

  /// A chain description's switches (named like the dataplane step names them) and emulator settings.
  static func system(name: String, specPath: String) throws -> System {
    let spec = try ChainSpec.load(path: specPath)
    try checkChainForP4(spec, path: specPath)
    let compiled = try spec.compile(relativeTo: specPath)
    let config = spec.emulatorConfig
    let options = P4BuildOptions(registerSize: config.slots)
    let generated: [P4SwitchOutput]
    if name == "monolithic" {
      guard compiled.count == 1 else { throw LocatedError(file: specPath, "a monolithic switch has one sub-model") }
      generated = [
        try P4Generator.generate(switchName: "monolithic", model: compiled[0], targets: [.bmv2], options: options)
      ]
    } else {
      generated = try P4Generator.generate(chain: compiled, targets: [.bmv2], options: options)
    }
    var switches = try generated.map(BMv2Switch.init)
    // The dataplane step writes a second chain's programs under p4/<variant>/.
    if name != "chain" && name != "monolithic" {
      for i in switches.indices { switches[i].folder = name + "/" }
    }
    return System(name: name, switches: switches, compiled: compiled, config: config)
  }

  /// The packets to replay: CSV captures, or the use case's labelled test captures, merged by time.
  func loadReplay(slotHash: SlotHash) throws -> Replay {
    if !packets.isEmpty {
      guard useCase == nil else { throw UsageError("give --use-case or --packets, not both") }
      return Replay(captures: try packets.map { try PacketCSV.read(path: $0) }, slotHash: slotHash)
    }
    guard let name = useCase else { throw UsageError("give --use-case (with --data) or --packets") }
    let u = try UseCase.resolve(name)
    let folder: String
    if let d = data {
      folder = d
    } else if let d = u.dataFolder {
      folder = d
    } else if let p = u.synthetic {
      folder = try SyntheticDataset.ensure(p)
    } else {
      throw UsageError(u.missingDataMessage)
    }
    return Replay(captures: try ChainReplay.testCaptures(useCase: u, dataFolder: folder), slotHash: slotHash)
  }
}
