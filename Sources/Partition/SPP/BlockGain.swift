/// The gain of one block and how it was obtained (spec §5.2).
public struct BlockScore: Sendable, Equatable {
  /// The block's classes.
  public let members: ClassMask
  /// φ*: the selected features (bit f ⇔ W column f).
  public let features: UInt64
  /// Θ(s) = Σ over selected f of (col_f(s) − n_s/r).
  public let theta: Double
  /// Ψ(s) = 1/(1 + Δ(s)), Δ = F1 spread in percentage points (a singleton's own F1).
  public let psi: Double
  /// g(s) = Θ(s) · Ψ(s).
  public var gain: Double { theta * psi }

  /// A score from its parts (normally produced by `GainModel.score`).
  public init(members: ClassMask, features: UInt64, theta: Double, psi: Double) {
    self.members = members
    self.features = features
    self.theta = theta
    self.psi = psi
  }
}

/// The block-gain function g(s) = Θ(s)·Ψ(s) of spec §5.2 over one `SPPProblem`.
///
/// Formula, in one place:
/// * col_f(s) = Σ_{c∈s} W[c, f], summed in ascending class index from 0.0;
/// * feature f is selected iff col_f(s) − n_s/r > 0 (block average importance above uniform 1/r), which
///   is the closed-form maximiser over all φ of sᵀWφ − (n_s/r)·1ᵀφ;
/// * Θ(s) = Σ_{f selected} (col_f(s) − n_s/r), summed in ascending feature index;
/// * Ψ(s) = 1/(1 + Δ(s)), Δ = max F − min F for n_s ≥ 2 and Δ = F_c for a singleton (percent);
/// * g(s) = Θ·Ψ.
///
/// `score` and `allSubsetGains` use the same summation order, so their results are bit-identical —
/// the exact solver's table and a re-score of its output agree exactly.
public struct GainModel: Sendable {
  /// m.
  public let classCount: Int
  /// r.
  public let featureCount: Int
  /// W row-major (`c * r + f`).
  @usableFromInline let w: [Double]
  /// F in percent.
  @usableFromInline let f1: [Double]

  /// Precomputes the flat matrices of `problem`.
  public init(_ problem: SPPProblem) {
    classCount = problem.classCount
    featureCount = problem.featureCount
    w = problem.weights.flatMap { $0 }
    f1 = problem.f1Percent
  }

  /// The feature cost n_s/r of a block of `size` classes.
  @inlinable
  public func featureCost(size: Int) -> Double { Double(size) / Double(featureCount) }

  /// Scores one non-empty block.
  public func score(_ mask: ClassMask) -> BlockScore {
    precondition(mask != 0 && mask & ~BitSet.full(classCount) == 0, "block must be a non-empty subset of the classes")
    let r = featureCount
    var col = [Double](repeating: 0, count: r)
    var lo = Double.infinity
    var hi = -Double.infinity
    var m = mask
    while m != 0 {
      let c = m.trailingZeroBitCount
      m &= m &- 1
      for f in 0..<r { col[f] += w[c * r + f] }
      lo = min(lo, f1[c])
      hi = max(hi, f1[c])
    }
    let n = mask.nonzeroBitCount
    let cost = featureCost(size: n)
    var theta = 0.0
    var feats: UInt64 = 0
    for f in 0..<r {
      let excess = col[f] - cost
      if excess > 0 {
        theta += excess
        feats |= 1 << UInt64(f)
      }
    }
    let delta = n == 1 ? f1[mask.trailingZeroBitCount] : hi - lo
    return BlockScore(members: mask, features: feats, theta: theta, psi: 1 / (1 + delta))
  }

  /// g(s) for one block (same arithmetic as `score`).
  @inlinable
  public func gain(_ mask: ClassMask) -> Double { score(mask).gain }

  /// Largest m for which `allSubsetGains` builds a table (2^20 doubles = 8 MB).
  public static let maxTableClasses = 20

  /// g(s) for every subset s of the classes, indexed by mask (entry 0, the empty set, is 0).
  ///
  /// Depth-first over subsets in ascending class order, each subset extending its parent (the subset
  /// without its highest class) by one W row: O(2^m · r) time, O(m · r) scratch.
  public func allSubsetGains() -> [Double] {
    let m = classCount
    precondition(m <= Self.maxTableClasses, "subset table limited to m ≤ \(Self.maxTableClasses)")
    let r = featureCount
    var table = [Double](repeating: 0, count: 1 << m)
    var sums = [Double](repeating: 0, count: (m + 1) * r)
    table.withUnsafeMutableBufferPointer { out in
      sums.withUnsafeMutableBufferPointer { s in
        w.withUnsafeBufferPointer { wp in
          f1.withUnsafeBufferPointer { fp in
            func visit(depth: Int, start: Int, mask: Int, lo: Double, hi: Double) {
              for c in start..<m {
                let base = depth * r
                let next = base + r
                for f in 0..<r { s[next + f] = s[base + f] + wp[c * r + f] }
                let n = depth + 1
                let cost = Double(n) / Double(r)
                var theta = 0.0
                for f in 0..<r {
                  let excess = s[next + f] - cost
                  if excess > 0 { theta += excess }
                }
                let nlo = min(lo, fp[c])
                let nhi = max(hi, fp[c])
                let delta = n == 1 ? fp[c] : nhi - nlo
                let newMask = mask | (1 << c)
                out[newMask] = theta * (1 / (1 + delta))
                if c + 1 < m { visit(depth: n, start: c + 1, mask: newMask, lo: nlo, hi: nhi) }
              }
            }
            visit(depth: 0, start: 0, mask: 0, lo: .infinity, hi: -.infinity)
          }
        }
      }
    }
    return table
  }
}
