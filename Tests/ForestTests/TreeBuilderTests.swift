import Foundation
import Testing

@testable import Forest

@Suite struct TreeBuilderTests {
  /// A hand-computed weighted tree: x = 1,2,3,4 with classes 0,0,1,1 but weights making the
  /// threshold choice visible.
  @Test func handComputedWeightedStump() throws {
    let set = LabelledSet(
      matrix: FeatureMatrix(columns: [[1, 2, 3, 4]]), labels: [0, 1, 0, 1], weights: [3, 1, 1, 1])
    let m = try RandomForest.train(
      set, classes: ["p", "q"], features: ["x"],
      parameters: ForestParameters(treeCount: 1, growth: .depthFirst(maxDepth: 1), maxFeatures: .all))
    let t = m.trees[0]
    // Candidates: x≤1.5 → L {3,0} R {1,1,1}: Σ²/w = 9/3 + (1+4)/3 = 4.667; x≤2.5 → L {3,1},R{1,1}: 10/4+2/2 = 3.5;
    // x≤3.5 → L{4,1},R{0,1}: 17/5 + 1 = 4.4. Best: 1.5.
    #expect(t.feature == [0, -1, -1])
    #expect(t.threshold == [1.5, -2, -2])
    #expect(t.value == [4, 2, 3, 0, 1, 2])
    #expect(t.weightedSamples == [6, 3, 3])
    #expect(abs(t.impurity[0] - (1 - (16.0 + 4) / 36)) < 1e-15)
  }

  @Test func pureAndConstantNodesAreLeaves() throws {
    let constant = LabelledSet(
      matrix: FeatureMatrix(columns: [[5, 5, 5, 5]]), labels: [0, 1, 0, 1], weights: [1, 1, 1, 1])
    let m = try RandomForest.train(
      constant, classes: ["p", "q"], features: ["x"],
      parameters: ForestParameters(treeCount: 1, growth: .depthFirst(maxDepth: nil)))
    #expect(m.trees[0].nodeCount == 1)
    let pure = LabelledSet(matrix: FeatureMatrix(columns: [[1, 2, 3]]), labels: [1, 1, 1], weights: [1, 1, 1])
    let m2 = try RandomForest.train(
      pure, classes: ["p", "q"], features: ["x"],
      parameters: ForestParameters(treeCount: 1, growth: .depthFirst(maxDepth: nil)))
    #expect(m2.trees[0].nodeCount == 1)
  }

  @Test func constantFeaturesAreSkippedUntilAUsefulOneIsFound() throws {
    // Five constant features and one informative one; max_features = 1 must still find the split.
    var columns = Array(repeating: [Double](repeating: 7, count: 8), count: 5)
    columns.append([1, 2, 3, 4, 5, 6, 7, 8])
    let set = LabelledSet(
      matrix: FeatureMatrix(columns: columns), labels: [0, 0, 0, 0, 1, 1, 1, 1], weights: Array(repeating: 1, count: 8))
    for seed in UInt64(0)..<20 {
      let m = try RandomForest.train(
        set, classes: ["p", "q"], features: (0..<6).map { "f\($0)" },
        parameters: ForestParameters(
          treeCount: 1, growth: .depthFirst(maxDepth: nil), maxFeatures: .count(1), seed: seed))
      #expect(m.trees[0].feature == [5, -1, -1])
      #expect(m.trees[0].threshold[0] == 4.5)
    }
  }

  @Test func limitsAreRespected() throws {
    let set = Fixtures.random(rows: 500, features: 5, classes: 3, seed: 3)
    let names = (0..<5).map { "f\($0)" }
    let classes = ["a", "b", "c"]
    let deep = try RandomForest.train(
      set, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: 4)))
    #expect(deep.trees.allSatisfy { $0.depth <= 4 })
    let leafy = try RandomForest.train(
      set, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 3, growth: .bestFirst(maxLeafNodes: 17, maxDepth: nil)))
    #expect(leafy.trees.allSatisfy { $0.leafCount == 17 })
    let minLeaf = try RandomForest.train(
      set, classes: classes, features: names,
      parameters: ForestParameters(treeCount: 2, growth: .depthFirst(maxDepth: nil), minSamplesLeaf: 10))
    for t in minLeaf.trees {
      for v in 0..<t.nodeCount where !t.isLeaf(v) {
        #expect(t.left[v] > Int32(v) && t.right[v] > Int32(v))
      }
    }
    // Weighted sample totals are conserved by every split.
    for t in deep.trees + leafy.trees {
      for v in 0..<t.nodeCount where !t.isLeaf(v) {
        let sum = t.weightedSamples[Int(t.left[v])] + t.weightedSamples[Int(t.right[v])]
        #expect(abs(sum - t.weightedSamples[v]) < 1e-9)
      }
    }
  }

  @Test func bestFirstExpandsLargestImprovementFirst() throws {
    // A best-first tree with L leaves is the first L−1 expansions of a larger best-first tree:
    // all splits of the small tree appear, with the same thresholds, in the large one.
    let set = Fixtures.random(rows: 400, features: 4, classes: 3, seed: 5)
    let names = (0..<4).map { "f\($0)" }
    let small = try RandomForest.train(
      set, classes: ["a", "b", "c"], features: names,
      parameters: ForestParameters(treeCount: 1, growth: .bestFirst(maxLeafNodes: 5, maxDepth: nil), maxFeatures: .all))
    let large = try RandomForest.train(
      set, classes: ["a", "b", "c"], features: names,
      parameters: ForestParameters(treeCount: 1, growth: .bestFirst(maxLeafNodes: 9, maxDepth: nil), maxFeatures: .all))
    let s = small.trees[0]
    let l = large.trees[0]
    var splitsSmall: [String] = []
    var splitsLarge: Set<String> = []
    for v in 0..<s.nodeCount where !s.isLeaf(v) {
      splitsSmall.append("\(s.feature[v])@\(s.threshold[v])@\(s.weightedSamples[v])")
    }
    for v in 0..<l.nodeCount where !l.isLeaf(v) {
      splitsLarge.insert("\(l.feature[v])@\(l.threshold[v])@\(l.weightedSamples[v])")
    }
    #expect(splitsSmall.count == 4)
    #expect(splitsSmall.allSatisfy { splitsLarge.contains($0) })
  }

  @Test func modelRoundTripsThroughJSON() throws {
    let set = Fixtures.random(rows: 200, features: 3, classes: 2, seed: 9)
    let m = try RandomForest.train(
      set, classes: ["x", "y"], features: ["a", "b", "c"],
      parameters: ForestParameters(treeCount: 2, growth: .depthFirst(maxDepth: 5), bootstrap: true))
    let data = try m.jsonData()
    let back = try JSONDecoderShim.decode(data)
    #expect(back == m)
    #expect(try back.jsonData() == data)
    // Soft and hard votes agree with the closure-based predictors of the contract.
    let soft = m.predictSoft(set.matrix)
    let hard = m.predictHard(set.matrix)
    for r in 0..<set.rowCount {
      let x: (Int) -> Double = { Double(set.matrix[r, $0]) }
      #expect(Int(soft[r]) == m.predictSoft(x))
      #expect(hard[r].map(Int.init) == m.predictHard(x))
    }
  }
}

/// Decodes a model file's bytes.
enum JSONDecoderShim {
  static func decode(_ data: Data) throws -> ForestModel { try JSONDecoder().decode(ForestModel.self, from: data) }
}
