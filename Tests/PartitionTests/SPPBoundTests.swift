import DUNESupport
import Foundation
import Testing

@testable import Partition

/// At most k blocks (a chain of at most k switches): the exact bound against brute force over every
/// set partition, greedy's bounded level against its own level list, and the CLI-facing solver.
@Suite struct SPPBoundTests {
  @Test func exactWithBoundMatchesBruteForce() throws {
    var rng = SplitMix64(seed: 41)
    for trial in 0..<14 {
      let m = 3 + trial % 7  // 3 … 9
      let p = try SPPPropertyTests.randomProblem(m: m, r: 12, &rng)
      let model = GainModel(p)
      let table = model.allSubsetGains()
      for bound in 1..<m {
        var best = -Double.infinity
        var bestBlocks: Set<ClassMask> = []
        var bestPlain = -Double.infinity
        SetPartitionEnumerator.forEach(m) { blocks in
          guard blocks.count <= bound else { return }
          let sum = blocks.reduce(0.0) { $0 + table[Int($1)] }
          let compact = ClassPartition.compactness(blocks: blocks.count, classes: m) * sum
          if compact > best {
            best = compact
            bestBlocks = Set(blocks)
          }
          bestPlain = max(bestPlain, sum)
        }
        let exact = try ExactPartitionSolver.solve(model, objective: .compact, maxBlocks: bound)
        #expect(exact.partition.blockCount <= bound)
        #expect(abs(exact.objective - best) <= 1e-12, "m=\(m) bound=\(bound)")
        #expect(Set(exact.partition.blocks.map(\.members)) == bestBlocks, "m=\(m) bound=\(bound)")
        let plain = try ExactPartitionSolver.solve(model, objective: .plainSum, maxBlocks: bound)
        #expect(plain.partition.blockCount <= bound)
        #expect(abs(plain.partition.sumGain - bestPlain) <= 1e-12)
        // Only k ≤ bound is computed.
        for k in 1..<m { #expect((exact.bestSumByBlocks[k] != nil) == (k <= bound)) }
      }
      // A bound of m − 1 or more is no bound at all.
      let free = try ExactPartitionSolver.solve(model, objective: .compact)
      for bound in [m - 1, m, m + 5] {
        #expect(try ExactPartitionSolver.solve(model, objective: .compact, maxBlocks: bound) == free)
      }
    }
  }

  @Test func greedyWithBoundPicksTheBestLevelWithinIt() throws {
    var rng = SplitMix64(seed: 42)
    for _ in 0..<20 {
      let m = Int.random(in: 3...14, using: &rng)
      let model = GainModel(try SPPPropertyTests.randomProblem(m: m, r: 15, &rng))
      let free = try GreedyAgglomerative.run(model)
      for bound in 1..<m {
        let allowed = free.levels.filter { $0.partition.blockCount <= bound }
        guard let first = allowed.first else {
          #expect(throws: UsageError.self) { try GreedyAgglomerative.run(model, maxBlocks: bound) }
          continue
        }
        let bounded = try GreedyAgglomerative.run(model, maxBlocks: bound)
        // The merging is unchanged; only the choice of level is restricted.
        #expect(bounded.levels == free.levels)
        let chosen = bounded.levels[bounded.bestLevel]
        #expect(chosen.partition.blockCount <= bound)
        let best = allowed.map(\.partition.totalGain).max()!
        #expect(chosen.partition.totalGain == best)
        // First maximum: no earlier allowed level reaches it.
        #expect(allowed.prefix { $0.level < chosen.level }.allSatisfy { $0.partition.totalGain < best })
        #expect(first.level <= chosen.level)
        if free.partition.blockCount <= bound { #expect(bounded.bestLevel == free.bestLevel) }
        // Exact dominates greedy under the same bound.
        if m <= 10 {
          let exact = try ExactPartitionSolver.solve(model, objective: .compact, maxBlocks: bound)
          #expect(exact.partition.totalGain >= chosen.partition.totalGain - 1e-12)
        }
      }
    }
  }

  @Test func boundsAreValidated() throws {
    var rng = SplitMix64(seed: 43)
    let model = GainModel(try SPPPropertyTests.randomProblem(m: 6, r: 8, &rng))
    #expect(throws: UsageError.self) { try GreedyAgglomerative.run(model, maxBlocks: 0) }
    #expect(throws: UsageError.self) { try ExactPartitionSolver.solve(model, objective: .compact, maxBlocks: 0) }
    #expect(throws: UsageError.self) { try GreedyAgglomerative.run(model, blocks: 4, maxBlocks: 3) }
    #expect(throws: UsageError.self) {
      try ExactPartitionSolver.solve(model, objective: .compact, blocks: 4, maxBlocks: 3)
    }
    #expect(try GreedyAgglomerative.run(model, blocks: 3, maxBlocks: 3).partition.blockCount == 3)
  }

  @Test func randomBaselineRespectsTheBound() throws {
    var rng = SplitMix64(seed: 44)
    let model = GainModel(try SPPPropertyTests.randomProblem(m: 12, r: 15, &rng))
    for seed in UInt64(0)..<100 {
      #expect(try RandomPartition.draw(model, seed: seed, maxBlocks: 4).blockCount <= 4)
      // A bound of m − 1 leaves the stream unchanged.
      #expect(try RandomPartition.draw(model, seed: seed, maxBlocks: 11) == RandomPartition.draw(model, seed: seed))
    }
    #expect(throws: UsageError.self) { try RandomPartition.draw(model, seed: 0, maxBlocks: 1) }
  }

  @Test func solverPassesTheBoundToEveryMethod() throws {
    var rng = SplitMix64(seed: 45)
    let p = try SPPPropertyTests.randomProblem(m: 9, r: 10, &rng)
    for method in SPPMethod.allCases {
      let s = try SPPSolution.solve(p, method: method, maxBlocks: 3, seed: 7)
      #expect(s.partition.blockCount <= 3, "\(method)")
    }
  }
}
