/// A trained decision tree in flat arrays (scikit-learn's `tree_` layout).
///
/// Node 0 is the root. A split node `v` sends `x[feature[v]] <= threshold[v]` to `left[v]`, else to
/// `right[v]`; leaves have `feature == -1` and `left == right == -1`. A child's id is always greater
/// than its parent's. `value` holds the weighted class counts of every node, `classCount` per node.
public struct DecisionTree: Codable, Sendable, Equatable {
  public var feature: [Int32]
  public var threshold: [Double]
  public var left: [Int32]
  public var right: [Int32]
  /// Weighted number of training samples at each node.
  public var weightedSamples: [Double]
  /// Impurity (Gini or entropy) of each node.
  public var impurity: [Double]
  /// Weighted class counts, row-major: `value[node * classCount + c]`.
  public var value: [Double]
  public var classCount: Int

  public init(
    feature: [Int32], threshold: [Double], left: [Int32], right: [Int32], weightedSamples: [Double],
    impurity: [Double], value: [Double], classCount: Int
  ) {
    self.feature = feature
    self.threshold = threshold
    self.left = left
    self.right = right
    self.weightedSamples = weightedSamples
    self.impurity = impurity
    self.value = value
    self.classCount = classCount
  }

  public var nodeCount: Int { feature.count }
  public func isLeaf(_ node: Int) -> Bool { left[node] < 0 }
  public var leafCount: Int { left.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }

  /// Depth of the tree (a single leaf has depth 0).
  public var depth: Int {
    var d = [Int](repeating: 0, count: nodeCount)
    var best = 0
    for v in 0..<nodeCount where !isLeaf(v) {
      d[Int(left[v])] = d[v] + 1
      d[Int(right[v])] = d[v] + 1
      best = max(best, d[v] + 1)
    }
    return best
  }

  /// The leaf reached by a sample whose feature `f` has value `x(f)`.
  @inlinable
  public func leaf(_ x: (Int) -> Double) -> Int {
    var v = 0
    while left[v] >= 0 {
      v = x(Int(feature[v])) <= threshold[v] ? Int(left[v]) : Int(right[v])
    }
    return v
  }

  /// The majority class of a node (argmax of its weighted class counts; ties → lowest index).
  public func majorityClass(_ node: Int) -> Int {
    let base = node * classCount
    var best = 0
    for c in 1..<max(classCount, 1) where value[base + c] > value[base + best] { best = c }
    return best
  }
}

/// A trained random forest: its trees, the class list and the ordered feature names it was trained on.
///
/// Feature index `i` of every tree refers to `features[i]`; class index `c` to `classes[c]`.
public struct ForestModel: Codable, Sendable, Equatable {
  public var classes: [String]
  public var features: [String]
  public var trees: [DecisionTree]

  public init(classes: [String], features: [String], trees: [DecisionTree]) {
    self.classes = classes
    self.features = features
    self.trees = trees
  }

  /// Soft vote (scikit-learn): argmax of the mean of per-tree leaf class-probability vectors.
  public func predictSoft(_ x: (Int) -> Double) -> Int {
    let k = classes.count
    var acc = [Double](repeating: 0, count: k)
    for t in trees {
      let leaf = t.leaf(x)
      let base = leaf * k
      var total = 0.0
      for c in 0..<k { total += t.value[base + c] }
      guard total > 0 else { continue }
      for c in 0..<k { acc[c] += t.value[base + c] / total }
    }
    var best = 0
    for c in 1..<max(k, 1) where acc[c] > acc[best] { best = c }
    return best
  }

  /// Hard vote (what a switch does): each tree votes its leaf's majority class; the unique plurality
  /// winner wins; a tie returns `nil` so the caller applies its documented tie rule.
  public func predictHard(_ x: (Int) -> Double) -> Int? {
    var votes = [Int](repeating: 0, count: classes.count)
    for t in trees { votes[t.majorityClass(t.leaf(x))] += 1 }
    guard let top = votes.max() else { return nil }
    let winners = votes.indices.filter { votes[$0] == top }
    return winners.count == 1 ? winners[0] : nil
  }
}
