import DUNESupport

/// The random SPP baseline of spec §5.6, seeded.
///
/// Shuffle the classes (Fisher–Yates); draw a block count uniformly in [2, m − 1]; cut the shuffled list
/// at (count − 1) distinct positions drawn uniformly from [0, m). A cut at 0 produces an empty first
/// block, which is dropped, so the realised count can be one less than drawn. Features of each block
/// follow the closed form of §5.2. The stream differs from Python's `random`, so only the procedure —
/// not the reference's individual draws — is reproduced.
public enum RandomPartition {
  /// One random partition of the m ≥ 3 classes of `model`.
  public static func draw(_ model: GainModel, seed: UInt64, maxBlocks: Int? = nil) throws -> ClassPartition {
    var rng = SplitMix64(seed: seed)
    return try draw(model, using: &rng, maxBlocks: maxBlocks)
  }

  /// One random partition drawn from `rng`; with `maxBlocks` k ≥ 2 the block count is drawn in
  /// [2, min(k, m − 1)] (the same stream as without a bound when k ≥ m − 1).
  public static func draw(
    _ model: GainModel, using rng: inout some RandomNumberGenerator, maxBlocks: Int? = nil
  ) throws -> ClassPartition {
    let m = model.classCount
    guard m >= 3 else { throw UsageError("the random baseline needs m ≥ 3 classes (block count in [2, m − 1])") }
    let top = min(m - 1, maxBlocks ?? (m - 1))
    guard top >= 2 else { throw UsageError("the random baseline needs room for 2 blocks, the bound is \(top)") }
    var order = Array(0..<m)
    for i in stride(from: m - 1, to: 0, by: -1) {
      let j = Int.random(in: 0...i, using: &rng)
      order.swapAt(i, j)
    }
    let count = Int.random(in: 2...top, using: &rng)
    var positions = Array(0..<m)
    for i in 0..<(count - 1) {  // partial Fisher–Yates: the first count − 1 entries are distinct draws
      let j = Int.random(in: i...(m - 1), using: &rng)
      positions.swapAt(i, j)
    }
    let cuts = positions.prefix(count - 1).sorted()
    var masks: [ClassMask] = []
    var start = 0
    for cut in cuts + [m] {
      let block = BitSet.mask(order[start..<cut])
      if block != 0 { masks.append(block) }
      start = cut
    }
    return try ClassPartition(masks: masks, model: model)
  }
}
