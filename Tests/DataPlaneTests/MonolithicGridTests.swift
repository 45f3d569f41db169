import DUNESupport
import DataPlane
import Forest
import Testing

/// The monolithic baseline's grid (`MonolithicGrid`), on a small seeded problem.
@Suite struct MonolithicGridTests {
  static let features = ["ip.len", "ip.ttl", "srcport"]
  static let classes = ["a", "b", "c"]

  /// A seeded problem whose labels depend on the first two columns, plus noise.
  static func set(rows: Int, seed: UInt64) -> LabelledSet {
    var g = SplitMix64(seed: seed)
    var columns: [[Double]] = []
    for levels in [1500, 64, 65_536] { columns.append((0..<rows).map { _ in Double(g.int(in: 0...(levels - 1))) }) }
    var labels: [Int32] = []
    for r in 0..<rows {
      let noise = g.int(in: 0...9) == 0 ? 1 : 0
      labels.append(Int32((Int(columns[0][r]) / 500 + Int(columns[1][r]) / 32 + noise) % 3))
    }
    return LabelledSet(
      matrix: FeatureMatrix(columns: columns), labels: labels, weights: Array(repeating: 1, count: rows))
  }

  static let points = [
    MonolithicGrid.Point(n: 2, train: set(rows: 300, seed: 1), test: set(rows: 200, seed: 2)),
    MonolithicGrid.Point(n: 3, train: set(rows: 300, seed: 3), test: set(rows: 200, seed: 4)),
  ]
  static let settings = MonolithicGrid.Settings(treeCounts: [1, 3], leafBudgets: [4, 16], subsetSizes: [1, 3, 9])

  @Test func sweepsEveryCandidateAndSelectsTheBestThatFits() throws {
    let r = try MonolithicGrid.run(
      points: Self.points, classes: Self.classes, features: Self.features, settings: Self.settings,
      scheme: .canonical, budget: .tofino1)
    // 2 N × 2 subset sizes (9 > F is skipped) × 2 tree counts × 2 budgets, in grid order.
    #expect(r.rows.count == 16)
    #expect(r.rows.map(\.n) == Array(repeating: 2, count: 8) + Array(repeating: 3, count: 8))
    #expect(r.rows.prefix(8).map(\.features) == [1, 1, 1, 1, 3, 3, 3, 3])
    #expect(r.rows.prefix(4).map(\.trees) == [1, 1, 3, 3])
    #expect(r.rows.prefix(2).map(\.leafBudget) == [4, 16])
    let fitting = r.rows.filter(\.fits)
    #expect(!fitting.isEmpty)
    let s = try #require(r.selected)
    #expect(s.row.fits)
    #expect(s.row.macroF1FL == fitting.map(\.macroF1FL).max())
    // Ties keep the earliest candidate.
    #expect(s.row == fitting.first { $0.macroF1FL == s.row.macroF1FL })
    #expect(s.compiled.inferencePoint == s.row.n)
    #expect(s.model.trees.count == s.row.trees)
    #expect(s.model.features.count == s.row.features)
    // The learnable problem beats chance clearly.
    #expect(s.row.macroF1FL > 0.6)
  }

  /// One fit per (N, k) cut to every (trees, budget) gives exactly the candidates of one fit each.
  @Test func shortcutEqualsNaiveLoop() throws {
    let settings = MonolithicGrid.Settings(treeCounts: [1, 3, 2], leafBudgets: [4, 16, 2, 9], subsetSizes: [1, 2, 3])
    for threads in [1, 2] {
      let fast = try MonolithicGrid.run(
        points: Self.points, classes: Self.classes, features: Self.features, settings: settings, scheme: .canonical,
        budget: .tofino1, threads: threads)
      let naive = try MonolithicGrid.runNaive(
        points: Self.points, classes: Self.classes, features: Self.features, settings: settings, scheme: .canonical,
        budget: .tofino1)
      #expect(fast.rows == naive.rows)
      #expect(fast.rows.count == 2 * 3 * 3 * 4)
      let a = try #require(fast.selected)
      let b = try #require(naive.selected)
      #expect(a.row == b.row)
      #expect(a.model == b.model)
      #expect(a.compiled == b.compiled)
    }
  }

  /// Re-selecting from the rows and refitting one candidate gives the very forest the grid selected.
  @Test func preferenceOrderAndRefitReproduceTheSelection() throws {
    let r = try MonolithicGrid.run(
      points: Self.points, classes: Self.classes, features: Self.features, settings: Self.settings,
      scheme: .canonical, budget: .tofino1)
    let s = try #require(r.selected)
    let order = MonolithicGrid.preferenceOrder(r.rows)
    #expect(order.count == r.rows.count)
    #expect(zip(order, order.dropFirst()).allSatisfy { $0.macroF1FL >= $1.macroF1FL })
    #expect(order.first { $0.fits } == s.row)
    let point = try #require(Self.points.first { $0.n == s.row.n })
    let ranking = try MonolithicGrid.ranking(
      point, classes: Self.classes, features: Self.features, settings: Self.settings)
    let refit = try MonolithicGrid.fit(
      s.row, point: point, ranking: ranking, classes: Self.classes, features: Self.features,
      settings: Self.settings, scheme: .canonical)
    #expect(refit.model == s.model)
    #expect(refit.compiled == s.compiled)
    var wrong = s.row
    wrong.n = 99
    #expect(throws: UsageError.self) {
      try MonolithicGrid.fit(
        wrong, point: point, ranking: ranking, classes: Self.classes, features: Self.features,
        settings: Self.settings, scheme: .canonical)
    }
  }

  @Test func nothingFitsAZeroBudget() throws {
    var budget = SwitchBudget.tofino1
    budget.tcamBlocks = 0
    let r = try MonolithicGrid.run(
      points: Array(Self.points.prefix(1)), classes: Self.classes, features: Self.features,
      settings: MonolithicGrid.Settings(treeCounts: [1], leafBudgets: [4], subsetSizes: [2]), scheme: .canonical,
      budget: budget)
    #expect(r.rows.count == 1)
    #expect(r.rows.allSatisfy { !$0.fits })
    #expect(r.selected == nil)
  }

  @Test func csvHasOneLinePerCandidate() {
    let rows = [
      MonolithicGrid.Row(n: 2, features: 1, trees: 3, leafBudget: 41, macroF1FL: 0.5, tcamBlocks: 7, fits: true),
      MonolithicGrid.Row(n: 3, features: 4, trees: 1, leafBudget: 85, macroF1FL: 1.0 / 3, tcamBlocks: 9, fits: false),
    ]
    #expect(
      MonolithicGrid.csv(rows)
        == "n,features,trees,leaf_budget,macro_f1_fl,tcam_blocks,fits\n2,1,3,41,0.500000,7,1\n3,4,1,85,0.333333,9,0\n")
  }
}
