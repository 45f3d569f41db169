import DUNESupport

/// One set-partitioning instance (spec §5.1): the PCFI matrix W (m classes × r features) and the
/// per-class flow-level F1 vector F, in percent, aligned row by row with W.
///
/// Everything downstream (gain, greedy, exact, random) reads only this value; loading from the
/// reference CSV files lives in `SPPProblem+Loading.swift`.
public struct SPPProblem: Sendable, Equatable {
  /// Class names in W-row order (file order of the weights file after removing unwanted classes).
  public let classNames: [String]
  /// Feature names in W-column order (file order).
  public let featureNames: [String]
  /// W, row-major: `weights[c][f]` is class `c`'s importance for feature `f`.
  public let weights: [[Double]]
  /// F1 of each class in percent (0–100), aligned with `classNames`.
  public let f1Percent: [Double]

  /// Largest number of classes a block bitmask can hold.
  public static let maxClasses = 64
  /// Largest number of features a feature bitmask can hold.
  public static let maxFeatures = 64

  /// Validates the shapes (2 ≤ m ≤ 64, 1 ≤ r ≤ 64, finite values) and builds the instance.
  public init(classNames: [String], featureNames: [String], weights: [[Double]], f1Percent: [Double]) throws {
    let m = classNames.count
    let r = featureNames.count
    guard m >= 2, m <= Self.maxClasses else {
      throw UsageError("set partitioning needs 2…\(Self.maxClasses) classes, got \(m)")
    }
    guard r >= 1, r <= Self.maxFeatures else {
      throw UsageError("set partitioning needs 1…\(Self.maxFeatures) features, got \(r)")
    }
    guard weights.count == m, weights.allSatisfy({ $0.count == r }) else {
      throw UsageError("W must be \(m) × \(r)")
    }
    guard f1Percent.count == m else { throw UsageError("F must have \(m) entries, got \(f1Percent.count)") }
    guard weights.allSatisfy({ $0.allSatisfy(\.isFinite) }), f1Percent.allSatisfy(\.isFinite) else {
      throw UsageError("W and F must be finite numbers")
    }
    guard Set(classNames).count == m else { throw UsageError("duplicate class names in W") }
    self.classNames = classNames
    self.featureNames = featureNames
    self.weights = weights
    self.f1Percent = f1Percent
  }

  /// m, the number of classes.
  public var classCount: Int { classNames.count }
  /// r, the number of features.
  public var featureCount: Int { featureNames.count }
}
