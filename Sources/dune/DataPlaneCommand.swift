import ArgumentParser
import DUNESupport
import DataPlane
import Forest
import Foundation
import Traffic

/// `dune dataplane …`: compile forests to match-action tables, verify them, emulate a switch chain.
struct DataPlaneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dataplane",
    abstract: "Compile forests into match-action tables, verify them, emulate a switch chain.",
    subcommands: [DataPlaneCompile.self, DataPlaneVerify.self, DataPlaneEmulate.self, DataPlaneMonolithic.self])
}

extension VoteTieRule: ExpressibleByArgument {}
extension EncodingMode: ExpressibleByArgument {}

/// Options shared by `compile` and `verify`.
struct CompileFlags: ParsableArguments {
  @Option(name: .customLong("n"), help: "Inference point N.") var n: Int = 3
  @Option(help: "Chain position (model id, 1-based).") var modelID: Int = 1
  @Option(help: "Class-id offset (own classes of the sub-models before this one).") var offset: Int = 0
  @Option(help: "Vote tie rule: other, lowestClass, treeZero.") var tieRule: VoteTieRule = .other
  @Option(help: "Encoding: canonical or referenceSentinel.") var encoding: EncodingMode = .canonical
  @Option(help: "Quantise the four ns time features to bits [31:SHIFT] (0 = none).") var timeShift: Int = 0
  @Option(help: "Largest voting table before the strict-majority fallback.") var voteBudget: Int = 65_536

  func options(name: String) -> CompileOptions {
    CompileOptions(
      name: name, modelID: modelID, inferencePoint: n, classOffset: offset,
      scheme: EncodingScheme(mode: encoding, timeQuantisation: timeShift > 0 ? .uniform(shift: timeShift) : .none),
      tieRule: tieRule, voteBudget: voteBudget)
  }
}

/// Compiles a model with errors located at the model file.
func compileModel(path: String, flags: CompileFlags) throws -> (ForestModel, CompiledSubModel) {
  let model = try ForestModelFile.load(path: path)
  let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
  do {
    return (model, try TableCompiler.compile(model, options: flags.options(name: name)))
  } catch let e as UsageError {
    throw LocatedError(file: path, e.message)
  }
}

struct DataPlaneCompile: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile",
    abstract: "Compile a ForestModel JSON into tables (tables.json, resources.json, summary.txt).")

  @Option(help: "ForestModel JSON file.") var model: String
  @OptionGroup var flags: CompileFlags
  @Option(help: "Output folder.") var out: String

  mutating func run() async throws {
    try await reportingErrors {
      let (_, compiled) = try compileModel(path: model, flags: flags)
      let estimate = ResourceModel.estimate(compiled)
      let summary = CompiledSummary.text(compiled, estimate)
      let dir = URL(fileURLWithPath: out)
      try AtomicFile.write(try DeterministicJSON.text(compiled), to: dir.appendingPathComponent("tables.json").path)
      try AtomicFile.write(try DeterministicJSON.text(estimate), to: dir.appendingPathComponent("resources.json").path)
      try AtomicFile.write(summary, to: dir.appendingPathComponent("summary.txt").path)
      printOut(summary)
    }
  }
}

struct DataPlaneVerify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Table lookup versus the model's hard vote on every sample row (exit 1 below 100 %).")

  @Option(help: "ForestModel JSON file.") var model: String
  @Option(help: "Sample CSV holding the model's feature columns (values already quantised).") var samples: String
  @OptionGroup var flags: CompileFlags

  mutating func run() async throws {
    try await reportingErrors {
      let (forest, compiled) = try compileModel(path: model, flags: flags)
      let rows = try TableVerification.rows(from: try CSVTable.read(path: samples), features: forest.features)
      let v = TableVerification.run(model: forest, compiled: compiled, rows: rows)
      printOut("rows: \(v.rows)")
      printOut("code-table entry = traversal leaf (per tree): \(v.treeLeafAgreements)/\(v.treeLeafComparisons)")
      printOut(
        "table lookup = hard vote (tie rule \(flags.tieRule.rawValue)): \(v.hardVoteAgreements)/\(v.rows) = "
          + NumberFormat.fixed(100 * v.hardVoteAgreement, 4) + " %")
      printOut(
        "table lookup = soft vote (reported): \(v.softVoteAgreements)/\(v.rows) = "
          + NumberFormat.fixed(100 * v.softVoteAgreement, 4) + " %")
      printOut("rows with a saturating encoding: \(v.saturatedRows)")
      if !v.firstMismatches.isEmpty {
        printOut(
          "first mismatching data rows (1-based, header excluded): "
            + v.firstMismatches.map { String($0 + 1) }.joined(separator: ", "))
      }
      if v.hardVoteAgreements != v.rows || v.treeLeafAgreements != v.treeLeafComparisons { throw ExitCode(1) }
    }
  }
}

