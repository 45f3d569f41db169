import Foundation
import Testing

@testable import Forest

/// The PCFI worked example of `dune-reference.md` §12.3.
@Suite struct GoldenTests {
  let model = ForestModel(classes: ["c0", "c1", "c2"], features: ["a", "b"], trees: [Fixtures.workedTree])

  @Test func mdiOfWorkedExample() {
    let mdi = FeatureImportance.mdi(model)
    #expect(abs(mdi[0] - 0.2) < 1e-12)
    #expect(abs(mdi[1] - 0.8) < 1e-12)
  }

  @Test func pcfiOfWorkedExample() {
    let p = FeatureImportance.pcfi(model)
    let expected: [[Double]] = [[0, 1], [0.3, 0.7], [0.3, 0.7]]
    for c in 0..<3 { for f in 0..<2 { #expect(abs(p.matrix[c][f] - expected[c][f]) < 1e-12) } }
    #expect(p.zeroRowClasses.isEmpty)
  }

  @Test func fitReproducesTheWorkedTree() throws {
    // max_features = all makes the tree deterministic: it must equal the hand-written one exactly.
    for seed in [UInt64(0), 1, 42, 7777] {
      let params = ForestParameters(treeCount: 1, growth: .depthFirst(maxDepth: nil), maxFeatures: .all, seed: seed)
      let fitted = try RandomForest.train(
        Fixtures.worked, classes: ["c0", "c1", "c2"], features: ["a", "b"], parameters: params)
      let t = fitted.trees[0]
      let h = Fixtures.workedTree
      #expect(t.feature == h.feature)
      #expect(t.threshold == h.threshold)
      #expect(t.left == h.left)
      #expect(t.right == h.right)
      #expect(t.weightedSamples == h.weightedSamples)
      #expect(t.value == h.value)
      for v in 0..<h.nodeCount { #expect(abs(t.impurity[v] - h.impurity[v]) < 1e-12) }
      let p = FeatureImportance.pcfi(fitted)
      #expect(abs(p.matrix[1][0] - 0.3) < 1e-12 && abs(p.matrix[2][1] - 0.7) < 1e-12)
    }
  }

  @Test func pcfiZeroRowGuard() {
    // Class c2 is never a leaf majority in a stump that only separates c0 from c1.
    let stump = DecisionTree(
      feature: [0, -1, -1], threshold: [0.5, -2, -2], left: [1, -1, -1], right: [2, -1, -1],
      weightedSamples: [4, 2, 2], impurity: [0.5, 0, 0], value: [2, 2, 0, 2, 0, 0, 0, 2, 0], classCount: 3)
    let p = FeatureImportance.pcfi(ForestModel(classes: ["c0", "c1", "c2"], features: ["x"], trees: [stump]))
    #expect(p.zeroRowClasses == ["c2"])
    #expect(p.matrix[2] == [0])
    #expect(p.matrix[0] == [1])
  }

  @Test func pcfiEntropyVariant() {
    let p = FeatureImportance.pcfi(model, criterion: .entropy)
    // Class 0 is split off only at the root, on b.
    #expect(p.matrix[0] == [0, 1])
    for row in p.matrix { #expect(abs(row.reduce(0, +) - 1) < 1e-12) }
    // Class 1 under entropy: node 2 on b: 8·1 − 5·H(0.2); node 0 on b: 12·H(1/3) − 8·1; node 4 on a: 5·H(0.2).
    func h(_ p: Double) -> Double { -(p * log2(p) + (1 - p) * log2(1 - p)) }
    let a = 5 * h(0.2)
    let b = (8 - 5 * h(0.2)) + (12 * h(1.0 / 3) - 8)
    #expect(abs(p.matrix[1][0] - a / (a + b)) < 1e-12)
  }
}
