import DUNESupport

/// The unconstrained model analysis grid of `dune-reference.md` §3.3–3.4, made cheap.
///
/// For each N: one ranking forest (the largest forest of the grid, deepest depth, all candidate
/// features) gives the MDI order; then for each subset size k one forest of `max(treeCounts)` trees
/// grown to `max(depths)` on the top-k features is evaluated at every (trees, depth) point through
/// `TruncatedForestEvaluator` — one fit instead of |trees|·|depths| fits.
///
/// Ranking: `.perN` (default) ranks features once per N by the ranking forest — a deliberate
/// simplification. `.perPoint` is the reference's rule: the ranking of point (trees, depth) is the
/// MDI of the forest (trees, depth) on all features — read off the ranking forest's truncations
/// (`FeatureImportance.truncatedMDI`) — and every distinct ordered top-k list gets its own deep fit,
/// evaluated only at the points that chose it.
public enum UnconstrainedGrid {
  /// How the nested top-k subsets are ranked.
  public enum Ranking: String, Sendable, Codable {
    case perN = "per-n"
    case perPoint = "per-point"
  }

  /// What to sweep.
  public struct Settings: Sendable {
    public var depths: [Int]
    public var treeCounts: [Int]
    /// Nested subset sizes; nil = 1...F.
    public var subsetSizes: [Int]?
    public var maxFeatures: MaxFeatures
    public var criterion: SplitCriterion
    public var seed: UInt64
    public var threads: Int
    public var ranking: Ranking

    public init(
      depths: [Int] = Array(5...30), treeCounts: [Int] = Array(1...40), subsetSizes: [Int]? = nil,
      maxFeatures: MaxFeatures = .sqrt, criterion: SplitCriterion = .gini, seed: UInt64 = 42,
      threads: Int = defaultThreadCount, ranking: Ranking = .perN
    ) {
      self.ranking = ranking
      self.depths = depths
      self.treeCounts = treeCounts
      self.subsetSizes = subsetSizes
      self.maxFeatures = maxFeatures
      self.criterion = criterion
      self.seed = seed
      self.threads = threads
    }

    func parameters(trees: Int, depth: Int) -> ForestParameters {
      ForestParameters(
        treeCount: trees, growth: .depthFirst(maxDepth: depth), criterion: criterion, maxFeatures: maxFeatures,
        seed: seed)
    }
  }

  /// The data of one inference point, with every candidate feature in `features` order.
  public struct Input: Sendable {
    public var n: Int
    public var train: LabelledSet
    public var test: LabelledSet
    public init(n: Int, train: LabelledSet, test: LabelledSet) {
      self.n = n
      self.train = train
      self.test = test
    }
  }

  /// One grid row (one line of `{UC}_models_{N}pkts.csv`).
  public struct Row: Sendable, Codable, Equatable {
    public var n: Int
    public var treeCount: Int
    public var maxDepth: Int
    /// Feature names, in rank order.
    public var features: [String]
    public var depths: [Int]
    public var leaves: [Int]
    public var evaluation: FlowPacketEvaluation

    /// True when `self` beats `other` under the best-model rule: higher FL macro F1, then smaller
    /// N, fewer trees, smaller depth, fewer features.
    public func isBetter(than other: Row) -> Bool {
      let a = evaluation.fl.macroF1
      let b = other.evaluation.fl.macroF1
      if a != b { return a > b }
      return (n, treeCount, maxDepth, features.count) < (other.n, other.treeCount, other.maxDepth, other.features.count)
    }
  }

  /// The grid's outcome.
  public struct Summary: Sendable {
    public var best: Row
    /// Feature ranking (names, descending MDI) per N.
    public var rankings: [Int: [String]]
    public var fits: Int
    public var points: Int
    /// The best row's forest (its trees at its realised depth) as the grid grew it, when this
    /// process grew it; nil when the grid was merged from shards.
    public var bestFit: [DecisionTree]?
  }

  /// Runs the grid; `onRow` sees every row in a deterministic order (N, k, trees, depth ascending).
  ///
  /// The same as `merge(runUnits(units(…)))`: a grid split into shards of units, computed anywhere
  /// and merged, gives exactly these rows and this summary.
  public static func run(
    inputs: [Input], classes: [String], features: [String], settings: Settings,
    onRow: (Row) throws -> Void, progress: (String) -> Void = { _ in }
  ) throws -> Summary {
    let all = units(inferencePoints: inputs.map(\.n), featureCount: features.count, settings: settings)
    var champion: Champion?
    let results = try runUnits(
      all, inputs: inputs, classes: classes, features: features, settings: settings, progress: progress,
      champion: &champion)
    var summary = try merge(
      results, inferencePoints: inputs.map(\.n), featureCount: features.count, settings: settings, onRow: onRow)
    if let c = champion, c.row == summary.best { summary.bestFit = c.trees }
    return summary
  }

