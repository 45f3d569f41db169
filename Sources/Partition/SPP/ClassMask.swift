/// A set of class indices (W rows) as a bitmask: bit `c` set ⇔ class `c` is a member.
///
/// Bitmasks make union, intersection and "contains" single instructions and index the exact
/// solver's per-subset tables directly.
public typealias ClassMask = UInt64

/// Helpers on `ClassMask` and on the companion feature bitmask (bit `f` ⇔ W column `f`).
public enum BitSet {
  /// The member indices of `mask`, ascending.
  @inlinable
  public static func members(_ mask: UInt64) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(mask.nonzeroBitCount)
    var m = mask
    while m != 0 {
      out.append(m.trailingZeroBitCount)
      m &= m &- 1
    }
    return out
  }

  /// The mask holding exactly `indices`.
  @inlinable
  public static func mask(_ indices: some Sequence<Int>) -> UInt64 {
    indices.reduce(0) { $0 | (1 << UInt64($1)) }
  }

  /// The mask of the first `n` indices (0 ..< n).
  @inlinable
  public static func full(_ n: Int) -> UInt64 { n >= 64 ? ~0 : (1 << UInt64(n)) &- 1 }

  /// Whether the ascending member list of `a` precedes that of `b` lexicographically (a proper
  /// prefix precedes). This is the SPP tie rule: "the lexicographically smallest sorted member-index list".
  public static func membersPrecede(_ a: UInt64, _ b: UInt64) -> Bool {
    var x = a
    var y = b
    while x != 0 && y != 0 {
      let i = x.trailingZeroBitCount
      let j = y.trailingZeroBitCount
      if i != j { return i < j }
      x &= x &- 1
      y &= y &- 1
    }
    return x == 0 && y != 0
  }
}
