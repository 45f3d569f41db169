import DUNESupport

/// The cluster-level false-positive matrix of spec §7.1, from per-sub-model claim weights.
///
/// Pure function, so the cluster-analysis step only has to accumulate, for each sub-model j and true
/// cluster k, the summed (expanded-test-sample) weight of the samples j predicts as one of its own
/// classes (`Other` predictions are not claims).
public struct ClusterFalsePositiveMatrix: Sendable, Equatable {
  /// FP[k][j] in percent; each non-zero column sums to 100.
  public let percent: [[Double]]
  /// Sub-models that claimed nothing (zero column, reference Q5): their column is left all zero.
  public let zeroColumns: [Int]

  /// Column-normalises `claims[j][k]` (sub-model j, true cluster k; non-negative, n × n) to percent:
  /// FP[k][j] = 100 · claims[j][k] / Σ_k claims[j][k], with a zero column guarded instead of divided.
  public init(claimsBySubModel claims: [[Double]]) throws {
    let n = claims.count
    guard n >= 1, claims.allSatisfy({ $0.count == n }) else {
      throw UsageError("claim weights must be n × n (sub-models × clusters), got \(n) rows")
    }
    guard claims.allSatisfy({ $0.allSatisfy { $0.isFinite && $0 >= 0 } }) else {
      throw UsageError("claim weights must be finite and non-negative")
    }
    var fp = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    var zero: [Int] = []
    for j in 0..<n {
      let total = claims[j].reduce(0, +)
      if total == 0 {
        zero.append(j)
        continue
      }
      for k in 0..<n { fp[k][j] = 100 * claims[j][k] / total }
    }
    percent = fp
    zeroColumns = zero
  }
}
