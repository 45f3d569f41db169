import Forest
import Testing
import Traffic

@testable import Partition

/// The chained evaluation on a hand-computed example: classes A, B, C; sub-model 0 = {A} at N = 2,
/// sub-model 1 = {B} at N = 3; flows f1 (A, L = 4), f2 (B, L = 2), f3 (C, L = 3).
@Suite struct ClusterAnalysisChainTests {
  static func index(n: Int, rows: [(flow: String, packet: Bool, label: Int32)], lengths: [String: Int]) throws
    -> TestFlowIndex
  {
    try TestFlowIndex(
      n: n, files: rows.map { _ in "x.pcap" }, flowIDs: rows.map(\.flow), isPacketRow: rows.map(\.packet),
      labels: rows.map(\.label)
    ) { _, id in lengths[id] }
  }

  static let lengths = ["f1": 4, "f2": 2, "f3": 3]

  /// N = 2 rows: packet 1 of each flow, then the flow rows (all flows have L ≥ 2).
  static func n2() throws -> TestFlowIndex {
    try index(
      n: 2,
      rows: [("f1", true, 0), ("f2", true, 1), ("f3", true, 2), ("f1", false, 0), ("f2", false, 1), ("f3", false, 2)],
      lengths: lengths)
  }

  /// N = 3 rows: packets 1–2 of each flow, then flow rows of f1 and f3 (f2 is shorter than 3).
  static func n3() throws -> TestFlowIndex {
    try index(
      n: 3,
      rows: [
        ("f1", true, 0), ("f1", true, 0), ("f2", true, 1), ("f2", true, 1), ("f3", true, 2), ("f3", true, 2),
        ("f1", false, 0), ("f3", false, 2),
      ], lengths: lengths)
  }

  // Local predictions: 0 = own class, 1 = Other.
  // Sub-model 0 on N=2 rows: f1p1 A, f2p1 Other, f3p1 A, f1 flow A, f2 flow A, f3 flow Other.
  static let sub0 = ChainSubModel(n: 2, ownClasses: [0], predictions: [0, 1, 0, 0, 0, 1])
  // Sub-model 1 on N=3 rows: f1p1 B, f1p2 Other, f2p1 B, f2p2 B, f3p1 Other, f3p2 Other, f1 flow Other, f3 flow B.
  static let sub1 = ChainSubModel(n: 3, ownClasses: [1], predictions: [0, 1, 0, 0, 1, 1, 1, 0])

  @Test func handComputedChain() throws {
    let e = try ChainedEvaluation.evaluate(
      order: [0, 1], subModels: [Self.sub0, Self.sub1], indexes: [2: Self.n2(), 3: Self.n3()], classCount: 3)
    // Packet decisions: f1 → A A | A A (packets 3–4 inherit N-points); f2 → p1: sub0 Other, sub1 B → B; p2: sub0 flow A.
    // f3 → p1 A; p2: sub0 flow Other, sub1 packet row 2 Other → unknown; p3: sub0 Other, sub1 flow B.
    #expect(e.alignedFlows == 3 && e.unalignedFlows == 0)
    #expect(abs(e.unknownFlowWeight - 1.0 / 3) < 1e-12)
    #expect(e.unknownPackets == 1)
    // Strict FL: A: TP 1, predicted 1 + 1/2 + 1/3; B: TP 1/2, predicted 1/2 + 1/3; C: nothing.
    let fA = 12.0 / 17
    let fB = 6.0 / 11
    let fl = e.strict.fl
    #expect(fl.labels == [0, 1, 2])
    #expect(abs(fl.scores[0].f1 - fA) < 1e-12)
    #expect(abs(fl.scores[1].f1 - fB) < 1e-12)
    #expect(fl.scores[2].f1 == 0)
    #expect(abs(fl.macroF1 - (fA + fB) / 3) < 1e-12)
    #expect(abs(fl.microF1 - 9.0 / 17) < 1e-12)
    #expect(fl.scores.map(\.support) == [1, 1, 1])
    // Unknown excluded: C's unknown third is dropped (support 2/3); micro P = R = 9/16.
    let ex = e.excluded.fl
    #expect(abs(ex.scores[2].support - 2.0 / 3) < 1e-12)
    #expect(abs(ex.microF1 - 9.0 / 16) < 1e-12)
    #expect(abs(ex.scores[0].f1 - fA) < 1e-12)
    // Strict PL (packets): A: TP 4, predicted 6, actual 4 → 0.8; B: TP 1, predicted 2, actual 2 → 0.5.
    let pl = e.strict.pl
    #expect(abs(pl.scores[0].f1 - 0.8) < 1e-12)
    #expect(abs(pl.scores[1].f1 - 0.5) < 1e-12)
    #expect(e.strict.expandedSamples == 9)
    #expect(e.excluded.expandedSamples == 8)
  }

