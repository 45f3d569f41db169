import DUNESupport
import DataPlane
import Testing

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
}
