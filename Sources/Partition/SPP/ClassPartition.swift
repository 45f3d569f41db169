import DUNESupport

/// A partition of the m classes into scored blocks, in the deterministic block order of spec §5.4:
/// blocks sorted by their smallest W-row index (which becomes the cluster ID); inside a block the
/// classes are listed in W-row order (ascending bit index).
public struct ClassPartition: Sendable, Equatable {
  /// m.
  public let classCount: Int
  /// The blocks, ordered by smallest member.
  public let blocks: [BlockScore]

  /// Scores `masks` with `model`; they must be non-empty, disjoint, and cover all m classes.
  public init(masks: [ClassMask], model: GainModel) throws {
    let m = model.classCount
    var union: ClassMask = 0
    for b in masks {
      guard b != 0 else { throw UsageError("a partition block is empty") }
      guard b & union == 0 else { throw UsageError("partition blocks overlap") }
      union |= b
    }
    guard union == BitSet.full(m) else { throw UsageError("partition does not cover all \(m) classes") }
    classCount = m
    blocks = masks.sorted { $0.trailingZeroBitCount < $1.trailingZeroBitCount }.map(model.score)
  }

  /// k, the number of blocks.
  public var blockCount: Int { blocks.count }
  /// Σ g over the blocks, in block order.
  public var sumGain: Double { blocks.reduce(0) { $0 + $1.gain } }
  /// C(k) = (m − k)/(m − 1).
  public var compactness: Double { Self.compactness(blocks: blockCount, classes: classCount) }
  /// G(P) = C(k) · Σ g (spec §5.3), the objective greedy and the exact solver maximise.
  public var totalGain: Double { compactness * sumGain }

  /// The compactness factor C(k) = (m − k)/(m − 1): 0 for all singletons, 1 for a single block.
  public static func compactness(blocks k: Int, classes m: Int) -> Double {
    Double(m - k) / Double(m - 1)
  }
}
