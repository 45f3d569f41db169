/// Enumerates all permutations of 0 ..< n in lexicographic order: the brute-force oracle for
/// sequencing (n ≤ 9 is practical: 9! = 362 880).
public enum PermutationEnumerator {
  /// Calls `body` with every permutation, lexicographically ascending.
  public static func forEach(_ n: Int, _ body: ([Int]) -> Void) {
    var p = Array(0..<n)
    while true {
      body(p)
      // Next permutation (Narayana Pandita).
      var i = n - 2
      while i >= 0 && p[i] >= p[i + 1] { i -= 1 }
      if i < 0 { return }
      var j = n - 1
      while p[j] <= p[i] { j -= 1 }
      p.swapAt(i, j)
      p[(i + 1)...].reverse()
    }
  }

  /// All orders ranked by cost (ties lexicographic), the oracle's view of a sequencing instance.
  public static func ranked(_ problem: SequencingProblem) -> [RankedOrder] {
    var all: [RankedOrder] = []
    forEach(problem.count) { all.append(RankedOrder(order: $0, cost: problem.cost(of: $0))) }
    return all.enumerated().sorted { a, b in
      a.element.cost != b.element.cost ? a.element.cost < b.element.cost : a.offset < b.offset
    }.map(\.element)
  }
}
