import Forest
import Foundation
import Testing

@testable import Partition

/// The selection walks each cluster's candidates best first and keeps the first one the injected
/// placement check accepts, on the tiny separable data of `ClusterAnalysisDriverTests`.
@Suite struct ClusterPlacementTests {
  typealias Fixture = ClusterAnalysisDriverTests

  /// A deterministic check that rejects by a row property and records every call.
  final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [Int: [ConstrainedGrid.Row]] = [:]
    private var foreignModels = 0

    /// Called on the selection's worker threads, so it records instead of expecting.
    func record(_ c: ClusterAnalysis.PlacementCandidate) {
      let matches = c.model.trees.count == c.row.treeCount && c.model.features == c.row.features
      lock.withLock {
        calls[c.cluster.id, default: []].append(c.row)
        if !matches { foreignModels += 1 }
      }
    }

    func rows(of cluster: Int) -> [ConstrainedGrid.Row] { lock.withLock { calls[cluster] ?? [] } }
    /// Calls whose model was not the refit of the row asked about.
    var mismatches: Int { lock.withLock { foreignModels } }
  }

  static func settings(threads: Int, placement: ClusterAnalysis.PlacementCheck?) -> ClusterAnalysis.Settings {
    var s = Fixture.settings()
    s.grid.threads = threads
    s.placement = placement
    return s
  }

  /// Rejects every one-tree candidate.
  static func noSingleTrees(_ recorder: Recorder) -> ClusterAnalysis.PlacementCheck {
    { c in
      recorder.record(c)
      return c.row.treeCount == 1 ? "stages: needs 13, budget 12" : nil
    }
  }

  @Test func withoutCheckTheBestRowIsSelected() throws {
    let result = try ClusterAnalysis.run(
      data: try Fixture.data(), clusters: Fixture.clusters, settings: Self.settings(threads: 1, placement: nil))
    for c in result.clusters {
      #expect(c.selected == ClusterSelection.select(c.rows))
      #expect(c.rejected.isEmpty)
    }
  }

  @Test func betterRowsThatCannotBePlacedAreSkippedAndRecorded() throws {
    let recorder = Recorder()
    let result = try ClusterAnalysis.run(
      data: try Fixture.data(), clusters: Fixture.clusters,
      settings: Self.settings(threads: 1, placement: Self.noSingleTrees(recorder)))
    for c in result.clusters {
      let ranked = c.rows.sorted(by: ClusterSelection.isBetter)
      let first = try #require(ranked.firstIndex { $0.treeCount != 1 })
      // The unchecked best is a one-tree forest here, so the check really changes the choice.
      #expect(first > 0)
      #expect(c.selected == ranked[first])
      #expect(c.rejected.map(\.row) == Array(ranked[..<first]))
      #expect(c.rejected.allSatisfy { $0.reason == "stages: needs 13, budget 12" })
      #expect(c.refitAgrees)
      // One thread: every rejected row and the selected one were refitted and checked, nothing more.
      #expect(recorder.rows(of: c.definition.id) == Array(ranked[...first]))
    }
    #expect(recorder.mismatches == 0)
  }

  @Test func batchingDoesNotChangeTheSelection() throws {
    let data = try Fixture.data()
    let one = try ClusterAnalysis.run(
      data: data, clusters: Fixture.clusters,
      settings: Self.settings(threads: 1, placement: Self.noSingleTrees(Recorder())))
    let many = try ClusterAnalysis.run(
      data: data, clusters: Fixture.clusters,
      settings: Self.settings(threads: 8, placement: Self.noSingleTrees(Recorder())))
    #expect(one.clusters.map(\.selected) == many.clusters.map(\.selected))
    #expect(one.clusters.map(\.rejected) == many.clusters.map(\.rejected))
    #expect(one.clusters.map(\.model) == many.clusters.map(\.model))
  }

  @Test func aClusterWithNoPlaceableCandidateFailsByName() throws {
    let check: ClusterAnalysis.PlacementCheck = { c in c.cluster.id == 1 ? "TCAM blocks: needs 300, budget 288" : nil }
    let error = #expect(throws: ClusterAnalysisError.self) {
      try ClusterAnalysis.run(
        data: try Fixture.data(), clusters: Fixture.clusters, settings: Self.settings(threads: 1, placement: check))
    }
    let message = error?.message ?? ""
    #expect(message.contains("cluster 1 (B, C)"), "\(message)")
    #expect(message.contains("can be placed on one switch"), "\(message)")
    #expect(message.contains("TCAM blocks: needs 300, budget 288"), "\(message)")
  }

  @Test func anErrorOfTheCheckPropagates() throws {
    struct Broken: Error {}
    let check: ClusterAnalysis.PlacementCheck = { _ in throw Broken() }
    #expect(throws: Broken.self) {
      try ClusterAnalysis.run(
        data: try Fixture.data(), clusters: Fixture.clusters, settings: Self.settings(threads: 1, placement: check))
    }
  }
}
