import Testing

@testable import Forest

@Suite struct GridTests {
  let classes = ["a", "b", "c"]
  let names = ["f0", "f1", "f2", "f3", "f4"]

  @Test func gridRowsEqualDirectFitsOnRankedSubsets() throws {
    let train = Fixtures.random(rows: 400, features: 5, classes: 3, seed: 31)
    let test = Fixtures.random(rows: 200, features: 5, classes: 3, seed: 32)
    var rows: [UnconstrainedGrid.Row] = []
    let settings = UnconstrainedGrid.Settings(depths: [2, 5], treeCounts: [1, 3], subsetSizes: [2, 5], threads: 2)
    let summary = try UnconstrainedGrid.run(
      inputs: [.init(n: 2, train: train, test: test)], classes: classes, features: names, settings: settings,
      onRow: { rows.append($0) })
    #expect(rows.count == 2 * 2 * 2)
    #expect(summary.fits == 3)
    // The ranking is the MDI order of the ranking forest (3 trees, depth 5, all features).
    let rankModel = try RandomForest.train(
      train, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: 5)))
    let rank = FeatureImportance.ranking(FeatureImportance.mdi(rankModel)).map { names[$0] }
    #expect(summary.rankings[2] == rank)
    for row in rows {
      #expect(row.features == Array(rank.prefix(row.features.count)))
      let idx = row.features.map { names.firstIndex(of: $0)! }
      let fit = try RandomForest.train(
        train.selecting(features: idx), classes: classes, features: row.features,
        parameters: ForestParameters(treeCount: row.treeCount, growth: .depthFirst(maxDepth: row.maxDepth)))
      let direct = FlowPacketEvaluation(
        test: test.selecting(features: idx), predictions: fit.predictSoft(test.selecting(features: idx).matrix),
        classCount: 3)
      #expect(direct == row.evaluation)
    }
    // The best row wins under the documented rule.
    #expect(rows.allSatisfy { !$0.isBetter(than: summary.best) })
  }

  @Test func bestModelTieRule() {
    let report = ClassificationReport(truePositive: [1, 1], predicted: [1, 1], actual: [1, 1], labels: [0, 1])
    let e = FlowPacketEvaluation(fl: report, pl: report, expandedSamples: 2)
    func row(_ n: Int, _ t: Int, _ d: Int, _ k: Int) -> UnconstrainedGrid.Row {
      .init(
        n: n, treeCount: t, maxDepth: d, features: Array(repeating: "x", count: k), depths: [], leaves: [],
        evaluation: e)
    }
    #expect(row(2, 9, 9, 9).isBetter(than: row(3, 1, 1, 1)))
    #expect(row(3, 1, 9, 9).isBetter(than: row(3, 2, 1, 1)))
    #expect(row(3, 1, 1, 9).isBetter(than: row(3, 1, 2, 1)))
    #expect(row(3, 1, 1, 1).isBetter(than: row(3, 1, 1, 2)))
    #expect(!row(3, 1, 1, 1).isBetter(than: row(3, 1, 1, 1)))
  }

  @Test func outputFilesFollowTheReferenceFormats() {
    let report = ClassificationReport(
      truePositive: [1, 3, 0], predicted: [2, 3, 0], actual: [1, 4, 0], labels: [0, 1])
    let csv = GridOutputs.scorePerClassCSV(report, classes: ["x", "y", "z"])
    // y: P 1, R 0.75 → 85.714…%; x: P 0.5, R 1 → 66.67%.
    #expect(csv.hasPrefix("class,f1_score,support\ny,85.71428571428"))
    #expect(csv.hasSuffix(",1\n"))
    #expect(!csv.contains("z,"))
    let w = GridOutputs.importanceWeightsCSV(
      .init(matrix: [[0.25, 0.75], [1, 0]], zeroRowClasses: []), classes: ["p", "q"], features: ["b", "a"])
    #expect(w == "classes,b,a\np,0.25,0.75\nq,1,0\n")
  }
}

@Suite struct PerPointRankingTests {
  let classes = ["a", "b", "c"]
  let names = ["f0", "f1", "f2", "f3", "f4"]

