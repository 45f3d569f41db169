import Foundation

/// Global and per-class feature importance of a forest (`dune-reference.md` §4, §13.2).
public enum FeatureImportance {
  /// Mean decrease in impurity (scikit-learn `feature_importances_`).
  ///
  /// Per tree: Σ over split nodes of `w·I − w_L·I_L − w_R·I_R` per feature, divided by the root
  /// weight and normalised to sum 1; then the mean over trees (single-leaf trees skipped, as
  /// scikit-learn does), normalised again. Uses the impurities stored in the trees.
  public static func mdi(_ model: ForestModel) -> [Double] {
    let f = model.features.count
    var mean = [Double](repeating: 0, count: f)
    var used = 0
    for t in model.trees where t.nodeCount > 1 {
      var imp = [Double](repeating: 0, count: f)
      for v in 0..<t.nodeCount where !t.isLeaf(v) {
        let l = Int(t.left[v])
        let r = Int(t.right[v])
        imp[Int(t.feature[v])] +=
          t.weightedSamples[v] * t.impurity[v] - t.weightedSamples[l] * t.impurity[l]
          - t.weightedSamples[r] * t.impurity[r]
      }
      let root = t.weightedSamples[0]
      for j in 0..<f { imp[j] /= root }
      let s = imp.reduce(0, +)
      if s > 0 { for j in 0..<f { imp[j] /= s } }
      for j in 0..<f { mean[j] += imp[j] }
      used += 1
    }
    guard used > 0 else { return mean }
    for j in 0..<f { mean[j] /= Double(used) }
    let s = mean.reduce(0, +)
    if s > 0 { for j in 0..<f { mean[j] /= s } }
    return mean
  }

  /// Feature indices ordered by descending MDI; ties keep the lower index first (stable).
  public static func ranking(_ importances: [Double]) -> [Int] {
    importances.indices.sorted { importances[$0] > importances[$1] || (importances[$0] == importances[$1] && $0 < $1) }
  }

  /// A PCFI matrix (classes × features, rows normalised) and the classes whose row is all zero.
  public struct PerClass: Sendable, Equatable {
    /// `matrix[c][f]`, rows in the model's class order, columns in its feature order.
    public var matrix: [[Double]]
    /// Classes that are the majority of no leaf in any tree: their row stays zero (U4 guard).
    public var zeroRowClasses: [String]

    public init(matrix: [[Double]], zeroRowClasses: [String]) {
      self.matrix = matrix
      self.zeroRowClasses = zeroRowClasses
    }
  }

  /// Per-class feature importance (PCFI, §4.1): one-vs-rest impurity decrease along leaf paths.
  ///
  /// For each leaf (ascending id) of class c = argmax of its distribution, walk up towards the
  /// root adding, at each ancestor v on feature f, `w_v·G_v − w_L·G_L − w_R·G_R` where G is the
  /// binary (c vs rest) Gini or entropy; stop at the first (c, v) already visited in this tree.
  /// Divide by the tree's root weight, average over trees, normalise each row to sum 1.
  public static func pcfi(_ model: ForestModel, criterion: SplitCriterion = .gini) -> PerClass {
    let k = model.classes.count
    let f = model.features.count
    var mean = [[Double]](repeating: [Double](repeating: 0, count: f), count: k)
    for t in model.trees {
      var parent = [Int](repeating: -1, count: t.nodeCount)
      for v in 0..<t.nodeCount where !t.isLeaf(v) {
        parent[Int(t.left[v])] = v
        parent[Int(t.right[v])] = v
      }
      var visited = Set<Int>()  // c * nodeCount + v
      var tree = [[Double]](repeating: [Double](repeating: 0, count: f), count: k)
      func weightedBinary(_ u: Int, _ c: Int) -> Double {
        let w = t.weightedSamples[u]
        guard w > 0 else { return 0 }
        var total = 0.0
        for j in 0..<k { total += t.value[u * k + j] }
        let p = total > 0 ? t.value[u * k + c] / total : 0
        return w * binaryImpurity(p, criterion)
      }
      for leaf in 0..<t.nodeCount where t.isLeaf(leaf) {
        let c = t.majorityClass(leaf)
        var v = parent[leaf]
        while v >= 0, visited.insert(c * t.nodeCount + v).inserted {
          let l = Int(t.left[v])
          let r = Int(t.right[v])
          tree[c][Int(t.feature[v])] += weightedBinary(v, c) - weightedBinary(l, c) - weightedBinary(r, c)
          v = parent[v]
        }
      }
      let root = t.weightedSamples.first ?? 0
      guard root > 0 else { continue }
      for c in 0..<k { for j in 0..<f { mean[c][j] += tree[c][j] / root } }
    }
    if !model.trees.isEmpty {
      for c in 0..<k { for j in 0..<f { mean[c][j] /= Double(model.trees.count) } }
    }
    var zero: [String] = []
    for c in 0..<k {
      let s = mean[c].reduce(0, +)
      if s > 0 {
        for j in 0..<f { mean[c][j] /= s }
      } else {
        zero.append(model.classes[c])
      }
    }
    return PerClass(matrix: mean, zeroRowClasses: zero)
  }

  /// Impurity of a two-class node whose first class has fraction `p`.
  static func binaryImpurity(_ p: Double, _ criterion: SplitCriterion) -> Double {
    switch criterion {
    case .gini: return 2 * p * (1 - p)
    case .entropy:
      var h = 0.0
      if p > 0 { h -= p * log2(p) }
      if p < 1 { h -= (1 - p) * log2(1 - p) }
      return h
    }
  }
}
