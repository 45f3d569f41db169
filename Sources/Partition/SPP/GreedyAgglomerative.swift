import DUNESupport

/// One level of the greedy agglomeration: the partition after that level's merge.
public struct GreedyLevel: Sendable, Equatable {
  /// Level index i (0 … m − 2).
  public let level: Int
  /// The winning candidate of this level (a union of two blocks, or a live singleton).
  public let chosen: ClassMask
  /// Whether the winner was a live singleton: a degenerate "merge" that leaves the blocks unchanged (S8).
  public let degenerate: Bool
  /// The blocks after this level, scored and in the deterministic order.
  public let partition: ClassPartition
}

/// The full greedy run: every level and the selected one.
public struct GreedyResult: Sendable, Equatable {
  /// All m − 1 levels.
  public let levels: [GreedyLevel]
  /// The index of the selected level (first maximum of TotalGain, or the first level with k blocks).
  public let bestLevel: Int
  /// The selected partition.
  public var partition: ClassPartition { levels[bestLevel].partition }
}

/// The greedy agglomerative SPP heuristic of spec §5.4 — the algorithm behind all published results.
///
/// Rules, exactly as implemented:
/// * Start with every class as its own block; every singleton is also a *live candidate* until its
///   class is merged.
/// * Each level i = 0 … m − 2 adds the union of every unordered pair of current blocks to the
///   candidates and picks the candidate with the largest gain g. Ties (exactly equal gains) go to the
///   lexicographically smallest ascending member-index list (the reference takes dictionary order and
///   crashes on ties, S6).
/// * Every candidate intersecting the winner is removed. A pair union replaces its two blocks; a live
///   singleton winner leaves the blocks unchanged but stops being a candidate (degenerate level, S8).
/// * Level i records the blocks and TotalGain_i = C(k)·Σ g with k counted explicitly.
/// * Selected level: the first maximum of TotalGain, or — with a fixed block count k, 1 ≤ k ≤ m − 1 —
///   the first level with exactly k blocks (reference `fix_level = k + 1`, unchecked there, S7).
/// * With a bound `maxBlocks` k (a chain of at most k switches), the merging goes on as before and the
///   selected level is the first maximum of TotalGain among the levels with at most k blocks: greedy
///   stops being allowed to stop before it has merged down to k blocks.
public enum GreedyAgglomerative {
  /// Runs the heuristic on `model`; `blocks` fixes the number of blocks of the returned level,
  /// `maxBlocks` bounds it (at most that many blocks).
  public static func run(_ model: GainModel, blocks fixed: Int? = nil, maxBlocks bound: Int? = nil) throws
    -> GreedyResult
  {
    let m = model.classCount
    if let k = fixed, !(1...(m - 1)).contains(k) {
      throw UsageError("number of blocks must be in 1…\(m - 1) for m = \(m), got \(k)")
    }
    if let b = bound {
      guard b >= 1 else { throw UsageError("the bound on the number of blocks must be ≥ 1, got \(b)") }
      if let k = fixed, k > b { throw UsageError("fixed number of blocks \(k) exceeds the bound of \(b) blocks") }
    }
    var blocks: [ClassMask] = (0..<m).map { 1 << UInt64($0) }
    var candidates: [ClassMask: Double] = [:]
    var gainCache: [ClassMask: Double] = [:]
    func gain(_ s: ClassMask) -> Double {
      if let g = gainCache[s] { return g }
      let g = model.gain(s)
      gainCache[s] = g
      return g
    }
    for b in blocks { candidates[b] = gain(b) }

    var levels: [GreedyLevel] = []
    for level in 0...(m - 2) {
      for i in 0..<blocks.count {
        for j in (i + 1)..<blocks.count {
          let u = blocks[i] | blocks[j]
          candidates[u] = gain(u)
        }
      }
      var best: ClassMask = 0
      var bestGain = -Double.infinity
      for (s, g) in candidates where g > bestGain || (g == bestGain && BitSet.membersPrecede(s, best)) {
        best = s
        bestGain = g
      }
      precondition(best != 0, "greedy ran out of candidates")
      candidates = candidates.filter { $0.key & best == 0 }
      let members = blocks.filter { $0 & ~best == 0 }
      let degenerate = members.count == 1
      if !degenerate {
        blocks.removeAll { $0 & best != 0 }
        blocks.append(best)
      }
      let partition = try ClassPartition(masks: blocks, model: model)
      levels.append(GreedyLevel(level: level, chosen: best, degenerate: degenerate, partition: partition))
    }

    let bestLevel: Int
    if let k = fixed {
      guard let i = levels.firstIndex(where: { $0.partition.blockCount == k }) else {
        throw UsageError("no greedy level has exactly \(k) blocks (degenerate levels consumed the budget)")
      }
      bestLevel = i
    } else {
      let allowed = levels.indices.filter { levels[$0].partition.blockCount <= bound ?? m }
      guard var bi = allowed.first else {
        throw UsageError(
          "no greedy level has at most \(bound ?? m) blocks (degenerate levels left \(levels.last?.partition.blockCount ?? m))"
        )
      }
      for i in allowed where levels[i].partition.totalGain > levels[bi].partition.totalGain { bi = i }
      bestLevel = bi
    }
    return GreedyResult(levels: levels, bestLevel: bestLevel)
  }
}
