import DUNESupport
import Foundation
import Testing

@testable import Partition

/// Seeded random instances: invariants of spec §12.6 and agreement of every solver with the oracles.
@Suite struct SPPPropertyTests {
  /// A random instance: PCFI-like rows (non-negative, summing to ≤ 1) and F1 in percent.
  static func randomProblem(m: Int, r: Int, _ rng: inout SplitMix64) throws -> SPPProblem {
    var w: [[Double]] = []
    for _ in 0..<m {
      var row = (0..<r).map { _ in pow(Double.random(in: 0..<1, using: &rng), 3) }
      let total = row.reduce(0, +) / Double.random(in: 0.7...1, using: &rng)
      row = row.map { $0 / total }
      w.append(row)
    }
    let f1 = (0..<m).map { _ in Double.random(in: 20..<100, using: &rng) }
    return try SPPProblem(
      classNames: (0..<m).map { "c\($0)" }, featureNames: (0..<r).map { "f\($0)" }, weights: w, f1Percent: f1)
  }

  func isPartition(_ p: ClassPartition, m: Int) -> Bool {
    var seen: ClassMask = 0
    for b in p.blocks {
      if b.members == 0 || b.members & seen != 0 { return false }
      seen |= b.members
    }
    let ordered = zip(p.blocks, p.blocks.dropFirst()).allSatisfy {
      $0.members.trailingZeroBitCount < $1.members.trailingZeroBitCount
    }
    return seen == BitSet.full(m) && ordered
  }

  /// Brute force over all 2^r feature subsets of max Σ_{f∈φ} (col_f − n/r).
  func bruteForceTheta(_ p: SPPProblem, _ s: ClassMask) -> (Double, UInt64) {
    let r = p.featureCount
    let members = BitSet.members(s)
    let cost = Double(members.count) / Double(r)
    let col = (0..<r).map { f in members.reduce(0.0) { $0 + p.weights[$1][f] } }
    var best = 0.0
    var bestPhi: UInt64 = 0
    for phi in 0..<(UInt64(1) << UInt64(r)) {
      var v = 0.0
      for f in BitSet.members(phi) { v += col[f] - cost }
      if v > best {
        best = v
        bestPhi = phi
      }
    }
    return (best, bestPhi)
  }

  @Test func closedFormFeatureSelectionIsOptimal() throws {
    var rng = SplitMix64(seed: 1)
    for _ in 0..<40 {
      let m = Int.random(in: 2...8, using: &rng)
      let r = Int.random(in: 1...10, using: &rng)
      let p = try Self.randomProblem(m: m, r: r, &rng)
      let model = GainModel(p)
      let s = ClassMask.random(in: 1...BitSet.full(m), using: &rng)
      let score = model.score(s)
      let (theta, phi) = bruteForceTheta(p, s)
      #expect(abs(score.theta - theta) < 1e-12)
      #expect(score.features == phi)
    }
  }

