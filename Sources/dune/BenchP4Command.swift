import ArgumentParser
import DUNESupport
import DataPlane
import Foundation
import P4

/// `dune bench p4`: program/entry generation, command-file parsing and entry evaluation throughput.
struct BenchP4: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "p4", abstract: "P4 generation (both targets), bmv2 command parsing and entry-evaluator throughput.")

  @Option(help: "Leaves per tree.") var leaves: Int = 481
  @Option(help: "Samples for the entry evaluator.") var samples: Int = 20_000
  @Option(help: "Timed repetitions (best is reported).") var repeats: Int = 3

  mutating func run() async throws {
    try await reportingErrors {
      let features = [
        "ip.len", "ip.ttl", "dstport", "tcp.window_size_value", "Max Packet Length", "Packet Length Total",
        "SYN Flag Count", "ACK Flag Count",
      ]
      // Value pools spanning each feature's typical range (thresholds are drawn from them).
      let pools = features.map { f -> [Double] in
        let top = f.contains("Flag") ? 30 : (f == "ip.ttl" ? 255 : 1500)
        return (0...top).map(Double.init)
      }
      let classes = (0..<8).map { "c\($0)" }
      var chain: [CompiledSubModel] = []
      for (k, trees) in [1, 1, 3, 5].enumerated() {
        let own = Array(classes[(2 * k)..<(2 * k + 2)])
        let model = SyntheticChain.subModel(
          classes: own, features: features, trees: trees, leaves: leaves, pools: pools, seed: UInt64(7 + k))
        chain.append(
          try TableCompiler.compile(
            model, options: CompileOptions(name: "m\(k + 1)", modelID: k + 1, inferencePoint: 3, classOffset: 2 * k)))
      }
      let clock = ContinuousClock()
      func best(_ body: () throws -> Void) rethrows -> Double {
        var b = Double.infinity
        for _ in 0..<max(1, repeats) {
          let d = try clock.measure(body)
          b = min(b, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        return b
      }
      var artifacts: [P4Artifact] = []
      let tGen = try best { artifacts = try P4Generator.artifacts(chain: chain, targets: [.bmv2, .tofino]) }
      let bytes = artifacts.reduce(0) { $0 + $1.text.utf8.count }
      let last = try DuneProgramBuilder.build(chain[3], name: "s4")
      let text = BMv2Commands.write(last.entries, program: last.program)
      var reread = P4EntrySet(entries: [])
      let tRead = try best { reread = try BMv2Commands.read(text, program: last.program) }
      let evaluator = EntryEvaluator(program: last.program, entries: reread)
      var rng = SplitMix64(seed: 99)
      let keys = (0..<samples).map { _ in
        Dictionary(
          uniqueKeysWithValues: chain[3].features.indices.map { i in
            (i, UInt64.random(in: 0...UInt64(chain[3].features[i].maxValue), using: &rng))
          })
      }
      var checksum = 0
      let tEval = try best { for k in keys { checksum &+= try evaluator.classify(features: k).global } }
      // Whole packets through the four programs (parser, registers, hashes, digests, controller)
      // against the chain emulator: the replay check of the dataplane step.
      let traffic = SyntheticTraffic(classes: classes, flowsPerCapture: 300, maxFlowLength: 20, seed: 5).generate()
      let packets = traffic.flatMap(\.packets)
      let generated = try P4Generator.generate(chain: chain, targets: [.bmv2, .tofino])
      let switches = try generated.map {
        ProgramReplay.Switch(program: $0.program, entries: try P4Verification.readBack($0))
      }
      var agreement: P4Verification.ReplayAgreement?
      let tReplay = try best {
        agreement = try P4Verification.replay(
          switches: switches, compiled: chain, packets: packets, config: ChainEmulatorConfig())
      }
      // The programs alone (no emulator): what the P4 interpreter itself costs.
      let programs = ProgramReplay(
        switches: switches, controllerPeriodPackets: ChainEmulatorConfig().controllerPeriodPackets)
      var replayed = 0
      let tPrograms = try best { replayed = try programs.run(packets).classes.count }
      printOut("chain: 4 sub-models (trees 1/1/3/5, \(leaves) leaves, 8 features), both targets")
      printOut(
        "generate + check: \(NumberFormat.fixed(tGen * 1000, 1)) ms for \(artifacts.count) files "
          + "(\(NumberFormat.fixed(Double(bytes) / 1e6, 2)) MB) → \(NumberFormat.fixed(Double(bytes) / tGen / 1e6, 1)) MB/s"
      )
      printOut(
        "bmv2 command read-back: \(reread.entries.count) entries in \(NumberFormat.fixed(tRead * 1000, 1)) ms → "
          + "\(NumberFormat.fixed(Double(reread.entries.count) / tRead / 1e3, 1)) k entries/s")
      printOut(
        "entry evaluator (5 trees): \(samples) samples in \(NumberFormat.fixed(tEval, 3)) s → "
          + "\(NumberFormat.fixed(Double(samples) / tEval / 1e3, 1)) k samples/s (checksum \(checksum))")
      if let a = agreement {
        printOut(
          "program replay vs emulator: \(a.packets) packets × 4 switches in \(NumberFormat.fixed(tReplay, 3)) s → "
            + "\(NumberFormat.fixed(Double(a.packets * 4) / tReplay / 1e3, 1)) k switch-packets/s, \(a.mismatches) mismatches"
        )
      }
      printOut(
        "program replay alone: \(replayed) packets × 4 switches in \(NumberFormat.fixed(tPrograms, 3)) s → "
          + "\(NumberFormat.fixed(Double(replayed * 4) / tPrograms / 1e3, 1)) k switch-packets/s")
    }
  }
}
