import DUNESupport
import Testing

@testable import Partition

/// Sequencing (spec §7): the tutorial golden instance (§12.4), loaders, and DP-vs-enumeration properties.
@Suite struct SequencingTests {
  static func tutorial() throws -> SequencingProblem {
    try SequencingProblem.load(falsePositivePath: ReferenceFiles.tutorialFP, f1Path: ReferenceFiles.tutorialF1)
  }

  @Test func tutorialGolden() throws {
    let p = try Self.tutorial()
    #expect(p.count == 5)
    #expect(p.falsePositive[0][3] == 29.846975 && p.f1Percent[4] == 84.9621)
    let r = SequencingSolver.solve(p, allOptimal: true, runnerUps: 3)
    #expect(r.order == [1, 2, 0, 4, 3])
    #expect(agrees(r.objective, 2.10219))
    #expect(r.allOptimal == [[1, 2, 0, 4, 3]] && !r.allOptimalTruncated)
    #expect(r.runnerUps.map(\.order) == [[1, 2, 4, 0, 3], [1, 4, 2, 0, 3], [1, 2, 0, 3, 4]])
    for (got, want) in zip(r.runnerUps.map(\.cost), [2.20485, 2.27738, 2.42304]) { #expect(agrees(got, want)) }
    // The DP and the permutation oracle agree on the whole top of the ranking.
    let ranked = PermutationEnumerator.ranked(p)
    #expect(ranked.prefix(4).map(\.order) == [r.order] + r.runnerUps.map(\.order))
  }

  @Test func costDefinition() throws {
    let p = try Self.tutorial()
    // c(i, j) = FP[j][i] · (1 − F1_i/100): sub-model 3 before 0 steals 29.846975 % of 3's claims.
    let expected: Double = 29.846975 * (1 - 75.2528 / 100)
    #expect(abs(p.cost[3][0] - expected) < 1e-12)
    #expect(p.cost[2][2] == 0)
    #expect(abs(p.cost(of: [0, 1]) - p.cost[0][1]) < 1e-15)
  }

  static func randomProblem(_ n: Int, _ rng: inout SplitMix64, zeros: Bool = false) throws -> SequencingProblem {
    var claims = [[Double]]()
    for _ in 0..<n {
      claims.append((0..<n).map { _ in zeros && Bool.random(using: &rng) ? 0 : Double.random(in: 0..<1, using: &rng) })
    }
    let fp = try ClusterFalsePositiveMatrix(claimsBySubModel: claims).percent
    let f1 = (0..<n).map { _ in Double.random(in: 20..<100, using: &rng) }
    return try SequencingProblem(falsePositive: fp, f1Percent: f1)
  }

  @Test func dpEqualsEnumeration() throws {
    var rng = SplitMix64(seed: 7)
    for n in 1...8 {
      for _ in 0..<(n <= 6 ? 8 : 2) {
        let p = try Self.randomProblem(n, &rng)
        let r = SequencingSolver.solve(p, runnerUps: 5)
        let ranked = PermutationEnumerator.ranked(p)
        #expect(Set(r.order).count == n && r.order.sorted() == Array(0..<n))
        #expect(abs(r.objective - ranked[0].cost) <= 1e-9, "n=\(n)")
        #expect(r.order == ranked[0].order)
        let kBest = SequencingSolver.bestOrders(p, count: 6)
        #expect(kBest.count == min(6, ranked.count))
        for (a, b) in zip(kBest, ranked) { #expect(abs(a.cost - b.cost) <= 1e-9) }
        #expect(Set(kBest.map(\.order)).count == kBest.count)
      }
    }
  }

  @Test func dpBeatsRandomPermutations() throws {
    var rng = SplitMix64(seed: 11)
    for n in [10, 12, 14] {
      let p = try Self.randomProblem(n, &rng)
      let r = SequencingSolver.solve(p, runnerUps: 2)
      #expect(r.order.sorted() == Array(0..<n))
      for _ in 0..<200 {
        let perm = Array(0..<n).shuffled(using: &rng)
        #expect(r.objective <= p.cost(of: perm) + 1e-9)
      }
      for ru in r.runnerUps { #expect(ru.cost >= r.objective - 1e-9) }
    }
  }

  @Test func allOptimalOrdersOnTies() throws {
    // Zero costs: every order is optimal; lexicographically smallest is the identity.
    let p = try SequencingProblem(
      falsePositive: [[100, 0, 0], [0, 100, 0], [0, 0, 100]], f1Percent: [50, 50, 50])
    let r = SequencingSolver.solve(p, allOptimal: true)
    #expect(r.order == [0, 1, 2] && r.objective == 0)
    var all: [[Int]] = []
    PermutationEnumerator.forEach(3) { all.append($0) }
    #expect(r.allOptimal == all)
    let limited = SequencingSolver.solve(p, allOptimal: true, optimalLimit: 4)
    #expect(limited.allOptimal.count == 4 && limited.allOptimalTruncated)
    // Ties with random instances: the DP's optimal set equals the enumeration's.
    var rng = SplitMix64(seed: 5)
    for _ in 0..<20 {
      let q = try Self.randomProblem(5, &rng, zeros: true)
      let res = SequencingSolver.solve(q, allOptimal: true, runnerUps: 0)
      let ranked = PermutationEnumerator.ranked(q)
      let opt = ranked.filter { $0.cost <= ranked[0].cost + 1e-9 }.map(\.order).sorted {
        $0.lexicographicallyPrecedes($1)
      }
      #expect(res.allOptimal == opt)
      #expect(res.order == opt[0])
    }
  }

  @Test func falsePositiveMatrixNormalisation() throws {
    let m = try ClusterFalsePositiveMatrix(claimsBySubModel: [[3, 1, 0], [0, 0, 0], [1, 1, 2]])
    // Column j = sub-model j's claims by true cluster k, in percent.
    #expect(m.percent[0][0] == 75 && m.percent[1][0] == 25 && m.percent[2][0] == 0)
    #expect(m.percent.map { $0[1] } == [0, 0, 0])
    #expect(m.percent.map { $0[2] } == [25, 25, 50])
    #expect(m.zeroColumns == [1])
    #expect(throws: UsageError.self) { try ClusterFalsePositiveMatrix(claimsBySubModel: [[1, -1], [0, 1]]) }
    #expect(throws: UsageError.self) { try ClusterFalsePositiveMatrix(claimsBySubModel: [[1, 1]]) }
  }

  @Test func loaderErrorsAreLocated() throws {
    let good = try CSVTable.parse(CSVReader(bytes: Array("Cluster,Macro_f1_FL\n0,50\n1,60\n".utf8), path: "f1.csv"))
    func fp(_ text: String) throws -> CSVTable {
      try CSVTable.parse(CSVReader(bytes: Array(text.utf8), path: "fp.csv"))
    }
    let ok = try SequencingProblem.parse(falsePositive: fp(",0,1\n0,90,5\n1,10,95\n"), f1: good)
    #expect(ok.count == 2)
    #expect(throws: LocatedError(file: "fp.csv", line: 1, column: 3, "column 3 must be named '1', found '2'")) {
      try SequencingProblem.parse(falsePositive: fp(",0,2\n0,90,5\n1,10,95\n"), f1: good)
    }
    #expect(throws: LocatedError(file: "fp.csv", line: 3, column: 2, "'x' is not a non-negative number")) {
      try SequencingProblem.parse(falsePositive: fp(",0,1\n0,90,5\n1,x,95\n"), f1: good)
    }
    let short = try CSVTable.parse(CSVReader(bytes: Array("Cluster,Macro_f1_FL\n0,50\n".utf8), path: "f1.csv"))
    #expect(throws: LocatedError(file: "f1.csv", "no Macro_f1_FL for cluster 1")) {
      try SequencingProblem.parse(falsePositive: fp(",0,1\n0,90,5\n1,10,95\n"), f1: short)
    }
  }
}
