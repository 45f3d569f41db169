import DUNESupport

/// One model-sequencing instance (spec §7): n sub-models, their cluster-level false-positive matrix and
/// their macro F1, and the pairwise cost of placing one before another.
public struct SequencingProblem: Sendable, Equatable {
  /// FP[k][j] in percent: share of sub-model j's claims whose true class is in cluster k (§7.1).
  public let falsePositive: [[Double]]
  /// Macro F1 of each sub-model in percent (including `Other`).
  public let f1Percent: [Double]
  /// c[i][j] = FP[j][i] · (1 − F1_i/100): the cost of placing i anywhere before j (§7.2). Diagonal 0.
  public let cost: [[Double]]

  /// Largest n the subset DP accepts (2^20 doubles = 8 MB of state).
  public static let maxSubModels = 20

  /// Validates the shapes (square n × n, n = F1 count, 1 ≤ n ≤ 20, finite) and precomputes the costs.
  public init(falsePositive: [[Double]], f1Percent: [Double]) throws {
    let n = f1Percent.count
    guard n >= 1, n <= Self.maxSubModels else {
      throw UsageError("sequencing handles 1…\(Self.maxSubModels) sub-models, got \(n)")
    }
    guard falsePositive.count == n, falsePositive.allSatisfy({ $0.count == n }) else {
      throw UsageError("the false-positive matrix must be \(n) × \(n) (one row and column per sub-model)")
    }
    guard falsePositive.allSatisfy({ $0.allSatisfy(\.isFinite) }), f1Percent.allSatisfy(\.isFinite) else {
      throw UsageError("the false-positive matrix and F1 values must be finite")
    }
    self.falsePositive = falsePositive
    self.f1Percent = f1Percent
    var c = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      let unreliability: Double = 1 - f1Percent[i] / 100
      for j in 0..<n where j != i { c[i][j] = falsePositive[j][i] * unreliability }
    }
    cost = c
  }

  /// n.
  public var count: Int { f1Percent.count }

  /// cost(π) = Σ_{a<b} c(π_a, π_b) (§7.3), summed in position order.
  public func cost(of order: [Int]) -> Double {
    var total = 0.0
    for a in 0..<order.count {
      for b in (a + 1)..<order.count { total += cost[order[a]][order[b]] }
    }
    return total
  }
}
