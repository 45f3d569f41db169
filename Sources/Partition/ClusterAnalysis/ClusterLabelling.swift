import Forest

/// The `Other` relabelling of one cluster (`dune-reference.md` §6.1).
///
/// Rows of every class of the use case are kept; a row keeps its label when the class is one of the
/// cluster's, otherwise it becomes `Other`. Local class indices: the cluster's classes in `Class List`
/// order, then `Other` last — deterministic, unlike the reference's hash-set order (C6).
public struct ClusterLabelling: Sendable, Equatable {
  /// The name of the catch-all class.
  public static let otherName = "Other"

  /// Local class names: the cluster's classes then `Other`.
  public let classes: [String]
  /// Global class index (use-case class list) of each local class except `Other`.
  public let globalOfLocal: [Int]
  /// Local index of each global class (`otherIndex` for classes outside the cluster).
  public let localOfGlobal: [Int32]

  /// The local index of `Other` (always last).
  public var otherIndex: Int { classes.count - 1 }

  /// Builds the mapping; throws when a cluster class is not in the use case's class list.
  public init(clusterClasses: [String], useCaseClasses: [String]) throws {
    var global: [Int] = []
    for c in clusterClasses {
      guard let g = useCaseClasses.firstIndex(of: c) else {
        throw ClusterAnalysisError("cluster class '\(c)' is not in the use case's class list")
      }
      global.append(g)
    }
    guard !clusterClasses.contains(Self.otherName) else {
      throw ClusterAnalysisError("a class may not be called '\(Self.otherName)' (reserved for the catch-all class)")
    }
    classes = clusterClasses + [Self.otherName]
    globalOfLocal = global
    var local = [Int32](repeating: Int32(clusterClasses.count), count: useCaseClasses.count)
    for (i, g) in global.enumerated() { local[g] = Int32(i) }
    localOfGlobal = local
  }

  /// `set` (labels = use-case class indices) with labels mapped to local indices; features, weights
  /// and counts are untouched, so §3's weighting and expansion carry over unchanged.
  public func relabel(_ set: LabelledSet) -> LabelledSet {
    LabelledSet(
      matrix: set.matrix, labels: set.labels.map { localOfGlobal[Int($0)] }, weights: set.weights, counts: set.counts)
  }

  /// The global class index of a local prediction, or nil for `Other`.
  public func global(_ local: Int32) -> Int? {
    Int(local) < globalOfLocal.count ? globalOfLocal[Int(local)] : nil
  }
}

/// A cluster-analysis input or consistency error without a file location.
public struct ClusterAnalysisError: Error, CustomStringConvertible, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "error: \(message)" }
}
