/// Rows ready for the learner or the evaluator: features, class indices and per-row weights.
///
/// For training, `weights` are the sample weights of §3.1 step 6 and `counts` is unused (all 1).
/// For testing, a row stands for `counts[r]` expanded samples (§3.5) whose total FL weight is
/// `weights[r]`; the expansion is done arithmetically, never by duplicating rows.
public struct LabelledSet: Sendable, Equatable {
  public var matrix: FeatureMatrix
  /// Class index of each row (position in the class list).
  public var labels: [Int32]
  /// Training: sample weight. Test: summed FL weight of the row's expanded samples.
  public var weights: [Double]
  /// Test: number of expanded samples (packets) the row stands for; training: 1.
  public var counts: [Double]

  public init(matrix: FeatureMatrix, labels: [Int32], weights: [Double], counts: [Double]? = nil) {
    precondition(labels.count == matrix.rowCount && weights.count == matrix.rowCount)
    self.matrix = matrix
    self.labels = labels
    self.weights = weights
    self.counts = counts ?? [Double](repeating: 1, count: labels.count)
    precondition(self.counts.count == labels.count)
  }

  public var rowCount: Int { labels.count }

  /// The same rows restricted to the feature columns `indices`.
  public func selecting(features indices: [Int]) -> LabelledSet {
    LabelledSet(matrix: matrix.selecting(features: indices), labels: labels, weights: weights, counts: counts)
  }
}
