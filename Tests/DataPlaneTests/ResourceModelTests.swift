import DUNETestSupport
import DataPlane
import Forest
import Testing
import Traffic

/// Worked examples of `data-plane.md` §9.4 and `dune-reference.md` §6.4.
@Suite struct ResourceModelTests {
  @Test func referenceExampleSevenBlocks() {
    let features = ["ip.proto", "Max Packet Length", "dstport", "ip.len", "tcp.window_size_value"]
    let share = referenceTCAMShare(trees: 1, maxLeaves: 85, features: features)
    #expect(share == 7.0 / 288.0)
    #expect((share * 10_000).rounded() / 100 == 2.43)
  }

  @Test func tonClID3() {
    let features = [
      "ip.len", "udp.length", "Packet Length Total", "dstport", "tcp.flags.ack", "PSH Flag Count",
      "Max Packet Length", "ACK Flag Count", "Min Packet Length", "tcp.hdr_len", "ip.ttl", "tcp.window_size_value",
    ]
    let bits = features.map { FeatureCatalogWidth.of($0) }
    #expect(ReferenceTCAMModel.blocks(trees: 1, maxLeaves: 129, featureBits: bits) == 15)
    #expect((referenceTCAMShare(trees: 1, maxLeaves: 129, features: features) * 10_000).rounded() / 100 == 5.21)
    #expect(ResourceModel.ternaryBlocks(keyBits: 128, entries: 129) == 3)
    // Registers: flow id 32, last_ts 32, count 8, class 8, max/min/total 3 × 16, ACK/PSH 2 × 8.
    let widths = [32, 32, 8, 8, 16, 16, 16, 8, 8]
    #expect(widths.reduce(0, +) == 144)
    #expect(widths.reduce(0) { $0 + ResourceModel.registerBlocks(width: $1, slots: 65_536) } == 72)
    #expect(ResourceModel.stages(registerCount: 9, featureTCAMBlocks: 12, codewordWidths: [128]) == 8)
  }

  @Test func sharesSplitTheReferenceShare() {
    let features = ["ip.proto", "Max Packet Length", "dstport", "ip.len", "tcp.window_size_value", "not-in-catalog"]
    let s = ReferenceTCAMModel.shares(trees: 3, maxLeaves: 129, features: features)
    #expect(s.code == 9.0 / 288)  // (⌊129/44⌋ + 1) · 3
    // Catalog widths 8, 16, 16, 16, 16 → 1 block each; an unknown name counts as 32 bits → 2 blocks.
    #expect(s.features == 7.0 / 288)
    #expect(abs(s.code + s.features - referenceTCAMShare(trees: 3, maxLeaves: 129, features: features)) < 1e-15)
  }

  @Test func jewelMonolithicCodeTables() {
    #expect(3 * ResourceModel.ternaryBlocks(keyBits: 480, entries: 481) == 33)
    #expect(ReferenceTCAMModel.blocks(trees: 3, maxLeaves: 481, featureBits: []) == 33)
  }

  @Test func compiledModelEstimateAndTypedMisfit() throws {
    var gen = try RandomForestGenerator(
      seed: 5, features: ["ip.len", "ip.ttl", "Max Packet Length", "SYN Flag Count"], classCount: 3)
    let model = gen.forest(trees: 3, maxDepth: 6)
    let c = try TableCompiler.compile(model)
    let est = ResourceModel.estimate(c)
    #expect(est.fit.fits)
    #expect(est.tables.filter { $0.kind == .ternary }.map(\.entries) == model.trees.map(\.leafCount))
    #expect(est.tables.first { $0.name == "vote" }?.entries == 27 - 6)  // K = 3, T = 3: K³ − K(K−1)(K−2)
    var tiny = SwitchBudget.tofino1
    tiny.tcamBlocks = 2
    tiny.stages = est.stages - 1
    let misfit = ResourceModel.estimate(c, budget: tiny)
    guard case .exceeds(let v) = misfit.fit else {
      Issue.record("expected a misfit")
      return
    }
    #expect(v.map(\.resource).contains("TCAM blocks"))
    #expect(v.map(\.resource).contains("stages"))
    // Re-checking the Tofino estimate under other limits agrees with estimating under them.
    #expect(est.fit(under: tiny) == misfit.fit)
    #expect(misfit.fit(under: .tofino1) == .fits)
    var exact = SwitchBudget.tofino1
    exact.tcamBlocks = est.tcamBlocks
    exact.stages = est.stages
    #expect(est.fit(under: exact) == .fits)
    exact.tcamBlocks -= 1
    #expect(est.fit(under: exact) != .fits)
  }

  /// The calibrated pieces against what p4c-barefoot allocated for the committed programs
  /// (2026-12-06, `resources.json` of each compile).
  @Test func calibratedAgainstTheTofinoCompiler() {
    // Synthetic s7: packet-level features, one tree → 7; s1: one feature register → 10; s8: time
    // features too → 11 (compiler 12); s13: three trees, six packet-level tables → 9 (compiler 7).
    #expect(
      ResourceModel.compilerStages(featureRegisters: 0, timeFeatures: false, featureTables: 1, voting: false) == 7)
    #expect(
      ResourceModel.compilerStages(featureRegisters: 1, timeFeatures: false, featureTables: 6, voting: false) == 10)
    #expect(
      ResourceModel.compilerStages(featureRegisters: 5, timeFeatures: true, featureTables: 9, voting: false) == 11)
    #expect(ResourceModel.compilerStages(featureRegisters: 0, timeFeatures: false, featureTables: 6, voting: true) == 9)
    // TCAM beyond one stage's 24 blocks spills into more stages.
    #expect(
      ResourceModel.compilerStages(
        featureRegisters: 0, timeFeatures: false, featureTables: 1, voting: false, featureTCAMBlocks: 24,
        codeTCAMBlocks: 60) == 9)
    #expect(ResourceModel.minimumStages(trees: 1) == 7 && ResourceModel.minimumStages(trees: 3) == 8)
    // Flow table 65 536 × (104 + 8) bits → 56 blocks; a 21-entry vote table and path_to_port → 4.
    #expect(ResourceModel.exactWayBlocks(keyBits: 104, dataBits: 8, entries: 65_536) == 56)
    #expect(ResourceModel.exactWayBlocks(keyBits: 24, dataBits: 8, entries: 21) == 4)
    #expect(ResourceModel.exactWayBlocks(keyBits: 16, dataBits: 9, entries: 1_024) == 4)
    // s8's 84-bit codeword in nine fields takes 15 crossbar bytes: 3 TCAM blocks, not 2.
    let fields = [9, 6, 9, 5, 11, 10, 14, 14, 6]
    #expect(fields.reduce(0, +) == 84)
    #expect(ResourceModel.crossbarBits(fieldWidths: fields) == 120)
    #expect(ResourceModel.ternaryBlocks(keyBits: 120, entries: 85) == 3)
    // A match-result block per TCAM table; action data over 32 bits adds its own (s13 feature_4).
    #expect(ResourceModel.ternarySRAMBlocks(dataBits: 22, entries: 15) == 1)
    #expect(ResourceModel.ternarySRAMBlocks(dataBits: 101, entries: 70) == 2)
  }
}

enum FeatureCatalogWidth {
  static func of(_ n: String) -> Int { FeatureCatalog.bitWidth(n)! }

}
