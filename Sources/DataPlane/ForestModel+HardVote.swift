import Forest

extension ForestModel {
  /// The switch-side reference prediction: hard vote with a tie rule, as a local class id.
  ///
  /// Each tree votes its leaf's majority class (ties → lowest index, as `DecisionTree.majorityClass`);
  /// a unique plurality winner c gives local id c + 1. Ties follow `tieRule`: `other` → `localOther`
  /// (0 when the model has no `Other` class), `lowestClass` → lowest tied class + 1, `treeZero` →
  /// tree 0's class + 1. This is what the compiled tables must reproduce (`data-plane.md` §2.6).
  public func hardVoteLocal(_ x: (Int) -> Double, tieRule: VoteTieRule, localOther: Int?) -> Int {
    var counts = [Int](repeating: 0, count: classes.count)
    var first = -1
    for (i, t) in trees.enumerated() {
      let c = t.majorityClass(t.leaf(x))
      if i == 0 { first = c }
      counts[c] += 1
    }
    if trees.count == 1 { return first + 1 }
    let top = counts.max() ?? 0
    let winners = counts.indices.filter { counts[$0] == top }
    if winners.count == 1 { return winners[0] + 1 }
    switch tieRule {
    case .other: return localOther ?? 0
    case .lowestClass: return winners[0] + 1
    case .treeZero: return first + 1
    }
  }
}
