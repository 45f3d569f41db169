import DUNESupport

/// The SPP solution methods of spec §5.4–§5.6.
public enum SPPMethod: String, Sendable, CaseIterable {
  /// Greedy agglomerative heuristic (§5.4) — the published results.
  case greedy
  /// Exact optimum of C(k)·Σ g by subset DP (m ≤ 16).
  case exact
  /// Exact optimum of the reference ILP objective: plain Σ g, ≤ m − 1 blocks, no compactness (m ≤ 16).
  case ilp
  /// Seeded random baseline (§5.6).
  case random
}

/// A solved SPP instance: the chosen partition plus what the method reports about how it got there.
public struct SPPSolution: Sendable, Equatable {
  /// The instance.
  public let problem: SPPProblem
  /// The method that produced it.
  public let method: SPPMethod
  /// The chosen partition, scored.
  public let partition: ClassPartition
  /// The value the method maximised: G(P) = C(k)·Σ g for greedy/exact/random, Σ g for ilp.
  public let objective: Double
  /// Greedy only: every level.
  public let levels: [GreedyLevel]
  /// Greedy only: the selected level.
  public let bestLevel: Int?
  /// Exact/ilp only: best Σ g for each block count k (index k; nil where not computed).
  public let bestSumByBlocks: [Double?]

  /// Solves `problem` with `method`; `blocks` fixes the number of blocks (greedy/exact/ilp), `maxBlocks`
  /// bounds it (every method), `seed` drives random.
  public static func solve(
    _ problem: SPPProblem, method: SPPMethod, blocks: Int? = nil, maxBlocks: Int? = nil, seed: UInt64 = 0
  ) throws -> SPPSolution {
    let model = GainModel(problem)
    switch method {
    case .greedy:
      let r = try GreedyAgglomerative.run(model, blocks: blocks, maxBlocks: maxBlocks)
      return SPPSolution(
        problem: problem, method: method, partition: r.partition, objective: r.partition.totalGain,
        levels: r.levels, bestLevel: r.bestLevel, bestSumByBlocks: [])
    case .exact, .ilp:
      let r = try ExactPartitionSolver.solve(
        model, objective: method == .exact ? .compact : .plainSum, blocks: blocks, maxBlocks: maxBlocks)
      let objective = method == .exact ? r.partition.totalGain : r.partition.sumGain
      return SPPSolution(
        problem: problem, method: method, partition: r.partition, objective: objective, levels: [],
        bestLevel: nil, bestSumByBlocks: r.bestSumByBlocks)
    case .random:
      guard blocks == nil else { throw UsageError("the random baseline draws its own block count; drop --blocks") }
      let p = try RandomPartition.draw(model, seed: seed, maxBlocks: maxBlocks)
      return SPPSolution(
        problem: problem, method: method, partition: p, objective: p.totalGain, levels: [], bestLevel: nil,
        bestSumByBlocks: [])
    }
  }
}
