import ArgumentParser
import DUNESupport
import DataPlane
import Foundation
import P4

/// `dune p4 replay`: packets through the generated programs (interpreted with bmv2 semantics, the
/// entries read back from the emitted command files) versus the chain emulator, packet by packet.
struct P4Replay: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay a packet CSV through the generated bmv2 programs and compare with the chain emulator.",
    discussion: """
      Exit status 0 when every packet leaves the last switch with the emulator's class and flags and the digest
      counts agree, 1 otherwise. With --entries, the entries are read from the files `dune p4` wrote there
      (`<dir>/s<k>/bmv2/s<k>-commands.txt`, and the Tofino JSON beside it when present, which must say the same);
      without it they are generated and read back from their text.
      """)

  @Option(help: "Chain description JSON.") var chain: String
  @Option(help: "Packet CSV capture (see PacketCSV).") var data: String
  @Option(help: "Output folder of `dune p4` for this chain: read the emitted entry files from there.") var entries:
    String?
  @Option(help: "Override the register slot count (power of two).") var slots: Int?
  @Option(help: "Override the controller's polling period in packets.") var controllerPeriod: Int?

  func run() async throws {
    try await reportingErrors {
      let spec = try ChainSpec.load(path: chain)
      try checkChainForP4(spec, path: chain)
      let compiled = try spec.compile(relativeTo: chain)
      var config = spec.emulatorConfig
      if let slots { config.slots = slots }
      if let controllerPeriod { config.controllerPeriodPackets = controllerPeriod }
      let generated = try P4Generator.generate(
        chain: compiled, targets: [.bmv2, .tofino], options: P4BuildOptions(registerSize: config.slots))
      var switches: [ProgramReplay.Switch] = []
      for g in generated {
        var output = g
        if let dir = entries {
          // The files on disk replace the generated text; `readBack` then checks they say the same.
          output.artifacts = try g.entryFiles.compactMap { a in
            let path = URL(fileURLWithPath: dir).appendingPathComponent(a.path).path
            if a.path.contains("/tofino/") && !FileManager.default.fileExists(atPath: path) { return nil }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
              throw LocatedError(file: path, "cannot read the emitted entry file")
            }
            return P4Artifact(path: path, text: text)
          }
        }
        switches.append(ProgramReplay.Switch(program: g.program, entries: try P4Verification.readBack(output)))
      }
      let packets = try PacketCSV.read(path: data).packets
      let r = try P4Verification.replay(switches: switches, compiled: compiled, packets: packets, config: config)
      for m in r.firstMismatches { printOut(m) }
      printOut(
        "\(r.packets) packets, \(r.flows) flows, \(compiled.count) switches: "
          + "\(r.mismatches) header mismatches; digests programs \(r.programDigests), emulator \(r.emulatorDigests)")
      if !r.agrees { throw ExitCode(1) }
    }
  }
}
