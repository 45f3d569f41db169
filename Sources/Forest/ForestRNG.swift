/// The forest's SplitMix64: a tiny, fast, seedable generator; every random choice of the forest goes through it.
///
/// Used instead of `SystemRandomNumberGenerator` so that a seed fixes every tree bit for bit.
struct ForestRNG: RandomNumberGenerator, Sendable {
  private(set) var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return ForestRNG.mix(state)
  }

  /// The ForestRNG output finaliser: a bijective avalanche of `z`, used to derive child seeds.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `low..<high` (`high > low`), by Lemire's multiply-shift with rejection.
  mutating func int(in low: Int, _ high: Int) -> Int {
    let range = UInt64(high - low)
    var m = next().multipliedFullWidth(by: range)
    if m.low < range {
      let threshold = (0 &- range) % range
      while m.low < threshold { m = next().multipliedFullWidth(by: range) }
    }
    return low + Int(m.high)
  }
}

/// Seed derivation that makes the structure-sharing shortcuts of the grid exact.
///
/// Tree `t` of a forest seeded `s` always gets `treeSeed(s, t)`, so a forest of t trees is the
/// prefix of any larger forest. Inside a tree, a node's seed depends only on its path from the root,
/// so the depth-d tree is exactly the depth-d truncation of a deeper tree with the same seed.
public enum SeedDerivation {
  /// The seed of tree `index` of a forest seeded `forestSeed`.
  public static func treeSeed(_ forestSeed: UInt64, _ index: Int) -> UInt64 {
    ForestRNG.mix(ForestRNG.mix(forestSeed ^ 0x5DEE_CE66_D1CE_4E5B) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
  }

  /// The seed of a tree's root node.
  public static func rootSeed(_ treeSeed: UInt64) -> UInt64 { ForestRNG.mix(treeSeed ^ 0x1234_5678_9ABC_DEF1) }

  /// The seed of the left or right child of a node seeded `parent`.
  public static func childSeed(_ parent: UInt64, right: Bool) -> UInt64 {
    ForestRNG.mix(parent &+ (right ? 0xD1B5_4A32_D192_ED03 : 0x8CB9_2BA7_2F3D_8DD7))
  }
}