  /// The best row computed so far and its forest. `Row.isBetter` orders the rows of
  /// a grid strictly (ties need the same N, trees, depth and subset size: one row), so the last
  /// champion is `merge`'s best whatever order the units and fits run in.
  struct Champion {
    var row: Row
    var trees: [DecisionTree]
  }

  /// One independent piece of the grid: every point of one inference point and one subset size.
  public struct Unit: Hashable, Codable, Sendable, Comparable {
    public var n: Int
    /// Subset size (top-k features).
    public var k: Int

    public init(n: Int, k: Int) {
      self.n = n
      self.k = k
    }

    public static func < (a: Unit, b: Unit) -> Bool { (a.n, a.k) < (b.n, b.k) }
  }

  /// The rows of one unit (trees, depth ascending), the ranking of its N and its evaluation fits.
  public struct UnitResult: Codable, Sendable, Equatable {
    public var unit: Unit
    /// Feature names by descending MDI of the N's ranking forest.
    public var ranking: [String]
    public var evaluationFits: Int
    public var rows: [Row]
  }

  /// Every unit of a grid, by N then k ascending.
  public static func units(inferencePoints: [Int], featureCount: Int, settings: Settings) -> [Unit] {
    let sizes = Array(
      Set((settings.subsetSizes ?? Array(1...max(1, featureCount))).filter { $0 >= 1 && $0 <= featureCount })
    )
    .sorted()
    return Array(Set(inferencePoints)).sorted().flatMap { n in sizes.map { Unit(n: n, k: $0) } }
  }

  /// Computes `units` (in that order). Each N they touch gets its ranking fit (a shard holding units
  /// of several N fits each ranking forest once).
  public static func runUnits(
    _ units: [Unit], inputs: [Input], classes: [String], features: [String], settings: Settings,
    progress: (String) -> Void = { _ in }
  ) throws -> [UnitResult] {
    var champion: Champion?
    return try runUnits(
      units, inputs: inputs, classes: classes, features: features, settings: settings, progress: progress,
      champion: &champion)
  }

