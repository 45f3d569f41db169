import Forest
import Testing

@testable import Partition

@Suite struct ClusterAnalysisSelectionTests {
  @Test func successScoreFormula() {
    #expect(ClusterSelection.successScore(macroF1: 0.8, tcam: 7.0 / 288) == 0.5 * 0.8 + 0.5 * (1 - 7.0 / 288))
    #expect(ClusterSelection.successScore(macroF1: 1, tcam: 0) == 1)
  }

  @Test func macroWithoutOtherDropsOnlyOther() {
    let r = ClusterFixtures.report(0.9, 0.5)  // label 1 plays Other
    #expect(abs(r.macroF1 - 0.7) < 1e-12)
    #expect(abs(ClusterSelection.macroF1(r, excluding: 1) - 0.9) < 1e-12)
    #expect(abs(ClusterSelection.macroF1(r, excluding: 7) - 0.7) < 1e-12)
  }

  @Test func selectionOnHandMadeGrid() {
    typealias F = ClusterFixtures
    // Score = 0.5·macro + 0.5·(1 − tcam): macro 0.8 at tcam 0.10 → 0.85; macro 0.9 at tcam 0.25 → 0.825.
    let cheap = F.row(n: 3, trees: 1, budget: 41, features: 3, fl: F.report(0.8, 0.8), tcam: 0.10, otherIndex: 1)
    let accurate = F.row(n: 2, trees: 5, budget: 500, features: 9, fl: F.report(0.9, 0.9), tcam: 0.25, otherIndex: 1)
    #expect(abs(cheap.successScore - 0.85) < 1e-12)
    #expect(abs(accurate.successScore - 0.825) < 1e-12)
    #expect(ClusterSelection.select([accurate, cheap])?.n == 3)
    // Equal scores: higher macro F1 wins (0.8 + tcam 0.10 vs 0.9 + tcam 0.20 → both 0.85).
    let tied = F.row(n: 4, trees: 3, budget: 85, features: 4, fl: F.report(0.9, 0.9), tcam: 0.20, otherIndex: 1)
    #expect(abs(tied.successScore - cheap.successScore) < 1e-12)
    if tied.successScore == cheap.successScore {
      #expect(ClusterSelection.select([cheap, tied])?.n == 4)
    }
    // Fully equal metrics: smaller N, then fewer trees, smaller budget, fewer features; order-independent.
    let a = F.row(n: 2, trees: 3, budget: 85, features: 4, fl: F.report(0.8, 0.8), tcam: 0.1, otherIndex: 1)
    let b = F.row(n: 2, trees: 1, budget: 129, features: 4, fl: F.report(0.8, 0.8), tcam: 0.1, otherIndex: 1)
    let c = F.row(n: 3, trees: 1, budget: 41, features: 1, fl: F.report(0.8, 0.8), tcam: 0.1, otherIndex: 1)
    for perm in [[a, b, c], [c, b, a], [b, c, a]] {
      let s = ClusterSelection.select(perm)
      #expect(s?.n == 2 && s?.treeCount == 1 && s?.leafBudget == 129)
    }
    #expect(ClusterSelection.select([]) == nil)
  }

  @Test func proxyF1Arithmetic() throws {
    let useCase = ["a", "b", "c"]
    let l0 = try ClusterLabelling(clusterClasses: ["a", "b"], useCaseClasses: useCase)
    let l1 = try ClusterLabelling(clusterClasses: ["c"], useCaseClasses: useCase)
    // Cluster 0: a (support 4, F1 0.5), b (support 1, F1 1.0), Other (ignored).
    let r0 = ClassificationReport(
      truePositive: [2, 1, 3], predicted: [4, 1, 3], actual: [4, 1, 3], labels: [0, 1, 2])
    // Cluster 1: c (support 5, F1 0.8 from P = R = 0.8).
    let r1 = ClassificationReport(truePositive: [4, 9], predicted: [5, 10], actual: [5, 10], labels: [0, 1])
    let p = ProxyF1(reports: [r0, r1], labellings: [l0, l1], clusterIDs: [0, 1])
    #expect(p.entries.map(\.className) == ["a", "b", "c"])
    #expect(p.entries.map(\.support) == [4, 1, 5])
    #expect(abs(p.macro - (0.5 + 1.0 + 0.8) / 3) < 1e-12)
    #expect(abs(p.weighted - (0.5 * 4 + 1.0 * 1 + 0.8 * 5) / 10) < 1e-12)
    // A class with no test flow has no F1 and is left out.
    let r1Empty = ClassificationReport(truePositive: [0, 9], predicted: [1, 10], actual: [0, 10], labels: [1])
    let q = ProxyF1(reports: [r0, r1Empty], labellings: [l0, l1], clusterIDs: [0, 1])
    #expect(q.absentClasses == ["c"])
    #expect(q.entries.count == 2)
  }

  @Test func tcamOfTheTutorialExample() {
    // §6.4: 1 tree, 85 leaves, ip.proto, Max Packet Length, dstport, ip.len, tcp.window_size_value → 7 blocks.
    let row = ConstrainedGrid.Row(
      n: 4, cluster: 0, treeCount: 1, leafBudget: 85,
      features: ["ip.proto", "Max Packet Length", "dstport", "ip.len", "tcp.window_size_value"], depths: [11],
      leaves: [85],
      evaluation: FlowPacketEvaluation(
        fl: ClusterFixtures.report(1, 1), pl: ClusterFixtures.report(1, 1), expandedSamples: 1),
      tcam: 0, otherIndex: 1)
    let share = referenceTCAMShare(trees: row.treeCount, maxLeaves: row.leaves.max() ?? 0, features: row.features)
    #expect(abs(share - 7.0 / 288) < 1e-12)
  }
}
