import DUNESupport
import Foundation

/// Builds the exact voting table of `data-plane.md` §2.6.
///
/// Unique-plurality tuples get an entry for their winner. Tie tuples: `other` → default action
/// writes local `Other` (0 = unknown without an `Other` class); `treeZero` → default copies tree 0's
/// class; `lowestClass` → explicit entries with the lowest tied class. Beyond `budget` entries only
/// strict-majority tuples are written and the table is marked inexact.
public enum VotingTableBuilder {
  /// Largest K^T the plurality enumeration walks (beyond it strict majority is generated directly).
  static let enumerationLimit = 1 << 24

  /// The table for `t` trees over `k` labels. A pure function of its arguments that a grid asks for
  /// over and over (every 3-tree forest of the monolithic grid has the same table), so each outcome,
  /// table or error, is computed once per process (`buildUncached` is the computation).
  public static func build(
    treeCount t: Int, labelCount k: Int, localOther: Int?, tieRule: VoteTieRule, budget: Int
  ) throws -> VotingTable {
    let key = MemoKey(treeCount: t, labelCount: k, localOther: localOther, tieRule: tieRule, budget: budget)
    if let known = memo.value(for: key) { return try known.get() }
    let outcome = Result { () throws(any Error) -> VotingTable in
      try buildUncached(treeCount: t, labelCount: k, localOther: localOther, tieRule: tieRule, budget: budget)
    }
    memo.store(outcome, for: key)
    return try outcome.get()
  }

  struct MemoKey: Hashable, Sendable {
    var treeCount: Int
    var labelCount: Int
    var localOther: Int?
    var tieRule: VoteTieRule
    var budget: Int
  }

  static let memo = Memo()

  /// The outcomes of `build` by argument, behind a lock (compiles run on every core). Bounded: past
  /// `limit` outcomes it starts over, so an unusual run cannot grow it without end.
  final class Memo: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [MemoKey: Result<VotingTable, any Error>] = [:]
    static let limit = 256

    func value(for key: MemoKey) -> Result<VotingTable, any Error>? { lock.withLock { outcomes[key] } }

    func store(_ outcome: Result<VotingTable, any Error>, for key: MemoKey) {
      lock.withLock {
        if outcomes.count >= Self.limit { outcomes.removeAll() }
        outcomes[key] = outcome
      }
    }
  }

  /// Builds the table (no memo).
  static func buildUncached(
    treeCount t: Int, labelCount k: Int, localOther: Int?, tieRule: VoteTieRule, budget: Int
  ) throws -> VotingTable {
    guard t >= 2, k >= 1, k <= 255 else { throw UsageError("voting table needs T ≥ 2 and 1 ≤ K ≤ 255") }
    let otherDefault = VoteDefault.constant(localOther ?? 0)
    let tieDefault: VoteDefault = tieRule == .treeZero ? .copyTree(0) : otherDefault
    let pluralityCount = pluralityEntryCount(treeCount: t, labelCount: k, includeTies: tieRule == .lowestClass)
    if let n = pluralityCount, n <= budget {
      var entries: [VoteEntry] = []
      entries.reserveCapacity(n)
      var tuple = [Int](repeating: 1, count: t)
      var counts = [Int](repeating: 0, count: k + 1)
      repeat {
        for i in counts.indices { counts[i] = 0 }
        for v in tuple { counts[v] += 1 }
        let top = counts.max()!
        let winners = (1...k).filter { counts[$0] == top }
        if winners.count == 1 {
          entries.append(VoteEntry(votes: tuple, result: winners[0]))
        } else if tieRule == .lowestClass {
          entries.append(VoteEntry(votes: tuple, result: winners[0]))
        }
      } while increment(&tuple, k)
      return VotingTable(
        treeCount: t, classWidth: 8, labelCount: k, tieRule: tieRule, enumeration: .plurality, entries: entries,
        defaultAction: tieDefault, exact: true)
    }
    let majority = strictMajorityEntryCount(treeCount: t, labelCount: k)
    guard majority <= budget else {
      throw UsageError(
        "voting table for T = \(t), K = \(k) needs \(majority) strict-majority entries, budget \(budget)")
    }
    var entries: [VoteEntry] = []
    entries.reserveCapacity(majority)
    let need = t / 2 + 1
    for winner in 1...k {
      for positions in 0..<(1 << t) where positions.nonzeroBitCount >= need {
        // Positions in `positions` vote `winner`; the others vote anything else.
        let free = (0..<t).filter { positions & (1 << $0) == 0 }
        var others = [Int](repeating: 0, count: free.count)
        while true {
          var tuple = [Int](repeating: winner, count: t)
          for (i, p) in free.enumerated() { tuple[p] = others[i] < winner - 1 ? others[i] + 1 : others[i] + 2 }
          entries.append(VoteEntry(votes: tuple, result: winner))
          var i = 0
          while i < others.count {
            others[i] += 1
            if others[i] < k - 1 { break }
            others[i] = 0
            i += 1
          }
          if i == others.count { break }
        }
      }
    }
    entries.sort { $0.votes.lexicographicallyPrecedes($1.votes) }
    return VotingTable(
      treeCount: t, classWidth: 8, labelCount: k, tieRule: tieRule, enumeration: .strictMajority, entries: entries,
      defaultAction: tieDefault, exact: false)
  }

  /// Number of tuples with a unique plurality winner (plus tie tuples if `includeTies`), or `nil`
  /// when K^T exceeds the enumeration limit.
  public static func pluralityEntryCount(treeCount t: Int, labelCount k: Int, includeTies: Bool) -> Int? {
    var total = 1
    for _ in 0..<t {
      total *= k
      if total > enumerationLimit { return nil }
    }
    if includeTies { return total }
    var tuple = [Int](repeating: 1, count: t)
    var counts = [Int](repeating: 0, count: k + 1)
    var n = 0
    repeat {
      for i in counts.indices { counts[i] = 0 }
      for v in tuple { counts[v] += 1 }
      let top = counts.max()!
      if counts.lazy.filter({ $0 == top }).count == 1 { n += 1 }
    } while increment(&tuple, k)
    return n
  }

  /// K · Σ_{j > T/2} C(T, j) (K − 1)^{T − j}.
  public static func strictMajorityEntryCount(treeCount t: Int, labelCount k: Int) -> Int {
    // Saturates at Int.max: a 32-tree, 20-class forest needs ~10^40 entries, and callers only compare
    // the count with a budget.
    func mul(_ a: Int, _ b: Int) -> Int {
      let (r, o) = a.multipliedReportingOverflow(by: b)
      return o ? Int.max : r
    }
    func add(_ a: Int, _ b: Int) -> Int {
      let (r, o) = a.addingReportingOverflow(b)
      return o ? Int.max : r
    }
    var sum = 0
    for j in (t / 2 + 1)...t {
      // C(T, j) as a Double first: exact below 2^53, and only its saturation matters beyond.
      var c = 1.0
      for i in 0..<j { c = c * Double(t - i) / Double(i + 1) }
      var term = c.rounded() >= 0x1p62 ? Int.max : Int(c.rounded())
      for _ in 0..<(t - j) { term = mul(term, k - 1) }
      sum = add(sum, term)
    }
    return mul(k, sum)
  }

  /// Advances a tuple over 1...k in lexicographic order (last position fastest); false at the end.
  static func increment(_ tuple: inout [Int], _ k: Int) -> Bool {
    var i = tuple.count - 1
    while i >= 0 {
      if tuple[i] < k {
        tuple[i] += 1
        return true
      }
      tuple[i] = 1
      i -= 1
    }
    return false
  }
}