  @Test func truncatedMDIEqualsMDIOfDirectFits() throws {
    let train = Fixtures.random(rows: 400, features: 5, classes: 3, seed: 41)
    let deep = try RandomForest.train(
      train, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 4, growth: .depthFirst(maxDepth: 9)))
    let cuts = [1, 3, 9]
    let t = FeatureImportance.truncatedMDI(trees: deep.trees, featureCount: 5, cuts: cuts)
    for (ci, d) in cuts.enumerated() {
      for trees in 1...4 {
        let fit = try RandomForest.train(
          train, classes: classes, features: names,
          parameters: ForestParameters(treeCount: trees, growth: .depthFirst(maxDepth: d)))
        #expect(t[ci][trees - 1] == FeatureImportance.mdi(fit), "trees \(trees) depth \(d)")
      }
    }
  }

  @Test func perPointRowsUseEachPointsOwnRanking() throws {
    let train = Fixtures.random(rows: 300, features: 5, classes: 3, seed: 43)
    let test = Fixtures.random(rows: 150, features: 5, classes: 3, seed: 44)
    var rows: [UnconstrainedGrid.Row] = []
    let settings = UnconstrainedGrid.Settings(
      depths: [1, 2, 6], treeCounts: [1, 2, 3], subsetSizes: [1, 2], threads: 2, ranking: .perPoint)
    _ = try UnconstrainedGrid.run(
      inputs: [.init(n: 3, train: train, test: test)], classes: classes, features: names, settings: settings,
      onRow: { rows.append($0) })
    #expect(rows.count == 3 * 3 * 2)
    for row in rows {
      let all = try RandomForest.train(
        train, classes: classes, features: names,
        parameters: ForestParameters(treeCount: row.treeCount, growth: .depthFirst(maxDepth: row.maxDepth)))
      let rank = FeatureImportance.ranking(FeatureImportance.mdi(all))
      let idx = Array(rank.prefix(row.features.count))
      #expect(row.features == idx.map { names[$0] })
      let fit = try RandomForest.train(
        train.selecting(features: idx), classes: classes, features: row.features,
        parameters: ForestParameters(treeCount: row.treeCount, growth: .depthFirst(maxDepth: row.maxDepth)))
      let sub = test.selecting(features: idx)
      #expect(
        FlowPacketEvaluation(test: sub, predictions: fit.predictSoft(sub.matrix), classCount: 3) == row.evaluation)
    }
  }
}

/// The helpers `dune forest grid` and the `forest.grid` step share.
extension GridTests {
  @Test func retrainedBestScoresExactlyAsTheGridPoint() throws {
    let train = Fixtures.random(rows: 400, features: 5, classes: 3, seed: 41)
    let test = Fixtures.random(rows: 200, features: 5, classes: 3, seed: 42)
    let settings = UnconstrainedGrid.Settings(depths: [3, 12], treeCounts: [1, 3], subsetSizes: [2, 5], threads: 2)
    var files = UnconstrainedGrid.ResultFiles(inferencePoints: [2, 7], classes: classes)
    var rows = 0
    let summary = try UnconstrainedGrid.run(
      inputs: [.init(n: 2, train: train, test: test)], classes: classes, features: names, settings: settings,
      onRow: {
        files.add($0)
        rows += 1
      })
    let best = summary.best
    #expect(best.realisedDepth == best.depths.max())
    #expect(best.realisedDepth <= best.maxDepth)
    let model = try UnconstrainedGrid.retrainBest(
      best, train: train, classes: classes, features: names, settings: settings)
    #expect(model.features == best.features)
    #expect(model.trees.count == best.treeCount)
    let idx = best.features.map { names.firstIndex(of: $0)! }
    let sub = test.selecting(features: idx)
    let e = FlowPacketEvaluation(test: sub, predictions: model.predictSoft(sub.matrix), classCount: 3)
    #expect(e == best.evaluation)
    // One header plus one line per grid row for N = 2; N = 7 had no rows.
    #expect(files.text(n: 2).split(separator: "\n").count == 1 + rows)
    #expect(files.text(n: 7) == GridOutputs.resultsHeader.joined(separator: ";") + "\n")
    #expect(files.text(n: 3) == "")
  }

  @Test func retrainRejectsAFeatureOutsideTheColumns() {
    let train = Fixtures.random(rows: 50, features: 5, classes: 3, seed: 1)
    let report = ClassificationReport(truePositive: [1], predicted: [1], actual: [1], labels: [0])
    let row = UnconstrainedGrid.Row(
      n: 2, treeCount: 1, maxDepth: 3, features: ["nope"], depths: [3], leaves: [4],
      evaluation: FlowPacketEvaluation(fl: report, pl: report, expandedSamples: 1))
    #expect(throws: (any Error).self) {
      try UnconstrainedGrid.retrainBest(
        row, train: train, classes: classes, features: names, settings: UnconstrainedGrid.Settings())
    }
  }
}