struct DataPlaneEmulate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emulate",
    abstract: "Replay packet CSV captures through a chain of switches and score the chained result.",
    discussion: "Chain file: see ChainSpec (Sources/DataPlane/ChainSpec.swift). Packet CSV: see PacketCSV.")

  @Option(help: "Chain description JSON.") var chain: String
  @Option(parsing: .upToNextOption, help: "Packet CSV captures (one per file, interleaved by time).") var data: [String]
  @Flag(help: "Print the report as JSON.") var json = false
  @Option(help: "Override the register slot count.") var slots: Int?
  @Option(help: "Override the controller's polling period in packets.") var controllerPeriod: Int?
  @Option(help: "Also write one CSV row per packet (replay order) to this file.") var perPacket: String?

  mutating func run() async throws {
    try await reportingErrors {
      guard !data.isEmpty else { throw UsageError("--data needs at least one packet CSV") }
      let spec = try ChainSpec.load(path: chain)
      let compiled = try spec.compile(relativeTo: chain)
      var config = spec.emulatorConfig
      if let slots { config.slots = slots }
      if let controllerPeriod { config.controllerPeriodPackets = controllerPeriod }
      config.recordPackets = perPacket != nil
      let emulator: ChainEmulator
      do {
        emulator = try ChainEmulator(stages: compiled.map(ChainStage.init), config: config)
      } catch let e as UsageError {
        throw LocatedError(file: chain, e.message)
      }
      let replay = Replay(captures: try data.map { try PacketCSV.read(path: $0) }, slotHash: spec.slotHash ?? .crc16)
      let run = emulator.run(replay)
      let report = run.report
      if let perPacket {
        try AtomicFile.write(EmulationSummary.perPacketCSV(run, replay: replay), to: perPacket)
      }
      if json {
        printOut(try DeterministicJSON.text(report).trimmingCharacters(in: .newlines))
      } else {
        printOut(EmulationSummary.text(report))
        for c in compiled {
          let e = ResourceModel.estimate(c)
          let fit: String
          switch e.fit {
          case .fits: fit = "fits Tofino-1"
          case .exceeds(let v): fit = "DOES NOT FIT Tofino-1 (" + v.map(\.description).joined(separator: "; ") + ")"
          }
          printOut(
            "resources \(c.name): \(e.tcamBlocks) TCAM / \(e.sramBlocks) SRAM blocks, ≈ \(e.stages) stages, "
              + "reference TCAM \(NumberFormat.fixed(100 * e.referenceTCAMShare, 2)) % — \(fit)")
        }
      }
    }
  }
}

/// Readable text of a chain report.
enum EmulationSummary {
  /// One row per packet: index, capture, flow, label, final class id and name, type, collision.
  static func perPacketCSV(_ run: ChainRun, replay: Replay) -> String {
    var w = CSVWriter()
    w.row(["packet", "capture", "flow_id", "label", "class_id", "class", "type", "collision"])
    let names = run.report.classNames
    for i in run.packetClass.indices {
      let f = Int(replay.flowOfPacket[i])
      let c = Int(run.packetClass[i])
      let flags = run.packetFlags[i]
      w.row([
        String(i), replay.captureNames[replay.flowCapture[f]], replay.flowTuple[f].flowID, replay.flowLabel[f] ?? "",
        String(c), c == 0 ? "" : names[c - 1], flags & DuneHeader.flowLevel != 0 ? "FL" : "PL",
        flags & DuneHeader.collision != 0 ? "1" : "0",
      ])
    }
    return w.text
  }

  static func text(_ r: ChainReport) -> String {
    func pct(_ x: Double) -> String { NumberFormat.fixed(100 * x, 2) }
    var s =
      "packets \(r.packets), flows \(r.flows), scored packets \(r.scoredPackets) (\(r.unlabelledPackets) unlabelled)\n"
    s += "unknown (class 0) packets: \(r.unknownPackets); decided at packet level: \(pct(r.packetLevelShare)) %\n"
    s +=
      "strict (unknown = error):   FL macro F1 \(pct(r.strict.flowLevel.macroF1)), weighted \(pct(r.strict.flowLevel.weightedF1)); "
    s += "PL macro F1 \(pct(r.strict.packetLevel.macroF1)), weighted \(pct(r.strict.packetLevel.weightedF1))\n"
    s +=
      "unknown excluded (B4):      FL macro F1 \(pct(r.excludingUnknown.flowLevel.macroF1)), weighted \(pct(r.excludingUnknown.flowLevel.weightedF1)); "
    s +=
      "PL macro F1 \(pct(r.excludingUnknown.packetLevel.macroF1)), weighted \(pct(r.excludingUnknown.packetLevel.weightedF1))\n"
    s +=
      "collisions: \(r.collisionPackets) packets, \(r.collisionFlows) flows; controller actions \(r.controllerActions)\n"
    for w in r.switches {
      s += "switch \(w.modelID) (\(w.name), N = \(w.inferencePoint)): inferred \(w.packetsInferred) packets "
      s +=
        "(PL \(w.packetLevelResults), FL \(w.flowLevelResults)), digests \(w.digests), flow-entry hits \(w.flowEntryHits), "
      s +=
        "collision packets \(w.collisionPackets), evictions \(w.evictions), occupied slots at end \(w.occupiedSlotsAtEnd)\n"
    }
    s +=
      "per class (strict FL): "
      + r.strict.flowLevel.perClass.map { "\($0.label) \(pct($0.f1))" }.joined(separator: ", ")
    return s
  }
}
