import ArgumentParser
import DUNESupport
import DataPlane
import Foundation

/// `dune bench emulator`: packets per second through a 4-switch chain on generated traffic.
struct BenchEmulator: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emulator", abstract: "Packets/s through a 4-switch chain emulator on synthetic traffic.")

  @Option(help: "Flows to generate.") var flows: Int = 100_000
  @Option(help: "Longest flow (packets).") var maxFlowLength: Int = 30
  @Option(help: "Timed repetitions (best is reported).") var repeats: Int = 3
  @Option(help: "Register slots per switch.") var slots: Int = 65_536

  mutating func run() async throws {
    try await reportingErrors {
      let classes = (0..<8).map { "c\($0)" }
      let traffic = SyntheticTraffic(
        classes: classes, flowsPerCapture: flows, maxFlowLength: maxFlowLength, seed: 2025
      ).generate()
      let replay = Replay(captures: traffic)
      let features = [
        "ip.len", "ip.ttl", "dstport", "tcp.window_size_value", "Max Packet Length", "Packet Length Total",
        "SYN Flag Count", "ACK Flag Count",
      ]
      let pools = SyntheticChain.valuePools(features: features, packets: replay.packets)
      let plan: [(trees: Int, n: Int)] = [(1, 2), (1, 3), (1, 3), (3, 4)]
      var compiled: [CompiledSubModel] = []
      var offset = 0
      for (k, p) in plan.enumerated() {
        let own = Array(classes[(2 * k)..<(2 * k + 2)])
        let model = SyntheticChain.subModel(
          classes: own, features: features, trees: p.trees, leaves: 41, pools: pools, seed: UInt64(100 + k))
        compiled.append(
          try TableCompiler.compile(
            model,
            options: CompileOptions(name: "m\(k + 1)", modelID: k + 1, inferencePoint: p.n, classOffset: offset)))
        offset += own.count
      }
      let emulator = try ChainEmulator(
        stages: compiled.map(ChainStage.init),
        config: ChainEmulatorConfig(slots: slots, controllerPeriodPackets: 64, recordPackets: false))
      var best = Double.infinity
      var bestCPU = Double.infinity
      var report: ChainReport?
      let clock = ContinuousClock()
      for _ in 0..<max(1, repeats) {
        var r: ChainReport?
        let cpu0 = threadCPUSeconds()
        let d = clock.measure { r = emulator.run(replay).report }
        bestCPU = min(bestCPU, threadCPUSeconds() - cpu0)
        let secs = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        best = min(best, secs)
        report = r
      }
      guard let report else { return }
      let n = Double(replay.packets.count)
      printOut("chain: 4 switches (trees 1/1/1/3, 41 leaves, N 2/3/3/4), \(slots) slots, controller delay 64 packets")
      printOut("traffic: \(replay.packets.count) packets, \(replay.flowCount) flows")
      printOut(
        "best of \(max(1, repeats)): wall \(NumberFormat.fixed(best, 3)) s → \(NumberFormat.fixed(n / best / 1e6, 3)) M packets/s; "
          + "thread CPU \(NumberFormat.fixed(bestCPU, 3)) s → \(NumberFormat.fixed(n / bestCPU / 1e6, 3)) M packets/s")
      let inferred = report.switches.map { String($0.packetsInferred) }.joined(separator: "/")
      printOut(
        "model runs per switch: \(inferred); collision packets \(report.collisionPackets); unknown \(report.unknownPackets)"
      )
    }
  }
}

/// CPU time of the calling thread (unaffected by other processes competing for the cores).
func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
