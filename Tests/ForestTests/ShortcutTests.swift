import Testing

@testable import Forest

/// The structure-sharing shortcuts of the grid, proved against independent fits.
@Suite struct ShortcutTests {
  let train = Fixtures.random(rows: 600, features: 6, classes: 4, seed: 11)
  let test: LabelledSet = {
    var t = Fixtures.random(rows: 300, features: 6, classes: 4, seed: 12)
    // Give test rows varied expansion counts and FL weights, as flow rows have.
    t.counts = t.labels.indices.map { Double($0 % 5 + 1) }
    t.weights = t.labels.indices.map { Double($0 % 5 + 1) / Double($0 % 7 + 5) }
    return t
  }()
  let classes = ["a", "b", "c", "d"]
  let names = ["f0", "f1", "f2", "f3", "f4", "f5"]

  @Test func smallerForestIsAPrefix() throws {
    let big = try RandomForest.train(
      train, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 6, growth: .depthFirst(maxDepth: 8)))
    let small = try RandomForest.train(
      train, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: 8)))
    #expect(Array(big.trees.prefix(3)) == small.trees)
    #expect(big.trees[0] != big.trees[1])
  }

  @Test func resultDoesNotDependOnThreads() throws {
    let p = ForestParameters(treeCount: 5, growth: .depthFirst(maxDepth: nil))
    let one = try RandomForest.train(train, classes: classes, features: names, parameters: p, threads: 1)
    let four = try RandomForest.train(train, classes: classes, features: names, parameters: p, threads: 4)
    #expect(one == four)
    #expect(try one.jsonData() == four.jsonData())
  }

  @Test func gridPointsEqualIndependentFits() throws {
    let deep = try RandomForest.train(
      train, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 5, growth: .depthFirst(maxDepth: 12)))
    let points = TruncatedForestEvaluator(trees: deep.trees, classCount: 4)
      .evaluate(test: test, treeCounts: [1, 2, 5], maxDepths: [2, 4, 7, 12])
    #expect(points.count == 12)
    for point in points {
      let fit = try RandomForest.train(
        train, classes: classes, features: names,
        parameters: ForestParameters(treeCount: point.treeCount, growth: .depthFirst(maxDepth: point.maxDepth)))
      let direct = FlowPacketEvaluation(test: test, predictions: fit.predictSoft(test.matrix), classCount: 4)
      #expect(point.evaluation == direct, "trees \(point.treeCount) depth \(point.maxDepth)")
      #expect(point.depths == fit.trees.map(\.depth))
      #expect(point.leaves == fit.trees.map(\.leafCount))
    }
  }
}

/// One feature, no bootstrap: every tree of a forest is the same tree (`RandomForest.trainTrees`
/// fits it once), proved against each tree fitted on its own with its own seed.
@Suite struct SingleFeatureForestTests {
  @Test(arguments: [
    TreeGrowth.depthFirst(maxDepth: nil), .depthFirst(maxDepth: 5), .bestFirst(maxLeafNodes: 41, maxDepth: nil),
  ])
  func everyTreeEqualsItsOwnFit(_ growth: TreeGrowth) throws {
    for seed in [UInt64(1), 42] {
      var set = Fixtures.random(rows: 900, features: 3, classes: 4, seed: seed)
      set = set.selecting(features: [2])  // the 1000-level column: deep trees
      let data = try TrainingData(set, classCount: 4)
      let p = ForestParameters(treeCount: 5, growth: growth, seed: seed &* 7)
      let forest = RandomForest.trainTrees(data, parameters: p, threads: 2)
      let alone = (0..<5).map { RandomForest.trainTrees(data, parameters: p, trees: $0..<($0 + 1), threads: 1)[0] }
      #expect(forest == alone)
      #expect(forest[0].nodeCount > 20)
      var bootstrapped = p
      bootstrapped.bootstrap = true
      let b = RandomForest.trainTrees(data, parameters: bootstrapped, threads: 2)
      #expect(b[0] != b[1], "with bootstrap the trees differ: the shortcut must not apply")
    }
  }
}

/// The depth truncation of a depth-first tree and the grid's best forest taken from its own fit.
@Suite struct DepthTruncationTests {
  let train = Fixtures.random(rows: 700, features: 6, classes: 4, seed: 21)
  let test = Fixtures.random(rows: 300, features: 6, classes: 4, seed: 22)
  let classes = ["a", "b", "c", "d"]
  let names = ["f0", "f1", "f2", "f3", "f4", "f5"]

  @Test func truncationEqualsADirectFit() throws {
    let data = try TrainingData(train, classCount: 4)
    for seed in [UInt64(3), 42] {
      let deep = RandomForest.trainTrees(
        data, parameters: ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: nil), seed: seed), threads: 2)
      for depth in [0, 1, 4, 9] {
        let direct = RandomForest.trainTrees(
          data, parameters: ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: depth), seed: seed),
          threads: 2)
        #expect(deep.map { $0.truncated(toDepth: depth) } == direct, "seed \(seed) depth \(depth)")
      }
      #expect(deep.map { $0.truncated(toDepth: 10_000) } == deep)
    }
  }

  /// `bestModel` reads the best forest off the grid's own fit: the very trees `retrainBest` fits.
  @Test(arguments: [UnconstrainedGrid.Ranking.perN, .perPoint])
  func bestModelEqualsTheRetrainedForest(_ ranking: UnconstrainedGrid.Ranking) throws {
    let settings = UnconstrainedGrid.Settings(
      depths: [3, 6, 12], treeCounts: [2, 5], subsetSizes: [2, 4, 6], threads: 2, ranking: ranking)
    let inputs = [UnconstrainedGrid.Input(n: 3, train: train, test: test)]
    let summary = try UnconstrainedGrid.run(
      inputs: inputs, classes: classes, features: names, settings: settings, onRow: { _ in })
    #expect(summary.bestFit != nil)
    let fromGrid = try UnconstrainedGrid.bestModel(
      summary, train: train, classes: classes, features: names, settings: settings)
    let retrained = try UnconstrainedGrid.retrainBest(
      summary.best, train: train, classes: classes, features: names, settings: settings)
    #expect(fromGrid == retrained)
    #expect(try fromGrid.jsonData() == retrained.jsonData())
  }
}