  @Test func reversedOrderLetsTheSecondModelDecideFirst() throws {
    let e = try ChainedEvaluation.evaluate(
      order: [1, 0], subModels: [Self.sub0, Self.sub1], indexes: [2: Self.n2(), 3: Self.n3()], classCount: 3)
    // f1: p1 sub1 B (wrong); p2 sub1 Other → sub0 flow A; p3–4 sub1 flow Other → sub0 A. f2: p1 B, p2 B.
    // f3: p1 sub1 Other → sub0 A; p2 Other → sub0 flow Other → unknown; p3 sub1 flow B.
    #expect(e.unknownPackets == 1)
    let pl = e.strict.pl
    // A: TP 3, predicted 3 + 1 = 4, actual 4 → 0.75; B: TP 2, predicted 1 + 2 + 1 = 4, actual 2 → 2/3.
    #expect(abs(pl.scores[0].f1 - 0.75) < 1e-12)
    #expect(abs(pl.scores[1].f1 - 2.0 / 3) < 1e-12)
  }

  @Test func sameNReducesToTheRowExpansion() throws {
    // With a single sub-model the chain is its own §3.5 evaluation with Other mapped to unknown.
    let e = try ChainedEvaluation.evaluate(order: [0], subModels: [Self.sub0], indexes: [2: Self.n2()], classCount: 3)
    // Rows: f1p1 (1/4) A ok; f2p1 (1/2) unknown; f3p1 (1/3) A wrong; f1 flow (3/4) A ok; f2 flow (1/2) A wrong; f3 flow (2/3) unknown.
    #expect(abs(e.unknownFlowWeight - (0.5 + 2.0 / 3)) < 1e-12)
    let a = e.strict.fl.scores[0]
    #expect(abs(a.precision - 1.0 / (1 + 1.0 / 3 + 0.5)) < 1e-12)
    #expect(a.recall == 1)
  }

  @Test func inconsistentFlowsAreReportedNotGuessed() throws {
    // f2 claims L = 5 in the N=2 index but has no extra rows in N=3 → its rows do not match L.
    var lengths = Self.lengths
    lengths["f2"] = 5
    let n3 = try Self.index(
      n: 3,
      rows: [
        ("f1", true, 0), ("f1", true, 0), ("f2", true, 1), ("f2", true, 1), ("f3", true, 2), ("f3", true, 2),
        ("f1", false, 0), ("f3", false, 2),
      ], lengths: lengths)
    let e = try ChainedEvaluation.evaluate(
      order: [0, 1], subModels: [Self.sub0, Self.sub1], indexes: [2: Self.n2(), 3: n3], classCount: 3)
    #expect(e.alignedFlows == 2 && e.unalignedFlows == 1)
  }

  @Test func badOrdersAreErrors() throws {
    let idx = [2: try Self.n2(), 3: try Self.n3()]
    #expect(throws: ClusterAnalysisError.self) {
      try ChainedEvaluation.evaluate(order: [0, 0], subModels: [Self.sub0, Self.sub1], indexes: idx, classCount: 3)
    }
    #expect(throws: ClusterAnalysisError.self) {
      try ChainedEvaluation.evaluate(order: [2], subModels: [Self.sub0, Self.sub1], indexes: idx, classCount: 3)
    }
  }

  @Test func claimsSkipOtherAndSplitByCluster() throws {
    let useCase = ["A", "B", "C"]
    let l0 = try ClusterLabelling(clusterClasses: ["A"], useCaseClasses: useCase)
    let l1 = try ClusterLabelling(clusterClasses: ["B", "C"], useCaseClasses: useCase)
    let test = LabelledSet(
      matrix: FeatureMatrix(columns: [[0, 0, 0, 0]]), labels: [0, 1, 2, 0], weights: [0.5, 1, 0.25, 1])
    // Sub-model 0 claims rows 0 (A, 0.5) and 2 (C, 0.25); sub-model 1 claims rows 1 (B, 1) and 3 (A, 1); Other elsewhere.
    let claims = ClusterClaims(
      predictions: [[0, 1, 0, 1], [2, 0, 2, 1]], tests: [test, test], labellings: [l0, l1], clusterOfClass: [0, 1, 1])
    #expect(claims.claims == [[0.5, 0.25], [1, 1]])
    let fp = try ClusterFalsePositiveMatrix(claimsBySubModel: claims.claims)
    #expect(abs(fp.percent[0][0] - 100 * 0.5 / 0.75) < 1e-9)
    #expect(abs(fp.percent[1][1] - 50) < 1e-9)
  }
}
