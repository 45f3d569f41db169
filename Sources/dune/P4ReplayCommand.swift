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
      Exit status 0 when every packet leaves the last switch with the emulator's class and flags, 1 otherwise.
      One capture only: the programs hash the plain 5-tuple (multi-capture replays tag the hash input).
      """)

  @Option(help: "Chain description JSON.") var chain: String
  @Option(help: "Packet CSV capture (see PacketCSV).") var data: String
  @Option(help: "Override the register slot count (power of two).") var slots: Int?
  @Option(help: "Override the controller delay in packets.") var controllerDelay: Int?

  func run() async throws {
    try await reportingErrors {
      let spec = try ChainSpec.load(path: chain)
      try checkChainForP4(spec, path: chain)
      let compiled = try spec.compile(relativeTo: chain)
      var config = spec.emulatorConfig
      if let slots { config.slots = slots }
      if let controllerDelay { config.controllerDelayPackets = controllerDelay }
      config.recordPackets = true
      let replay = Replay(captures: [try PacketCSV.read(path: data)])
      let expected = try ChainEmulator(stages: compiled.map(ChainStage.init), config: config).run(replay)
      var switches: [ProgramReplay.Switch] = []
      for m in compiled {
        let built = try DuneProgramBuilder.build(
          m, name: "s\(m.modelID)", options: P4BuildOptions(registerSize: config.slots))
        let text = BMv2Commands.write(built.entries, program: built.program)
        switches.append(
          ProgramReplay.Switch(program: built.program, entries: try BMv2Commands.read(text, program: built.program)))
      }
      let got = try ProgramReplay(switches: switches, controllerDelayPackets: config.controllerDelayPackets)
        .run(replay.packets)
      var mismatches = 0
      for i in replay.packets.indices
      where got.classes[i] != expected.packetClass[i] || got.flags[i] != expected.packetFlags[i] {
        if mismatches < 5 {
          printOut(
            "packet \(i): programs class \(got.classes[i]) flags 0x\(String(got.flags[i], radix: 16)), "
              + "emulator class \(expected.packetClass[i]) flags 0x\(String(expected.packetFlags[i], radix: 16))")
        }
        mismatches += 1
      }
      let digests = expected.report.switches.reduce(0) { $0 + $1.digests }
      printOut(
        "\(replay.packets.count) packets, \(replay.flowCount) flows, \(compiled.count) switches: "
          + "\(mismatches) header mismatches; digests programs \(got.digests), emulator \(digests)")
      if mismatches > 0 || got.digests != digests { throw ExitCode(1) }
    }
  }
}
