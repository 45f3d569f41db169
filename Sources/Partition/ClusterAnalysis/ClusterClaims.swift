import Forest

/// Claim weights of the cluster-level false-positive matrix (`dune-reference.md` §7.1).
///
/// For sub-model j on its own expanded test set (weights 1/L, arithmetic expansion of §3.5): the
/// weight of the samples j predicts as one of its own classes, split by the true class's cluster.
/// `Other` predictions are not claims. Claims on classes outside every cluster are kept apart (Q5).
public struct ClusterClaims: Sendable, Equatable {
  /// `claims[j][k]`: weight sub-model j claims whose true class is in cluster k.
  public var claims: [[Double]]
  /// Per sub-model: weight claimed on classes that belong to no cluster.
  public var unclustered: [Double]

  /// `predictions[j]` are sub-model j's local predictions on `tests[j]` (labels = use-case indices);
  /// `clusterOfClass[c]` is the cluster of use-case class c (nil = none).
  public init(predictions: [[Int32]], tests: [LabelledSet], labellings: [ClusterLabelling], clusterOfClass: [Int?]) {
    let n = predictions.count
    precondition(tests.count == n && labellings.count == n)
    var claims = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    var outside = [Double](repeating: 0, count: n)
    for j in 0..<n {
      let own = labellings[j].otherIndex
      for r in 0..<tests[j].rowCount where Int(predictions[j][r]) < own {
        let w = tests[j].weights[r]
        if let k = clusterOfClass[Int(tests[j].labels[r])] { claims[j][k] += w } else { outside[j] += w }
      }
    }
    self.claims = claims
    unclustered = outside
  }
}
