import DUNESupport

/// What the exact solver maximises.
public enum ExactObjective: String, Sendable {
  /// G(P) = C(k) · Σ g — the paper objective greedy approximates (spec §5.3).
  case compact
  /// Plain Σ g over partitions with at most m − 1 blocks — what the reference ILP solves (spec §5.5, S3).
  case plainSum
}

/// The exact optimum and the best value for every block count.
public struct ExactResult: Sendable, Equatable {
  /// The optimal partition (re-scored with `GainModel.score`).
  public let partition: ClassPartition
  /// The maximised objective, as computed by the DP.
  public let objective: Double
  /// `bestSumByBlocks[k]` = max Σ g over partitions into exactly k blocks, k = 1 … m − 1 (index 0 unused, nil).
  public let bestSumByBlocks: [Double?]
}

/// Exact SPP optimiser: dynamic programming over subsets (bitmasks), m ≤ 16.
///
/// `best_k[S]` = the largest Σ g of a partition of class set S into exactly k blocks. The block holding
/// S's lowest class is chosen explicitly, so each partition is generated once:
///
///     best_1[S] = g(S)
///     best_k[S] = max over T ⊆ S with lowest(S) ∈ T, |S∖T| ≥ k − 1  of  g(T) + best_{k−1}[S ∖ T]
///
/// Only S = all classes, or S without class 0, is ever needed (removing the block of class 0 from the
/// full set leaves class 0 out, and so on recursively), which halves the work to about 3^(m−1)
/// transitions per k. The objective is then max_k C(k)·best_k[full] (compact) or max_k best_k[full]
/// (plain sum, k ≤ m − 1). Gains of all 2^m subsets come from `GainModel.allSubsetGains`.
///
/// Ties between exactly equal objective values go to the smallest k, then to the first block found in
/// descending-submask order; with real-valued gains they do not occur in practice.
public enum ExactPartitionSolver {
  /// Largest m the solver accepts (memory 2^m · m · 4 bytes for the choices; ~3^(m−1)·m transitions).
  public static let maxClasses = 16

  /// Solves for the optimum of `objective`; `blocks` restricts to partitions into exactly that many
  /// blocks, `maxBlocks` to partitions into at most that many (the DP then stops at that k).
  public static func solve(
    _ model: GainModel, objective: ExactObjective, blocks fixed: Int? = nil, maxBlocks bound: Int? = nil
  ) throws
    -> ExactResult
  {
    let m = model.classCount
    guard m <= maxClasses else {
      throw UsageError("the exact solver handles m ≤ \(maxClasses) classes, got \(m); use the greedy method")
    }
    if let k = fixed, !(1...(m - 1)).contains(k) {
      throw UsageError("number of blocks must be in 1…\(m - 1) for m = \(m), got \(k)")
    }
    if let b = bound {
      guard b >= 1 else { throw UsageError("the bound on the number of blocks must be ≥ 1, got \(b)") }
      if let k = fixed, k > b { throw UsageError("fixed number of blocks \(k) exceeds the bound of \(b) blocks") }
    }
    let gains = model.allSubsetGains()
    let full = (1 << m) - 1
    let size = 1 << m
    let maxK = fixed ?? min(m - 1, bound ?? (m - 1))
    // choice[k][S]: the block T holding lowest(S) in the best k-block partition of S.
    var choice = [[UInt32]](repeating: [], count: maxK + 1)
    var prev = gains  // best_1
    var bestSum: [Double?] = [nil] + [gains[full]] + [Double?](repeating: nil, count: m - 2)
    for k in 2...max(2, maxK) where k <= maxK {
      var cur = [Double](repeating: -.infinity, count: size)
      var ch = [UInt32](repeating: 0, count: size)
      gains.withUnsafeBufferPointer { g in
        prev.withUnsafeBufferPointer { p in
          cur.withUnsafeMutableBufferPointer { c in
            ch.withUnsafeMutableBufferPointer { chp in
              func relax(_ s: Int) {
                let low = s & -s
                let rest = s ^ low
                var bestV = -Double.infinity
                var bestT = 0
                var sub = rest
                while true {
                  let t = sub | low
                  let remainder = s ^ t
                  if remainder.nonzeroBitCount >= k - 1 {
                    let v = g[t] + p[remainder]
                    if v > bestV {
                      bestV = v
                      bestT = t
                    }
                  }
                  if sub == 0 { break }
                  sub = (sub - 1) & rest
                }
                c[s] = bestV
                chp[s] = UInt32(bestT)
              }
              // Masks without class 0 (even numbers) that have at least k members, then the full set.
              if k < maxK {
                var s = 2
                while s < size {
                  if s.nonzeroBitCount >= k { relax(s) }
                  s += 2
                }
              }
              relax(full)
            }
          }
        }
      }
      bestSum[k] = cur[full]
      choice[k] = ch
      prev = cur
    }

    let ks = fixed.map { [$0] } ?? Array(1...maxK)
    var bestK = ks[0]
    var bestValue = -Double.infinity
    for k in ks {
      guard let s = bestSum[k] else { continue }
      let v = objective == .compact ? ClassPartition.compactness(blocks: k, classes: m) * s : s
      if v > bestValue {
        bestValue = v
        bestK = k
      }
    }
    var masks: [ClassMask] = []
    var s = full
    var k = bestK
    while k > 1 {
      let t = Int(choice[k][s])
      masks.append(ClassMask(t))
      s ^= t
      k -= 1
    }
    masks.append(ClassMask(s))
    return ExactResult(
      partition: try ClassPartition(masks: masks, model: model), objective: bestValue,
      bestSumByBlocks: fixed == nil ? bestSum : bestSum.indices.map { $0 == fixed ? bestSum[$0] : nil })
  }
}