  @Test func subsetTableMatchesScore() throws {
    var rng = SplitMix64(seed: 2)
    let p = try Self.randomProblem(m: 10, r: 15, &rng)
    let model = GainModel(p)
    let table = model.allSubsetGains()
    for s in 1..<table.count { #expect(table[s] == model.gain(ClassMask(s))) }
  }

  @Test func greedyInvariants() throws {
    var rng = SplitMix64(seed: 3)
    for _ in 0..<25 {
      let m = Int.random(in: 2...14, using: &rng)
      let p = try Self.randomProblem(m: m, r: 15, &rng)
      let model = GainModel(p)
      let g = try GreedyAgglomerative.run(model)
      #expect(g.levels.count == m - 1)
      for l in g.levels {
        #expect(isPartition(l.partition, m: m))
        #expect(l.partition.compactness == Double(m - l.partition.blockCount) / Double(m - 1))
      }
      let best = g.levels.map(\.partition.totalGain).max()!
      #expect(g.partition.totalGain == best)
      #expect(g.levels.firstIndex { $0.partition.totalGain == best } == g.bestLevel)
      // Reported gain = re-scored gain of the output.
      let rescored = try ClassPartition(masks: g.partition.blocks.map(\.members), model: model)
      #expect(rescored.totalGain == g.partition.totalGain)
      for (a, b) in zip(rescored.blocks, g.partition.blocks) { #expect(a == b) }
      // Each level merges two blocks or is a degenerate singleton level that keeps the count (S8).
      var previous = m
      for l in g.levels {
        #expect(l.partition.blockCount == previous - (l.degenerate ? 0 : 1))
        previous = l.partition.blockCount
      }
      // Fixed block count selects the first level with exactly that count, or fails if none has it.
      let counts = Set(g.levels.map(\.partition.blockCount))
      for k in 1...(m - 1) {
        if counts.contains(k) {
          let fixed = try GreedyAgglomerative.run(model, blocks: k)
          #expect(fixed.partition.blockCount == k)
          #expect(fixed.bestLevel == g.levels.firstIndex { $0.partition.blockCount == k })
        } else {
          #expect(throws: UsageError.self) { try GreedyAgglomerative.run(model, blocks: k) }
        }
      }
    }
  }

  @Test func exactMatchesBruteForceEnumeration() throws {
    var rng = SplitMix64(seed: 4)
    for trial in 0..<12 {
      let m = 2 + trial % 8  // 2 … 9
      let p = try Self.randomProblem(m: m, r: 12, &rng)
      let model = GainModel(p)
      let table = model.allSubsetGains()
      var bestCompact = -Double.infinity
      var bestCompactBlocks: Set<ClassMask> = []
      var bestPlain = -Double.infinity
      var bestByK = [Double](repeating: -.infinity, count: m + 1)
      SetPartitionEnumerator.forEach(m) { blocks in
        let sum = blocks.reduce(0.0) { $0 + table[Int($1)] }
        let k = blocks.count
        bestByK[k] = max(bestByK[k], sum)
        let compact = ClassPartition.compactness(blocks: k, classes: m) * sum
        if compact > bestCompact {
          bestCompact = compact
          bestCompactBlocks = Set(blocks)
        }
        if k <= m - 1 { bestPlain = max(bestPlain, sum) }
      }
      let exact = try ExactPartitionSolver.solve(model, objective: .compact)
      #expect(isPartition(exact.partition, m: m))
      #expect(abs(exact.objective - bestCompact) <= 1e-12, "m=\(m)")
      #expect(abs(exact.partition.totalGain - bestCompact) <= 1e-12)
      #expect(Set(exact.partition.blocks.map(\.members)) == bestCompactBlocks)
      for k in 1..<m { #expect(abs(exact.bestSumByBlocks[k]! - bestByK[k]) <= 1e-12) }
      let plain = try ExactPartitionSolver.solve(model, objective: .plainSum)
      #expect(abs(plain.partition.sumGain - bestPlain) <= 1e-12)
      #expect(plain.partition.blockCount <= m - 1)
      if m >= 3 {
        let k = 1 + trial % (m - 1)
        let fixed = try ExactPartitionSolver.solve(model, objective: .compact, blocks: k)
        #expect(fixed.partition.blockCount == k)
        #expect(abs(fixed.partition.sumGain - bestByK[k]) <= 1e-12)
      }
    }
  }

  @Test func exactDominatesGreedy() throws {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<15 {
      let m = Int.random(in: 3...10, using: &rng)
      let p = try Self.randomProblem(m: m, r: 15, &rng)
      let model = GainModel(p)
      let exact = try ExactPartitionSolver.solve(model, objective: .compact)
      let greedy = try GreedyAgglomerative.run(model)
      let random = try RandomPartition.draw(model, seed: UInt64(m))
      #expect(exact.partition.totalGain >= greedy.partition.totalGain - 1e-12)
      #expect(exact.partition.totalGain >= random.totalGain - 1e-12)
    }
  }

  @Test func setPartitionCountsAreBellNumbers() {
    #expect((1...9).map(SetPartitionEnumerator.count) == [1, 2, 5, 15, 52, 203, 877, 4140, 21147])
  }

  @Test func randomBaselineIsSeededAndValid() throws {
    var rng = SplitMix64(seed: 6)
    let p = try Self.randomProblem(m: 12, r: 15, &rng)
    let model = GainModel(p)
    var counts = Set<Int>()
    for seed in UInt64(0)..<200 {
      let a = try RandomPartition.draw(model, seed: seed)
      #expect(isPartition(a, m: 12))
      #expect((1...11).contains(a.blockCount))
      counts.insert(a.blockCount)
      #expect(try RandomPartition.draw(model, seed: seed) == a)
    }
    #expect(counts.count >= 8)  // the block count really varies over [2, m − 1] (minus dropped empties)
    #expect(throws: UsageError.self) {
      try RandomPartition.draw(GainModel(Self.randomProblem(m: 2, r: 3, &rng)), seed: 0)
    }
  }

  @Test func tieRuleIsLexicographic() throws {
    // Identical classes: every pair has the same gain; greedy must merge the smallest indices first.
    let row = [0.5, 0.3, 0.2]
    let p = try SPPProblem(
      classNames: ["a", "b", "c", "d"], featureNames: ["x", "y", "z"], weights: [row, row, row, row],
      f1Percent: [80, 80, 80, 80])
    let g = try GreedyAgglomerative.run(GainModel(p))
    #expect(g.levels[0].chosen == 0b0011)
    #expect(BitSet.membersPrecede(0b0011, 0b0101) && !BitSet.membersPrecede(0b0101, 0b0011))
    #expect(BitSet.membersPrecede(0b0011, 0b1011) && !BitSet.membersPrecede(0b1011, 0b0011))
  }

  @Test func degenerateSingletonLevel() throws {
    // One class with F1 0 and a concentrated row: its singleton gain Θ·1/(1+0) beats every union,
    // so level 0 is a degenerate "merge" that keeps all blocks (S8) and counts them explicitly.
    let p = try SPPProblem(
      classNames: ["a", "b", "c"], featureNames: ["x", "y"],
      weights: [[1.0, 0.0], [0.5, 0.5], [0.4, 0.6]], f1Percent: [0, 90, 10])
    let g = try GreedyAgglomerative.run(GainModel(p))
    #expect(g.levels[0].degenerate && g.levels[0].chosen == 0b001)
    #expect(g.levels[0].partition.blockCount == 3)
    #expect(g.levels[1].partition.blockCount == 2)
    #expect(throws: UsageError.self) { try GreedyAgglomerative.run(GainModel(p), blocks: 1) }
  }
}
