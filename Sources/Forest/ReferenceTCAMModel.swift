import Traffic

/// The DUNE selection model of TCAM usage (`dune-reference.md` §6.4, `data-plane.md` §9.2), exactly.
///
/// code blocks = (⌊L/44⌋ + 1)·T with L the largest leaf count; feature blocks = Σ_f (⌊2·bits(f)/44⌋ + 1);
/// usage = (code + feature)/288. The factor 2 for range keys is the reference's own assumption.
public enum ReferenceTCAMModel {
  /// Tofino-1 TCAM capacity: 12 stages × 24 blocks.
  public static let capacity = 288

  /// Total blocks for T trees, max leaves L and the given feature key widths.
  public static func blocks(trees: Int, maxLeaves: Int, featureBits: [Int]) -> Int {
    codeBlocks(trees: trees, maxLeaves: maxLeaves) + featureBlocks(featureBits)
  }

  /// Blocks of the code tables: one ternary table of ⌊L/44⌋ + 1 blocks per tree.
  public static func codeBlocks(trees: Int, maxLeaves: Int) -> Int { (maxLeaves / 44 + 1) * trees }

  /// Blocks of the feature tables: ⌊2·bits/44⌋ + 1 per range-matched key.
  public static func featureBlocks(_ featureBits: [Int]) -> Int { featureBits.reduce(0) { $0 + (2 * $1) / 44 + 1 } }

  /// Key widths of the named features from `FeatureCatalog`; a name the catalog does not know counts
  /// as a 32-bit key (the widest catalog width).
  public static func featureBits(_ features: [String]) -> [Int] { features.map { FeatureCatalog.bitWidth($0) ?? 32 } }

  /// The code-table and feature-table shares (fractions of `capacity`) of a candidate; they add up
  /// to `referenceTCAMShare`.
  public static func shares(trees: Int, maxLeaves: Int, features: [String]) -> (code: Double, features: Double) {
    let cap = Double(capacity)
    return (
      Double(codeBlocks(trees: trees, maxLeaves: maxLeaves)) / cap, Double(featureBlocks(featureBits(features))) / cap
    )
  }
}

/// The reference TCAM share (fraction of 288 blocks) of a candidate with `trees` trees of at most
/// `maxLeaves` leaves on the named features; widths from `FeatureCatalog` (`dune-reference.md` §6.4).
/// A name the catalog does not know counts as a 32-bit key (the widest catalog width).
public func referenceTCAMShare(trees: Int, maxLeaves: Int, features: [String]) -> Double {
  let bits = ReferenceTCAMModel.featureBits(features)
  return Double(ReferenceTCAMModel.blocks(trees: trees, maxLeaves: maxLeaves, featureBits: bits))
    / Double(ReferenceTCAMModel.capacity)
}
