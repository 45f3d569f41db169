import DataPlane
import Testing
import Traffic

/// After a flow's first flow-level decision with a known class anywhere on the chain, no later packet
/// of it carries another class (`ChainProtocol.decisionPoints`), whatever the order of inference points.
@Suite struct OneFlowOneClassTests {
  static let features = [
    "ip.len", "ip.ttl", "dstport", "Max Packet Length", "Min Packet Length", "Packet Length Total", "ACK Flag Count",
    "Flow IAT Max", "Packet Count",
  ]
  static let classes = (0..<8).map { "c\($0)" }

  /// A chain of random sub-models (two own classes each, `Other` passing on) with inference points `ns`.
  static func chain(_ ns: [Int], replay: Replay, seed: UInt64) throws -> [CompiledSubModel] {
    let pools = SyntheticChain.valuePools(features: features, packets: replay.packets)
    var out: [CompiledSubModel] = []
    var offset = 0
    for (k, n) in ns.enumerated() {
      let own = Array(classes[(2 * k)..<(2 * k + 2)])
      let model = SyntheticChain.subModel(
        classes: own, features: features, trees: 1 + k % 2, leaves: 17, pools: pools, seed: seed + UInt64(k))
      out.append(
        try TableCompiler.compile(
          model, options: CompileOptions(name: "m\(k + 1)", modelID: k + 1, inferencePoint: n, classOffset: offset)))
      offset += own.count
    }
    return out
  }

  static func replay(seed: UInt64) -> Replay {
    Replay(
      captures: SyntheticTraffic(
        classes: classes, flowsPerCapture: 400, captures: 3, maxFlowLength: 12, seed: seed
      ).generate())
  }

  static let cases: [(ns: [Int], seed: UInt64)] = [
    ([4, 2, 3, 2], 11), ([3, 2], 12), ([2, 3, 4, 2], 13), ([5, 4, 3, 2], 14), ([2, 2, 2, 2], 15),
  ]

  @Test(arguments: cases)
  func noFlowChangesClassAfterItsDecision(ns: [Int], seed: UInt64) throws {
    let r = Self.replay(seed: seed)
    let stages = try Self.chain(ns, replay: r, seed: seed).map(ChainStage.init)
    // Small register arrays: collisions and controller slot reclamation happen too.
    for slots in [65_536, 512] {
      let run = try ChainEmulator(stages: stages, config: ChainEmulatorConfig(slots: slots)).run(r)
      #expect(run.flowsChangingClass(r) == 0, "N \(ns), \(slots) slots")
      #expect(run.report.switches.map(\.decisionPoint) == ChainProtocol.decisionPoints(inferencePoints: ns))
    }
  }

  /// The property is not vacuous: announcing at each switch's own N breaks it on a decreasing chain.
  @Test func announcingAtTheOwnInferencePointBreaksIt() throws {
    var broken = 0
    for seed in UInt64(11)...14 {
      let ns = [4, 2, 3, 2]
      let r = Self.replay(seed: seed)
      let stages = try Self.chain(ns, replay: r, seed: seed).map(ChainStage.init)
      let run = try ChainEmulator(stages: stages, config: ChainEmulatorConfig(decisionRule: .inferencePoint)).run(r)
      broken += run.flowsChangingClass(r)
    }
    #expect(broken > 0)
  }

  @Test func decisionPointsArePrefixMaxima() {
    #expect(ChainProtocol.decisionPoints(inferencePoints: [4, 2, 3, 5, 2]) == [4, 4, 4, 5, 5])
    #expect(ChainProtocol.decisionPoints(inferencePoints: [2, 3, 4]) == [2, 3, 4])
    #expect(ChainProtocol.decisionPoints(inferencePoints: []) == [])
  }

  @Test func controllerActsAtItsNextPoll() {
    #expect(ChainProtocol.controllerActionIndex(digestAt: 0, period: 64) == 64)
    #expect(ChainProtocol.controllerActionIndex(digestAt: 63, period: 64) == 64)
    #expect(ChainProtocol.controllerActionIndex(digestAt: 64, period: 64) == 128)
    #expect(ChainProtocol.controllerActionIndex(digestAt: 5, period: 1) == 6)
  }
}
