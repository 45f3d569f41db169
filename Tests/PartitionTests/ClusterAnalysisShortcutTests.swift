import Forest
import Testing

@testable import Partition

/// Proofs of the constrained grid's shortcuts against independent fits.
@Suite struct ClusterAnalysisShortcutTests {
  static let train = ClusterFixtures.random(rows: 600, features: 6, classes: 4, seed: 11)
  static let test = ClusterFixtures.random(rows: 300, features: 6, classes: 4, seed: 12)
  static let classes = ["c0", "c1", "c2", "Other"]
  static let names = (0..<6).map { "f\($0)" }

  static func fit(_ set: LabelledSet, trees: Int, leaves: Int, seed: UInt64 = 42) throws -> [DecisionTree] {
    let data = try TrainingData(set, classCount: classes.count)
    return RandomForest.trainTrees(
      data,
      parameters: ForestParameters(
        treeCount: trees, growth: .bestFirst(maxLeafNodes: leaves, maxDepth: nil), seed: seed),
      threads: 1)
  }

  /// A best-first tree grown to L leaves is exactly the big tree cut to L leaves (node for node).
  @Test(arguments: [UInt64(42), 7])
  func leafBudgetTruncationEqualsIndependentFit(seed: UInt64) throws {
    let big = try Self.fit(Self.train, trees: 3, leaves: 120, seed: seed)
    #expect(big.allSatisfy { $0.leafCount > 41 })
    for budget in [2, 3, 5, 13, 41, 85, 120] {
      let direct = try Self.fit(Self.train, trees: 3, leaves: budget, seed: seed)
      for t in 0..<3 {
        #expect(big[t].truncated(toLeaves: budget) == direct[t], "tree \(t) budget \(budget)")
        #expect(direct[t].leafCount == min(budget, big[t].leafCount))
      }
    }
  }

  /// Budgets beyond what the data allows: the truncation is the whole tree, like the direct fit.
  @Test func budgetLargerThanTheTreeIsTheWholeTree() throws {
    let small = LabelledSet(
      matrix: FeatureMatrix(columns: [[1, 2, 3, 4]]), labels: [0, 1, 0, 1], weights: [1, 1, 1, 1])
    let big = try Self.fit(small, trees: 1, leaves: 500)
    let direct = try Self.fit(small, trees: 1, leaves: 41)
    #expect(big[0] == direct[0])
    #expect(big[0].truncated(toLeaves: 41) == direct[0])
  }

  /// The one-pass evaluator equals evaluating every independently fitted (trees, budget) forest.
  @Test func evaluatorEqualsIndependentForests() throws {
    let big = try Self.fit(Self.train, trees: 5, leaves: 100)
    let points = LeafBudgetForestEvaluator(trees: big, classCount: 4).evaluate(
      test: Self.test, treeCounts: [1, 3, 5], leafBudgets: [100, 3, 41], threads: 2)
    #expect(
      points.map { "\($0.treeCount)/\($0.leafBudget)" } == [
        "1/3", "1/41", "1/100", "3/3", "3/41", "3/100", "5/3", "5/41", "5/100",
      ])
    for p in points {
      let direct = try Self.fit(Self.train, trees: p.treeCount, leaves: p.leafBudget)
      let model = ForestModel(classes: Self.classes, features: Self.names, trees: direct)
      let predictions = model.predictSoft(Self.test.matrix, threads: 1)
      #expect(p.evaluation == FlowPacketEvaluation(test: Self.test, predictions: predictions, classCount: 4))
      #expect(p.leaves == direct.map(\.leafCount))
      #expect(p.depths == direct.map(\.depth))
    }
  }

  /// The whole grid equals the naive reference loop (one ranking fit per (T, b), one fit per point).
  @Test(arguments: ConstrainedGrid.Ranking.allCases)
  func gridEqualsNaiveLoop(ranking: ConstrainedGrid.Ranking) throws {
    let settings = ConstrainedGrid.Settings(
      treeCounts: [1, 3], leafBudgets: [4, 15, 40], ranking: ranking, threads: 2)
    let out = try ConstrainedGrid.run(
      n: 2, cluster: 0, train: Self.train, test: Self.test, classes: Self.classes, features: Self.names,
      settings: settings)
    #expect(out.rows.count == 2 * 3 * 6)
    #expect(out.stats.evaluationFits <= out.stats.naiveFits)
    var i = 0
    for t in [1, 3] {
      for b in [4, 15, 40] {
        let (rt, rb) = ranking == .shared ? (3, 40) : (t, b)
        let rankTrees = try Self.fit(Self.train, trees: rt, leaves: rb)
        let rank = FeatureImportance.ranking(
          FeatureImportance.mdi(ForestModel(classes: Self.classes, features: Self.names, trees: rankTrees)))
        for k in 1...6 {
          let cols = Array(rank.prefix(k))
          let trees = try Self.fit(Self.train.selecting(features: cols), trees: t, leaves: b)
          let model = ForestModel(classes: Self.classes, features: cols.map { Self.names[$0] }, trees: trees)
          let sub = Self.test.selecting(features: cols)
          let expected = FlowPacketEvaluation(
            test: sub, predictions: model.predictSoft(sub.matrix, threads: 1), classCount: 4)
          let row = out.rows[i]
          #expect(row.treeCount == t && row.leafBudget == b && row.features == model.features)
          #expect(row.evaluation == expected)
          #expect(row.leaves == trees.map(\.leafCount))
          #expect(
            row.tcam == referenceTCAMShare(trees: t, maxLeaves: trees.map(\.leafCount).max()!, features: model.features)
          )
          i += 1
        }
      }
    }
  }
}
