import DUNESupport
import Testing

@testable import Forest

/// Bit-exact pins of the tree builder: the SHA-256 of every array of the trees fitted under a set of
/// settings (both growth strategies, both criteria, bootstrap, fractional weights, few- and
/// many-valued features so both node sorts run), recorded before the builder's inner loops were
/// restructured. Any change to what a fit computes — a split, a threshold, a last-bit difference in
/// a weighted count — changes a digest; a faster builder must leave every one of them as it is.
@Suite struct TreeDigestTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var parameters: ForestParameters
    var digest: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "best-first 129 leaves, gini, sqrt",
      parameters: ForestParameters(treeCount: 3, growth: .bestFirst(maxLeafNodes: 129, maxDepth: nil)),
      digest: "4557d118db6b5f8e0aab533a369c835569397246d88f3c20b79dbaae108385d6"),
    Case(
      name: "best-first 41 leaves, depth ≤ 6, entropy",
      parameters: ForestParameters(
        treeCount: 3, growth: .bestFirst(maxLeafNodes: 41, maxDepth: 6), criterion: .entropy),
      digest: "83a9d6de7d591c365afd7c229c2c5c7176168148f7767fbf13e2ba79ad66ac31"),
    Case(
      name: "best-first 500 leaves, all features, bootstrap",
      parameters: ForestParameters(
        treeCount: 2, growth: .bestFirst(maxLeafNodes: 500, maxDepth: nil), maxFeatures: .all, bootstrap: true,
        seed: 7),
      digest: "6e6756170145f76c6be731573ede754b119f51d5b48b411e8e81a92d3c631b4a"),
    Case(
      name: "depth-first unlimited, gini, sqrt",
      parameters: ForestParameters(treeCount: 3, growth: .depthFirst(maxDepth: nil)),
      digest: "4f8feceed7c08974dd9efe83d042b9649850be2aff3c2ea94f3bfbd95d2d6191"),
    Case(
      name: "depth-first depth 9, entropy, 3 features, min leaf 3",
      parameters: ForestParameters(
        treeCount: 2, growth: .depthFirst(maxDepth: 9), criterion: .entropy, maxFeatures: .count(3),
        minSamplesSplit: 5, minSamplesLeaf: 3, seed: 1234),
      digest: "a6a51e14359c66e216fc27c0464b32a4c8237d6654da757e1de1f14665a97dc7"),
  ]

  /// 4000 rows: big nodes take the counting sort, small ones and the 1000-level columns the radix sort.
  static let data = Fixtures.random(rows: 4000, features: 9, classes: 6, seed: 2024)

  static func digest(_ trees: [DecisionTree]) -> String {
    var h = SHA256()
    for t in trees {
      for a in [t.feature, t.left, t.right] { a.withUnsafeBytes { h.update($0) } }
      for a in [t.threshold, t.weightedSamples, t.impurity, t.value] {
        a.map(\.bitPattern).withUnsafeBytes { h.update($0) }
      }
    }
    return h.finalize().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
      .joined()
  }

  @Test(arguments: cases) func fitsAreBitIdenticalToTheRecordedOnes(_ c: Case) throws {
    let table = try TrainingData(Self.data, classCount: 6)
    let trees = RandomForest.trainTrees(table, parameters: c.parameters, threads: 2)
    #expect(trees.reduce(0) { $0 + $1.nodeCount } > 20 * trees.count, "the fixture must grow real trees")
    #expect(Self.digest(trees) == c.digest, "\(c.name)")
  }
}
