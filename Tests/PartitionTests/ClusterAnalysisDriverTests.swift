import DUNETestSupport
import Forest
import Testing

@testable import Partition

/// The step-4 driver and the downstream-only `Other` option on a tiny separable data set.
@Suite struct ClusterAnalysisDriverTests {
  /// Classes A, B, C separated by one feature; every flow has L = 2 → one packet row, one flow row at N = 2.
  static func data() throws -> ClusterAnalysisData { try SeparableClusters.data() }
  static let clusters = SeparableClusters.clusters

  static func settings() -> ClusterAnalysis.Settings {
    ClusterAnalysis.Settings(
      grid: ConstrainedGrid.Settings(treeCounts: [1, 3], leafBudgets: [2, 4], threads: 1), inferencePoints: [2],
      restrictToSPPFeatures: false, clusterFeatures: ["ip.len"])
  }

  @Test func separableDataGivesPerfectSubModelsAndChain() throws {
    let data = try Self.data()
    let result = try ClusterAnalysis.run(data: data, clusters: Self.clusters, settings: Self.settings())
    #expect(result.clusters.map(\.labelling.classes) == [["A", "Other"], ["B", "C", "Other"]])
    #expect(result.clusters.allSatisfy { $0.refitAgrees })
    // Perfect F1 at the cheapest point: 1 tree; cluster 0 needs 2 leaves, cluster 1 needs 3 (budget 4).
    #expect(result.clusters[0].selected.treeCount == 1 && result.clusters[0].selected.leafBudget == 2)
    #expect(result.clusters[1].selected.treeCount == 1 && result.clusters[1].selected.leafBudget == 4)
    #expect(result.clusters.allSatisfy { $0.selected.macroF1 == 1 })
    #expect(result.proxy.macro == 1)
    #expect(result.falsePositive.percent == [[100, 0], [0, 100]])
    #expect(abs(result.totalTCAM - result.clusters.reduce(0) { $0 + $1.selected.tcam }) < 1e-15)
    #expect(result.referenceCompatTCAM == result.clusters[1].selected.tcam)
    let chained = try ClusterAnalysis.chained(result, data: data, order: [1, 0])
    #expect(chained.strict.fl.macroF1 == 1 && chained.unknownPackets == 0 && chained.alignedFlows == 12)
  }

  @Test func downstreamOnlyOtherDropsUpstreamClasses() throws {
    let data = try Self.data()
    let result = try ClusterAnalysis.run(data: data, clusters: Self.clusters, settings: Self.settings())
    let out = try DownstreamOtherRetraining.run(result, data: data, order: [1, 0], settings: Self.settings().grid)
    #expect(out.subModels.map(\.cluster) == [1, 0])
    // First in the chain: Other = the downstream cluster's classes; last: no Other, upstream rows removed.
    #expect(out.subModels[0].model.classes == ["B", "C", "Other"])
    #expect(out.subModels[1].model.classes == ["A"])
    #expect(out.subModels[1].evaluation.fl.totalWeight == 4)  // the 4 test flows of A only
    #expect(out.subModels[0].evaluation.fl.totalWeight == 12)
    #expect(out.subModels[1].predictions.count == data.points[0].test.rowCount)
    #expect(out.chained.strict.fl.macroF1 == 1)
    #expect(throws: ClusterAnalysisError.self) {
      try DownstreamOtherRetraining.run(result, data: data, order: [0, 0], settings: Self.settings().grid)
    }
  }
}
