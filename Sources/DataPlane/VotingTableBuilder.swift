import DUNESupport

/// Builds the exact voting table of `data-plane.md` §2.6.
///
/// Unique-plurality tuples get an entry for their winner. Tie tuples: `other` → default action
/// writes local `Other` (0 = unknown without an `Other` class); `treeZero` → default copies tree 0's
/// class; `lowestClass` → explicit entries with the lowest tied class. Beyond `budget` entries only
/// strict-majority tuples are written and the table is marked inexact.
public enum VotingTableBuilder {
  /// Largest K^T the plurality enumeration walks (beyond it strict majority is generated directly).
  static let enumerationLimit = 1 << 24

  public static func build(
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
    var sum = 0
    for j in (t / 2 + 1)...t {
      var c = 1
      for i in 0..<j { c = c * (t - i) / (i + 1) }
      var p = 1
      for _ in 0..<(t - j) { p *= (k - 1) }
      sum += c * p
    }
    return k * sum
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
