import DUNETestSupport
import DataPlane
import Forest
import Literate
import Partition
import Testing

@testable import Steps

/// Chapter 04's placement check (`ClustersStep.placement`) driving the real selection on a tiny
/// separable data set: classes A, B, C told apart by `ip.len` alone, N = 2.
@Suite struct ClustersPlacementTests {
  static func data() throws -> ClusterAnalysisData { try SeparableClusters.data(spacing: 100) }
  static let clusters = SeparableClusters.clusters

  static func settings(budget: SwitchBudget) -> ClusterAnalysis.Settings {
    ClusterAnalysis.Settings(
      grid: ConstrainedGrid.Settings(treeCounts: [1, 3], leafBudgets: [2, 4], threads: 2), inferencePoints: [2],
      restrictToSPPFeatures: false, clusterFeatures: ["ip.len"],
      placement: ClustersStep.placement(shift: 16, budget: budget))
  }

  @Test func smallModelsFitTofino1AndTheBestIsKept() throws {
    let result = try ClusterAnalysis.run(
      data: try Self.data(), clusters: Self.clusters, settings: Self.settings(budget: .tofino1))
    let scheme = QuantisedSamples.scheme(shift: 16)
    for c in result.clusters {
      #expect(c.rejected.isEmpty)
      #expect(c.selected == ClusterSelection.select(c.rows))
      let compiled = try ClustersStep.compileSubModel(c.model, cluster: c.definition.id, n: 2, scheme: scheme)
      #expect(ResourceModel.estimate(compiled).fit(under: .tofino1).fits)
    }
    #expect(ClustersStep.placementNote(result).contains("no candidate was rejected"))
  }

  @Test func aBudgetNothingFitsFailsNamingTheCluster() throws {
    var budget = SwitchBudget.tofino1
    budget.stages = 1
    let error = #expect(throws: ClusterAnalysisError.self) {
      try ClusterAnalysis.run(data: try Self.data(), clusters: Self.clusters, settings: Self.settings(budget: budget))
    }
    let message = error?.message ?? ""
    #expect(message.contains("cluster 0 (A): none of its 4 candidates can be placed"), "\(message)")
    #expect(message.contains("stages: needs "), "\(message)")
    #expect(message.contains(", budget 1"), "\(message)")
  }

  @Test func aModelTheCompilerRefusesIsNotPlaceable() throws {
    let tree = DecisionTree(
      feature: [0, -1, -1], threshold: [10.5, -2, -2], left: [1, -1, -1], right: [2, -1, -1],
      weightedSamples: [2, 1, 1], impurity: [0.5, 0, 0], value: [1, 1, 1, 0, 0, 1], classCount: 2)
    let model = ForestModel(classes: ["A", "Other"], features: ["no.such.feature"], trees: [tree])
    let reason = try ClustersStep.placementProblem(
      model, cluster: 0, n: 2, scheme: QuantisedSamples.scheme(shift: 16))
    #expect(reason?.hasPrefix("cannot be compiled: ") == true, "\(reason ?? "nil")")
    let fine = ForestModel(classes: ["A", "Other"], features: ["ip.len"], trees: [tree])
    #expect(
      try ClustersStep.placementProblem(fine, cluster: 0, n: 2, scheme: QuantisedSamples.scheme(shift: 16)) == nil)
  }

  @Test func rejectedCandidatesAreReported() throws {
    // The report table and note, from a hand-made rejection.
    var result = try ClusterAnalysis.run(
      data: try Self.data(), clusters: Self.clusters, settings: Self.settings(budget: .tofino1))
    result.clusters[1].rejected = [.init(row: result.clusters[1].rows[0], reason: "stages: needs 13, budget 12")]
    let table = ClustersStep.rejectedTable(result)
    #expect(table.rows.count == 1)
    #expect(table.rows[0].first == "1" && table.rows[0].last == "stages: needs 13, budget 12")
    #expect(ClustersStep.placementNote(result).contains("1 better-scoring candidate cannot be placed"))
  }
}
