/// The impurity measure a tree minimises.
public enum SplitCriterion: String, Codable, Sendable, Equatable {
  case gini
  case entropy
}

/// How many features each split examines (scikit-learn's `max_features`).
public enum MaxFeatures: Codable, Sendable, Equatable {
  /// `max(1, ⌊√F⌋)` — the reference setting.
  case sqrt
  /// Every feature (makes trees deterministic up to ties).
  case all
  /// A fixed number, clamped to 1...F.
  case count(Int)

  /// The number of features to examine out of `featureCount`.
  public func resolve(_ featureCount: Int) -> Int {
    switch self {
    case .sqrt: return max(1, Int(Double(featureCount).squareRoot()))
    case .all: return max(1, featureCount)
    case .count(let k): return min(max(1, k), max(1, featureCount))
    }
  }

  /// Parses `sqrt`, `all` or a positive integer.
  public init?(argument: String) {
    switch argument {
    case "sqrt": self = .sqrt
    case "all": self = .all
    default:
      guard let k = Int(argument), k > 0 else { return nil }
      self = .count(k)
    }
  }
}

/// Tree growth strategy: depth-first with a depth limit, or best-first with a leaf budget.
public enum TreeGrowth: Codable, Sendable, Equatable {
  /// Depth-first; `nil` means unlimited depth.
  case depthFirst(maxDepth: Int?)
  /// Best-first: repeatedly split the open leaf with the largest weighted impurity decrease until
  /// the tree has `maxLeafNodes` leaves (scikit-learn's behaviour when `max_leaf_nodes` is set).
  case bestFirst(maxLeafNodes: Int, maxDepth: Int?)
}

/// Every setting of a random forest fit (`dune-reference.md` §3.2 defaults).
public struct ForestParameters: Codable, Sendable, Equatable {
  public var treeCount: Int
  public var growth: TreeGrowth
  public var criterion: SplitCriterion
  public var maxFeatures: MaxFeatures
  /// Off in the reference: trees then differ only through the random feature subsets.
  public var bootstrap: Bool
  public var minSamplesSplit: Int
  public var minSamplesLeaf: Int
  public var seed: UInt64

  public init(
    treeCount: Int, growth: TreeGrowth, criterion: SplitCriterion = .gini, maxFeatures: MaxFeatures = .sqrt,
    bootstrap: Bool = false, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1, seed: UInt64 = 42
  ) {
    self.treeCount = treeCount
    self.growth = growth
    self.criterion = criterion
    self.maxFeatures = maxFeatures
    self.bootstrap = bootstrap
    self.minSamplesSplit = minSamplesSplit
    self.minSamplesLeaf = minSamplesLeaf
    self.seed = seed
  }
}
