import DUNESupport

/// An order of the sub-models (first switch first) and its cost.
public struct RankedOrder: Sendable, Equatable {
  /// Sub-model indices, first switch first.
  public let order: [Int]
  /// cost(order) of spec §7.3.
  public let cost: Double
  /// An order with its cost.
  public init(order: [Int], cost: Double) {
    self.order = order
    self.cost = cost
  }
}

/// The solved sequencing instance.
public struct SequencingResult: Sendable, Equatable {
  /// The lexicographically smallest optimal order.
  public let order: [Int]
  /// Its cost, re-evaluated with `SequencingProblem.cost(of:)`.
  public let objective: Double
  /// Every optimal order (cost within the tie tolerance), lexicographic; empty unless requested.
  public let allOptimal: [[Int]]
  /// Whether `allOptimal` stopped at its limit.
  public let allOptimalTruncated: Bool
  /// The next-best orders after `order`, by ascending cost (ties lexicographic); may include other optimal orders.
  public let runnerUps: [RankedOrder]
}

/// Exact model sequencing (spec §7.4) by dynamic programming over subsets, n ≤ 20.
///
/// Suffix form of the recurrence: `g(S)` = the least cost of ordering the set S of sub-models among
/// themselves, and the sub-model placed *first* among S pays c(j, i) toward every other i ∈ S:
///
///     g(∅) = 0,   g(S) = min over j ∈ S of [ Σ_{i ∈ S∖{j}} c(j, i) + g(S ∖ {j}) ]
///
/// O(2^n · n²) time, O(2^n) memory. Reading the order front to back from the full set and taking the
/// smallest j that attains the minimum gives the lexicographically smallest optimal order directly.
/// Two costs count as equal when they differ by at most 1e-9 · max(1, optimum) (summation-order noise).
public enum SequencingSolver {
  /// Solves `problem`; `allOptimal` lists every optimal order (up to `optimalLimit`); `runnerUps` asks
  /// for that many next-best orders (k-best DP).
  public static func solve(
    _ problem: SequencingProblem, allOptimal: Bool = false, optimalLimit: Int = 10_000, runnerUps: Int = 3
  ) -> SequencingResult {
    let n = problem.count
    let table = suffixTable(problem)
    let full = (1 << n) - 1
    let tol = tolerance(table[full])
    let c = problem.cost.flatMap { $0 }

    func head(_ j: Int, _ s: Int) -> Double {
      var h = 0.0
      var rest = s & ~(1 << j)
      while rest != 0 {
        let i = rest.trailingZeroBitCount
        rest &= rest - 1
        h += c[j * n + i]
      }
      return h
    }
    func optimalFirsts(_ s: Int) -> [Int] {
      var out: [Int] = []
      var m = s
      while m != 0 {
        let j = m.trailingZeroBitCount
        m &= m - 1
        if head(j, s) + table[s & ~(1 << j)] <= table[s] + tol { out.append(j) }
      }
      return out
    }

    var order: [Int] = []
    var s = full
    while s != 0 {
      let j = optimalFirsts(s)[0]
      order.append(j)
      s &= ~(1 << j)
    }

    var all: [[Int]] = []
    var truncated = false
    if allOptimal {
      var prefix: [Int] = []
      func walk(_ s: Int) {
        if truncated { return }
        if s == 0 {
          if all.count == optimalLimit {
            truncated = true
            return
          }
          all.append(prefix)
          return
        }
        for j in optimalFirsts(s) {
          prefix.append(j)
          walk(s & ~(1 << j))
          prefix.removeLast()
        }
      }
      walk(full)
    }

    var runners: [RankedOrder] = []
    if runnerUps > 0 {
      runners = Array(bestOrders(problem, count: runnerUps + 1).filter { $0.order != order }.prefix(runnerUps))
    }
    return SequencingResult(
      order: order, objective: problem.cost(of: order), allOptimal: all, allOptimalTruncated: truncated,
      runnerUps: runners)
  }

