import DUNESupport
import Testing

@testable import Forest

/// Ranked training tables: the integer-key ranking and tables derived without sorting again.
@Suite struct TrainingDataTests {
  /// A table with ties, negative values, both zeros and many distinct values.
  static func set(rows: Int, seed: UInt64) -> LabelledSet {
    var g = SplitMix64(seed: seed)
    var columns: [[Double]] = []
    for levels in [3, 40, 70_000] {
      columns.append((0..<rows).map { _ in Double(g.int(in: 0...(levels - 1))) - Double(levels / 2) })
    }
    columns.append((0..<rows).map { r in r % 3 == 0 ? -0.0 : (r % 3 == 1 ? 0.0 : -1) })
    let labels = (0..<rows).map { _ in Int32(g.int(in: 0...3)) }
    return LabelledSet(
      matrix: FeatureMatrix(columns: columns), labels: labels, weights: (0..<rows).map { Double($0 % 5) / 4 })
  }

  @Test func ranksAreDenseInValueOrderWithZerosEqual() throws {
    let s = Self.set(rows: 500, seed: 7)
    let d = try TrainingData(s, classCount: 4)
    for f in 0..<s.matrix.featureCount {
      let column = (0..<s.rowCount).map { Float(s.matrix.values[f * s.rowCount + $0]) }
      let distinct = Array(Set(column.map { $0 == 0 ? 0 : $0 })).sorted()
      #expect(d.distinct[f].count == distinct.count)
      for r in 0..<s.rowCount {
        let code = Int(d.code(row: r, feature: f))
        #expect(d.distinct[f][code] == column[r])
      }
    }
    #expect(TrainingData.orderedBits(-0.0) == TrainingData.orderedBits(0.0))
    #expect(TrainingData.orderedBits(-1) < TrainingData.orderedBits(-0.5))
    #expect(TrainingData.orderedBits(-0.5) < TrainingData.orderedBits(0))
    #expect(TrainingData.orderedBits(0) < TrainingData.orderedBits(1e-30))
  }

  @Test func selectingEqualsRankingTheSelectedRelabelledSet() throws {
    let s = Self.set(rows: 400, seed: 9)
    let all = try TrainingData(s, classCount: 4)
    let map: [Int32] = [1, 0, 2, 2]
    for columns in [[2], [3, 0], [1, 2, 3, 0], [0, 0]] {
      let derived = try all.selecting(features: columns, relabel: map, classCount: 3)
      let relabelled = LabelledSet(
        matrix: s.matrix.selecting(features: columns), labels: s.labels.map { map[Int($0)] }, weights: s.weights)
      let direct = try TrainingData(relabelled, classCount: 3)
      for f in columns.indices {
        #expect(
          (0..<s.rowCount).map { derived.code(row: $0, feature: f) }
            == (0..<s.rowCount).map { direct.code(row: $0, feature: f) })
      }
      #expect(derived.distinct == direct.distinct)
      #expect(derived.labels == direct.labels)
      #expect(derived.weights == direct.weights)
      #expect(derived.featureCount == columns.count && derived.classCount == 3)
      // And the trees grown on both are the same.
      let p = ForestParameters(treeCount: 3, growth: .bestFirst(maxLeafNodes: 20, maxDepth: nil), seed: 4)
      #expect(RandomForest.trainTrees(derived, parameters: p) == RandomForest.trainTrees(direct, parameters: p))
    }
    #expect(throws: UsageError.self) { try all.selecting(features: [4]) }
    #expect(throws: UsageError.self) { try all.selecting(features: [0], relabel: [0, 1], classCount: 2) }
  }
}
