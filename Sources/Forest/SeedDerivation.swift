import DUNESupport

/// Seed derivation that makes the structure-sharing shortcuts of the grid exact.
///
/// Tree `t` of a forest seeded `s` always gets `treeSeed(s, t)`, so a forest of t trees is the
/// prefix of any larger forest. Inside a tree, a node's seed depends only on its path from the root,
/// so the depth-d tree is exactly the depth-d truncation of a deeper tree with the same seed.
public enum SeedDerivation {
  /// The seed of tree `index` of a forest seeded `forestSeed`.
  public static func treeSeed(_ forestSeed: UInt64, _ index: Int) -> UInt64 {
    SplitMix64.mix(SplitMix64.mix(forestSeed ^ 0x5DEE_CE66_D1CE_4E5B) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
  }

  /// The seed of a tree's root node.
  public static func rootSeed(_ treeSeed: UInt64) -> UInt64 { SplitMix64.mix(treeSeed ^ 0x1234_5678_9ABC_DEF1) }

  /// The seed of the left or right child of a node seeded `parent`.
  public static func childSeed(_ parent: UInt64, right: Bool) -> UInt64 {
    SplitMix64.mix(parent &+ (right ? 0xD1B5_4A32_D192_ED03 : 0x8CB9_2BA7_2F3D_8DD7))
  }
}