  /// The tie tolerance for costs near `optimum`.
  static func tolerance(_ optimum: Double) -> Double { 1e-9 * max(1, abs(optimum)) }

  /// g(S) for every subset S (see the type's documentation).
  public static func suffixTable(_ problem: SequencingProblem) -> [Double] {
    let n = problem.count
    let size = 1 << n
    var g = [Double](repeating: 0, count: size)
    let c = problem.cost.flatMap { $0 }
    g.withUnsafeMutableBufferPointer { gp in
      c.withUnsafeBufferPointer { cp in
        for s in 1..<size {
          var best = Double.infinity
          var m = s
          while m != 0 {
            let j = m.trailingZeroBitCount
            m &= m - 1
            let row = j * n
            var h = 0.0
            var rest = s & ~(1 << j)
            while rest != 0 {
              let i = rest.trailingZeroBitCount
              rest &= rest - 1
              h += cp[row + i]
            }
            let v = h + gp[s & ~(1 << j)]
            if v < best { best = v }
          }
          gp[s] = best
        }
      }
    }
    return g
  }

  /// The `count` cheapest orders, ascending by cost (exact ties: lexicographic), by a k-best subset DP.
  ///
  /// Each subset keeps its `count` best suffix orders as (cost, first element, rank in the remainder's
  /// list); distinct (first, rank) pairs are distinct orders, so the lists hold distinct orders.
  /// O(2^n · n · count) entries examined, O(2^n · count) memory.
  public static func bestOrders(_ problem: SequencingProblem, count k: Int) -> [RankedOrder] {
    precondition(k >= 1 && k <= 255)
    let n = problem.count
    let size = 1 << n
    let c = problem.cost.flatMap { $0 }
    var vals = [Double](repeating: .infinity, count: size * k)
    var first = [UInt8](repeating: 0, count: size * k)
    var rank = [UInt8](repeating: 0, count: size * k)
    var len = [UInt8](repeating: 0, count: size)
    vals[0] = 0
    len[0] = 1
    var bufV = [Double](repeating: 0, count: k)
    var bufJ = [Int](repeating: 0, count: k)
    var bufT = [Int](repeating: 0, count: k)
    for s in 1..<size {
      var filled = 0
      var m = s
      while m != 0 {
        let j = m.trailingZeroBitCount
        m &= m - 1
        let rest = s & ~(1 << j)
        var h = 0.0
        var r = rest
        while r != 0 {
          let i = r.trailingZeroBitCount
          r &= r - 1
          h += c[j * n + i]
        }
        for t in 0..<Int(len[rest]) {
          let v = h + vals[rest * k + t]
          // Candidates arrive with ascending j and, per j, ascending t: an exact tie keeps the earlier one.
          if filled == k && v >= bufV[k - 1] { break }
          var p = filled < k ? filled : k - 1
          while p > 0 && bufV[p - 1] > v {
            bufV[p] = bufV[p - 1]
            bufJ[p] = bufJ[p - 1]
            bufT[p] = bufT[p - 1]
            p -= 1
          }
          bufV[p] = v
          bufJ[p] = j
          bufT[p] = t
          if filled < k { filled += 1 }
        }
      }
      len[s] = UInt8(filled)
      for p in 0..<filled {
        vals[s * k + p] = bufV[p]
        first[s * k + p] = UInt8(bufJ[p])
        rank[s * k + p] = UInt8(bufT[p])
      }
    }
    let full = size - 1
    var out: [RankedOrder] = []
    for r0 in 0..<Int(len[full]) {
      var order: [Int] = []
      var s = full
      var r = r0
      while s != 0 {
        let j = Int(first[s * k + r])
        order.append(j)
        r = Int(rank[s * k + r])
        s &= ~(1 << j)
      }
      out.append(RankedOrder(order: order, cost: problem.cost(of: order)))
    }
    return out
  }
}
