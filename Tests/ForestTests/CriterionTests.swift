import Foundation
import Testing
import Traffic

@testable import Forest

@Suite struct CriterionTests {
  /// Entropy and Gini prefer different splits here; both are checked against hand computation.
  /// x = 1..6, classes 0 0 1 1 1 2 (unit weights).
  @Test func entropyAndGiniPickTheirOwnBestSplit() throws {
    let set = LabelledSet(
      matrix: FeatureMatrix(columns: [[1, 2, 3, 4, 5, 6]]), labels: [0, 0, 1, 1, 1, 2],
      weights: Array(repeating: 1, count: 6))
    func h(_ c: [Double]) -> Double {
      let w = c.reduce(0, +)
      return -c.filter { $0 > 0 }.map { $0 / w * log2($0 / w) }.reduce(0, +)
    }
    func g(_ c: [Double]) -> Double {
      let w = c.reduce(0, +)
      return 1 - c.map { ($0 / w) * ($0 / w) }.reduce(0, +)
    }
    // Candidate splits after x = 1..5 and their class counts left | right.
    let splits: [([Double], [Double])] = [
      ([1, 0, 0], [1, 3, 1]), ([2, 0, 0], [0, 3, 1]), ([2, 1, 0], [0, 2, 1]), ([2, 2, 0], [0, 1, 1]),
      ([2, 3, 0], [0, 0, 1]),
    ]
    for (criterion, imp) in [(SplitCriterion.gini, g), (.entropy, h)] {
      let scores = splits.map { l, r in l.reduce(0, +) * imp(l) + r.reduce(0, +) * imp(r) }
      let bestIndex = scores.indices.min { scores[$0] < scores[$1] }!
      let m = try RandomForest.train(
        set, classes: ["a", "b", "c"], features: ["x"],
        parameters: ForestParameters(
          treeCount: 1, growth: .depthFirst(maxDepth: 1), criterion: criterion, maxFeatures: .all))
      #expect(m.trees[0].threshold[0] == Double(bestIndex) + 1.5, "\(criterion)")
      let rootImpurity = criterion == .gini ? g([2, 3, 1]) : h([2, 3, 1])
      #expect(abs(m.trees[0].impurity[0] - rootImpurity) < 1e-12)
    }
  }

  @Test func bootstrapIsSeededAndChangesTrees() throws {
    let set = Fixtures.random(rows: 300, features: 4, classes: 3, seed: 21)
    let names = ["a", "b", "c", "d"]
    let p = ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: 6), bootstrap: true, seed: 5)
    let one = try RandomForest.train(set, classes: ["x", "y", "z"], features: names, parameters: p)
    let two = try RandomForest.train(set, classes: ["x", "y", "z"], features: names, parameters: p)
    #expect(one == two)
    var q = p
    q.bootstrap = false
    let plain = try RandomForest.train(set, classes: ["x", "y", "z"], features: names, parameters: q)
    #expect(plain.trees[0].weightedSamples[0] != one.trees[0].weightedSamples[0] || plain.trees[0] != one.trees[0])
  }

  @Test func hardVoteReportsTies() {
    // Two stumps voting for different classes on every input → tie → nil.
    let a = DecisionTree(
      feature: [-1], threshold: [-2], left: [-1], right: [-1], weightedSamples: [1], impurity: [0], value: [1, 0],
      classCount: 2)
    let b = DecisionTree(
      feature: [-1], threshold: [-2], left: [-1], right: [-1], weightedSamples: [1], impurity: [0], value: [0, 1],
      classCount: 2)
    let m = ForestModel(classes: ["p", "q"], features: ["x"], trees: [a, b])
    let x = FeatureMatrix(columns: [[0, 1]])
    #expect(m.predictHard(x) == [nil, nil])
    #expect(m.predictSoft(x) == [0, 0])  // equal probabilities → lowest index, as numpy argmax
    let m3 = ForestModel(classes: ["p", "q"], features: ["x"], trees: [a, b, b])
    #expect(m3.predictHard(x) == [1, 1])
  }

  @Test func preparationRejectsMissingColumnsAndMarksEmptyTraining() throws {
    var t = SampleTableShim.table(rows: 2)
    t.columns[0] = "renamed"
    #expect(throws: (any Error).self) {
      try DatasetPreparation.prepare(t, n: 2, classes: ["a"], features: ["renamed2"], packetCount: { _, _ in 3 })
    }
    let ok = SampleTableShim.table(rows: 2)
    #expect(throws: (any Error).self) {
      try DatasetPreparation.prepare(
        train: ok, test: ok, n: 2, classes: ["zebra"], features: ["ip.len"], trainCounts: { _, _ in 3 },
        testCounts: { _, _ in 3 })
    }
  }
}

/// A minimal sample table with every column set to 1 and label `a`.
enum SampleTableShim {
  static func table(rows: Int) -> SampleTable {
    var t = SampleTable()
    for c in 0..<t.columns.count { t.values[c] = Array(repeating: 1, count: rows) }
    t.flowIDs = (0..<rows).map { "f\($0)" }
    t.labels = Array(repeating: "a", count: rows)
    t.files = Array(repeating: "x.pcap", count: rows)
    return t
  }
}