  /// `runUnits`, keeping the best row's trees in `champion`.
  static func runUnits(
    _ units: [Unit], inputs: [Input], classes: [String], features: [String], settings: Settings,
    progress: (String) -> Void, champion: inout Champion?
  ) throws -> [UnitResult] {
    let maxTrees = settings.treeCounts.max() ?? 1
    let maxDepth = settings.depths.max() ?? 1
    let depthsSorted = settings.depths.sorted()
    let countsSorted = settings.treeCounts.filter { $0 >= 1 && $0 <= maxTrees }.sorted()
    var out: [UnitResult] = []
    let counter = ProgressReporting.counter(
      "unconstrained grid", total: units.count * countsSorted.count * depthsSorted.count, unit: "grid points")
    defer { counter.finish() }
    for n in Array(Set(units.map(\.n))).sorted() {
      guard let input = inputs.first(where: { $0.n == n }) else { throw GridError.noInput(n) }
      let all = try TrainingData(input.train, classCount: classes.count)
      let rankTrees = RandomForest.trainTrees(
        all, parameters: settings.parameters(trees: maxTrees, depth: maxDepth), threads: settings.threads)
      let mdi = FeatureImportance.mdi(ForestModel(classes: classes, features: features, trees: rankTrees))
      let rank = FeatureImportance.ranking(mdi)
      let rankNames = rank.map { features[$0] }
      progress("N=\(n): ranking \(rankNames.joined(separator: ", "))")
      // Ranking of every (trees, depth) point: one global order (.perN) or the point's own MDI.
      var pointRank: [[Int]] = []  // index: ti * depths.count + di
      if settings.ranking == .perPoint {
        let truncated = FeatureImportance.truncatedMDI(
          trees: rankTrees, featureCount: features.count, cuts: depthsSorted)
        for t in countsSorted {
          for di in depthsSorted.indices { pointRank.append(FeatureImportance.ranking(truncated[di][t - 1])) }
        }
      }
      for unit in units where unit.n == n {
        let k = unit.k
        // Group the points by their ordered top-k list; one deep fit per group.
        var groups: [[Int]: [(t: Int, d: Int)]] = [:]
        var order: [[Int]] = []
        for (ti, t) in countsSorted.enumerated() {
          for (di, d) in depthsSorted.enumerated() {
            let chosen = Array(
              (settings.ranking == .perPoint ? pointRank[ti * depthsSorted.count + di] : rank).prefix(k))
            if groups[chosen] == nil { order.append(chosen) }
            groups[chosen, default: []].append((t, d))
          }
        }
        var rowsOfK: [Row] = []
        for chosen in order {
          let points = groups[chosen]!
          let wanted = Set(points.map { "\($0.t):\($0.d)" })
          let groupTrees = points.map(\.t).max()!
          let groupDepth = points.map(\.d).max()!
          let data = try all.selecting(features: chosen)
          let trees = RandomForest.trainTrees(
            data, parameters: settings.parameters(trees: groupTrees, depth: groupDepth), threads: settings.threads)
          let evaluated = TruncatedForestEvaluator(trees: trees, classCount: classes.count)
            .evaluate(
              test: input.test.selecting(features: chosen), treeCounts: Array(Set(points.map(\.t))),
              maxDepths: Array(Set(points.map(\.d))), threads: settings.threads)
          let names = chosen.map { features[$0] }
          for p in evaluated where wanted.contains("\(p.treeCount):\(p.maxDepth)") {
            let row = Row(
              n: n, treeCount: p.treeCount, maxDepth: p.maxDepth, features: names, depths: p.depths,
              leaves: p.leaves, evaluation: p.evaluation)
            rowsOfK.append(row)
            if champion.map({ row.isBetter(than: $0.row) }) ?? true {
              // Only the row's own forest (its trees, cut to its realised depth), not the whole fit.
              let depth = row.realisedDepth
              champion = Champion(row: row, trees: trees.prefix(row.treeCount).map { $0.truncated(toDepth: depth) })
            }
          }
        }
        rowsOfK.sort { ($0.treeCount, $0.maxDepth) < ($1.treeCount, $1.maxDepth) }
        counter.advance(by: countsSorted.count * depthsSorted.count)
        progress("N=\(n) k=\(k): \(order.count) fit(s)")
        out.append(UnitResult(unit: unit, ranking: rankNames, evaluationFits: order.count, rows: rowsOfK))
      }
    }
    // In the order asked for.
    let position = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
    return out.sorted { position[$0.unit]! < position[$1.unit]! }
  }

  /// Streams every row to `onRow` in grid order (N, k, trees, depth) and picks the best. Fails
  /// unless `results` hold every unit of the grid exactly once, with one ranking per N.
  public static func merge(
    _ results: [UnitResult], inferencePoints: [Int], featureCount: Int, settings: Settings,
    onRow: (Row) throws -> Void
  ) throws -> Summary {
    let expected = units(inferencePoints: inferencePoints, featureCount: featureCount, settings: settings)
    var byUnit: [Unit: UnitResult] = [:]
    for r in results {
      guard byUnit.updateValue(r, forKey: r.unit) == nil else {
        throw GridError.units("N=\(r.unit.n) k=\(r.unit.k) twice")
      }
    }
    let missing = expected.filter { byUnit[$0] == nil }
    guard missing.isEmpty, byUnit.count == expected.count else {
      throw GridError.units(
        "missing \(missing.map { "N=\($0.n) k=\($0.k)" }), \(byUnit.count + missing.count - expected.count) unexpected")
    }
    var best: Row?
    var rankings: [Int: [String]] = [:]
    var fits = Set(expected.map(\.n)).count
    var points = 0
    for unit in expected {
      let r = byUnit[unit]!
      if let known = rankings[unit.n], known != r.ranking {
        throw GridError.units("two rankings of N=\(unit.n): the shards were computed from different inputs")
      }
      rankings[unit.n] = r.ranking
      fits += r.evaluationFits
      for row in r.rows {
        try onRow(row)
        points += 1
        if best.map({ row.isBetter(than: $0) }) ?? true { best = row }
      }
    }
    guard let winner = best else { throw GridError.empty }
    return Summary(best: winner, rankings: rankings, fits: fits, points: points)
  }

  /// The grid had no point to evaluate.
  public enum GridError: Error, CustomStringConvertible {
    case empty
    case noInput(Int)
    case units(String)
    public var description: String {
      switch self {
      case .empty: return "error: the grid has no point (check depths, tree counts and subset sizes)"
      case .noInput(let n): return "error: no samples for N=\(n)"
      case .units(let why): return "error: the grid's units do not match: \(why)"
      }
    }
  }
}
