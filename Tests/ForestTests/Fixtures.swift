import DUNESupport

@testable import Forest

/// Small deterministic data sets shared by the tests.
enum Fixtures {
  /// The 12 samples of `dune-reference.md` §12.3: features (a, b), classes 0/1/2 with 4 samples each,
  /// chosen so that the best Gini tree is exactly the worked example's tree.
  static let worked: LabelledSet = {
    let rows: [(Double, Double, Int32)] = [
      (5, 10, 0), (9, 12, 0), (12, 15, 0), (15, 20, 0),
      (1, 21, 1), (4, 35, 1), (8, 40, 1), (11, 52, 1),
      (2, 41, 2), (3, 50, 2), (6, 55, 2), (10, 60, 2),
    ]
    let matrix = FeatureMatrix(columns: [rows.map { $0.0 }, rows.map { $0.1 }])
    return LabelledSet(matrix: matrix, labels: rows.map { $0.2 }, weights: Array(repeating: 1, count: rows.count))
  }()

  /// The worked example's tree written out by hand.
  static let workedTree = DecisionTree(
    feature: [1, -1, 1, -1, 0, -1, -1], threshold: [20.5, -2, 40.5, -2, 10.5, -2, -2],
    left: [1, -1, 3, -1, 5, -1, -1], right: [2, -1, 4, -1, 6, -1, -1],
    weightedSamples: [12, 4, 8, 3, 5, 4, 1],
    impurity: [2.0 / 3, 0, 0.5, 0, 0.32, 0, 0],
    value: [4, 4, 4, 4, 0, 0, 0, 4, 4, 0, 3, 0, 0, 1, 4, 0, 0, 4, 0, 1, 0], classCount: 3)

  /// A seeded random classification problem: `classes` classes, `features` features with a mix of
  /// few-valued and many-valued columns, labels depending on a few of them plus noise.
  static func random(rows: Int, features: Int, classes: Int, seed: UInt64) -> LabelledSet {
    var rng = SplitMix64(seed: seed)
    var columns: [[Double]] = []
    for f in 0..<features {
      let levels = f % 3 == 0 ? 2 : (f % 3 == 1 ? 7 : 1000)
      columns.append((0..<rows).map { _ in Double(rng.int(in: 0, levels)) })
    }
    var labels: [Int32] = []
    var weights: [Double] = []
    for r in 0..<rows {
      var score = columns[0][r] * 3 + columns[min(1, features - 1)][r] + columns[min(2, features - 1)][r] / 100
      score += Double(rng.int(in: 0, 3))
      labels.append(Int32(Int(score) % classes))
      weights.append(Double(rng.int(in: 1, 5)) / 4)
    }
    return LabelledSet(matrix: FeatureMatrix(columns: columns), labels: labels, weights: weights)
  }
}
