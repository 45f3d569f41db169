/// Enumerates all set partitions of m elements (Bell number B_m) as restricted growth strings.
///
/// a_0 = 0 and a_i ≤ 1 + max(a_0 … a_{i−1}); element i goes to block a_i. This is the brute-force oracle
/// for the exact solvers (spec §5.5), practical up to m ≈ 12 (B_12 = 4 213 597).
public enum SetPartitionEnumerator {
  /// Calls `body` with the blocks (as class masks, in order of first element) of every partition of m elements.
  public static func forEach(_ m: Int, _ body: ([ClassMask]) -> Void) {
    precondition(m >= 1 && m <= 20)
    var a = [Int](repeating: 0, count: m)
    var maxPrefix = [Int](repeating: 0, count: m)  // max(a_0 … a_i)
    var blocks = [ClassMask](repeating: 0, count: m)
    func emit() {
      for i in 0..<m { blocks[i] = 0 }
      for i in 0..<m { blocks[a[i]] |= 1 << UInt64(i) }
      body(Array(blocks[0...maxPrefix[m - 1]]))
    }
    while true {
      emit()
      // Advance: rightmost position that can grow.
      var i = m - 1
      while i > 0 && a[i] == maxPrefix[i - 1] + 1 { i -= 1 }
      if i == 0 { return }
      a[i] += 1
      maxPrefix[i] = max(maxPrefix[i - 1], a[i])
      for j in (i + 1)..<m {
        a[j] = 0
        maxPrefix[j] = maxPrefix[i]
      }
    }
  }

  /// The number of set partitions of m elements (Bell number), for tests.
  public static func count(_ m: Int) -> Int {
    var n = 0
    forEach(m) { _ in n += 1 }
    return n
  }
}
