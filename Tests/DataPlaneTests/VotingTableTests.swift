import DUNESupport
import Testing

@testable import DataPlane

@Suite struct VotingTableTests {
  @Test func pluralityCountsOfTheSpec() {
    // §2.6: T = 3 → K³ − K(K−1)(K−2): K = 4 → 40, 16 → 736, 26 → 1 976; T = 5, K = 4 → 664.
    #expect(VotingTableBuilder.pluralityEntryCount(treeCount: 3, labelCount: 4, includeTies: false) == 40)
    #expect(VotingTableBuilder.pluralityEntryCount(treeCount: 3, labelCount: 16, includeTies: false) == 736)
    #expect(VotingTableBuilder.pluralityEntryCount(treeCount: 3, labelCount: 26, includeTies: false) == 1976)
    #expect(VotingTableBuilder.pluralityEntryCount(treeCount: 5, labelCount: 4, includeTies: false) == 664)
    #expect(VotingTableBuilder.strictMajorityEntryCount(treeCount: 5, labelCount: 16) == 37_216)
  }

  /// A monolithic forest (32 trees, 20 classes) needs ~10^40 voting entries: the count saturates and
  /// the builder refuses with a message instead of trapping on overflow.
  @Test func hugeVotingTablesSaturateAndAreRefused() {
    #expect(VotingTableBuilder.strictMajorityEntryCount(treeCount: 32, labelCount: 20) == Int.max)
    #expect(
      VotingTableBuilder.strictMajorityEntryCount(treeCount: 7, labelCount: 3) == 3 * (35 * 8 + 21 * 4 + 7 * 2 + 1))
    #expect(throws: UsageError.self) {
      try VotingTableBuilder.build(treeCount: 32, labelCount: 20, localOther: nil, tieRule: .other, budget: 65_536)
    }
  }

  @Test func fallsBackToStrictMajorityBeyondBudget() throws {
    let v = try VotingTableBuilder.build(treeCount: 5, labelCount: 16, localOther: 16, tieRule: .other, budget: 100_000)
    #expect(v.enumeration == .strictMajority && !v.exact)
    #expect(v.entries.count == 37_216)
    #expect(Set(v.entries.map(\.votes)).count == v.entries.count)
    #expect(v.entries.allSatisfy { e in e.votes.filter { $0 == e.result }.count >= 3 })
    #expect(v.defaultAction == .constant(16))
  }

  @Test func tieRulesShapeTheTable() throws {
    let other = try VotingTableBuilder.build(treeCount: 3, labelCount: 4, localOther: 4, tieRule: .other, budget: 1000)
    #expect(other.entries.count == 40 && other.defaultAction == .constant(4) && other.exact)
    let lowest = try VotingTableBuilder.build(
      treeCount: 3, labelCount: 4, localOther: 4, tieRule: .lowestClass, budget: 1000)
    #expect(lowest.entries.count == 64)
    #expect(lowest.entries.first { $0.votes == [3, 1, 2] }?.result == 1)
    let tree0 = try VotingTableBuilder.build(
      treeCount: 3, labelCount: 4, localOther: 4, tieRule: .treeZero, budget: 1000)
    #expect(tree0.entries.count == 40 && tree0.defaultAction == .copyTree(0))
    #expect(throws: (any Error).self) {
      try VotingTableBuilder.build(treeCount: 5, labelCount: 16, localOther: 16, tieRule: .other, budget: 1000)
    }
  }

  /// `build` remembers its outcomes: a remembered table equals a fresh build, for every tie rule,
  /// both enumerations and an error, also when many compiles ask at once.
  @Test func rememberedTablesEqualFreshBuilds() throws {
    let cases: [(t: Int, k: Int, other: Int?, rule: VoteTieRule, budget: Int)] = [
      (3, 25, nil, .other, 65_536), (3, 5, 5, .lowestClass, 1000), (2, 7, 7, .treeZero, 1000),
      (4, 3, 3, .other, 40), (4, 3, nil, .other, 1),
    ]
    for c in cases {
      let fresh = Result {
        try VotingTableBuilder.buildUncached(
          treeCount: c.t, labelCount: c.k, localOther: c.other, tieRule: c.rule, budget: c.budget)
      }
      let all = parallelMap(count: 8, threads: 4) { _ in
        Result {
          try VotingTableBuilder.build(
            treeCount: c.t, labelCount: c.k, localOther: c.other, tieRule: c.rule, budget: c.budget)
        }
      }
      for r in all {
        switch (fresh, r) {
        case (.success(let a), .success(let b)): #expect(a == b, "T=\(c.t) K=\(c.k) \(c.rule)")
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)", "T=\(c.t) K=\(c.k)")
        default: Issue.record("T=\(c.t) K=\(c.k) \(c.rule): remembered \(r), fresh \(fresh)")
        }
      }
    }
    // Budget 40: the 63 plurality entries do not fit, the 27 strict-majority ones do; budget 1 fits neither.
    #expect(
      try VotingTableBuilder.build(treeCount: 4, labelCount: 3, localOther: 3, tieRule: .other, budget: 40).enumeration
        == .strictMajority)
    #expect(throws: UsageError.self) {
      try VotingTableBuilder.build(treeCount: 4, labelCount: 3, localOther: nil, tieRule: .other, budget: 1)
    }
  }
}
