import DUNESupport
import Forest

/// The grid behind the monolithic baseline (`data-plane.md` §10.4): one forest on all classes per
/// (N, top-k features, trees, leaf budget), the best test-sample macro F1 (flow level) among the
/// forests that fit one switch's budget.
///
/// Features are ranked once per N by the MDI of the largest forest of the grid on every feature;
/// the nested top-k prefixes of that ranking are the subsets tried. `MonolithicBaseline.run` then
/// replays the selected forest through the emulator.
public enum MonolithicGrid {
  /// What to sweep.
  public struct Settings: Sendable, Equatable {
    public var treeCounts: [Int]
    public var leafBudgets: [Int]
    /// Top-k subset sizes; sizes outside 1…F are skipped.
    public var subsetSizes: [Int]
    public var seed: UInt64

    public static let defaultTreeCounts = [1, 3]
    public static let defaultLeafBudgets = [41, 85, 129, 173, 217, 261, 305, 349, 393, 437, 500]
    public static let defaultSubsetSizes = [1, 2, 4, 6, 8, 10]

    public init(
      treeCounts: [Int] = defaultTreeCounts, leafBudgets: [Int] = defaultLeafBudgets,
      subsetSizes: [Int] = defaultSubsetSizes, seed: UInt64 = 42
    ) {
      self.treeCounts = treeCounts
      self.leafBudgets = leafBudgets
      self.subsetSizes = subsetSizes
      self.seed = seed
    }

    func parameters(trees: Int, leaves: Int) -> ForestParameters {
      ForestParameters(
        treeCount: trees, growth: .bestFirst(maxLeafNodes: leaves, maxDepth: nil), criterion: .gini, maxFeatures: .sqrt,
        seed: seed)
    }
  }

  /// The prepared samples of one inference point (labels are use-case class indices), as the
  /// unconstrained grid takes them.
  public typealias Point = UnconstrainedGrid.Input

  /// One candidate: grid point, macro F1 (FL) on the test samples, resources.
  public struct Row: Sendable, Equatable {
    public var n: Int
    public var features: Int
    public var trees: Int
    public var leafBudget: Int
    public var macroF1FL: Double
    public var tcamBlocks: Int
    public var fits: Bool

    public init(n: Int, features: Int, trees: Int, leafBudget: Int, macroF1FL: Double, tcamBlocks: Int, fits: Bool) {
      self.n = n
      self.features = features
      self.trees = trees
      self.leafBudget = leafBudget
      self.macroF1FL = macroF1FL
      self.tcamBlocks = tcamBlocks
      self.fits = fits
    }
  }

  /// The best candidate that fits, with its forest and tables.
  public struct Selection: Sendable {
    public var row: Row
    public var model: ForestModel
    public var compiled: CompiledSubModel
  }

  /// Every candidate in grid order (N, k, trees, leaf budget), and the selection.
  public struct Result: Sendable {
    public var rows: [Row]
    public var selected: Selection?
  }

  /// Trains the grid on `points` (columns in `features` order) and keeps the best forest that fits
  /// `budget`; ties keep the earlier candidate. Tables are compiled with `scheme`.
  ///
  /// One fit per (N, k) serves every (trees, leaf budget): the forest of T trees with budget b is
  /// the first T trees of the largest forest cut to b leaves (`DecisionTree.truncated(toLeaves:)`,
  /// exact for best-first growth), and `LeafBudgetForestEvaluator` scores all of them in one pass.
  /// The (N, k) fits run on every core; `runNaive` is the plain loop this reproduces.
  public static func run(
    points: [Point], classes: [String], features: [String], settings: Settings = Settings(),
    scheme: EncodingScheme, budget: SwitchBudget, threads: Int = defaultThreadCount
  ) throws -> Result {
    let sizes = Array(Set(settings.subsetSizes.filter { $0 >= 1 && $0 <= features.count })).sorted()
    let maxTrees = settings.treeCounts.max() ?? 1
    let maxLeaves = settings.leafBudgets.max() ?? 41
    let progress = ProgressReporting.counter(
      "monolithic grid", total: points.count * sizes.count * settings.treeCounts.count * settings.leafBudgets.count,
      unit: "grid points")
    defer { progress.finish() }
    // One ranked table and one ranking per N: MDI of the largest grid forest on every feature.
    let tables = try parallelMap(count: points.count, threads: threads) { i in
      try TrainingData(points[i].train, classCount: classes.count)
    }
    // Every tree of every N's ranking forest is its own job (tree t of a fit is the same alone:
    // `RandomForest.trainTrees(trees:)`), so the cores stay busy however few trees a forest has.
    let rankingParameters = settings.parameters(trees: maxTrees, leaves: maxLeaves)
    let rankingTrees = parallelMap(count: points.count * maxTrees, threads: threads) { j in
      RandomForest.trainTrees(
        tables[j / maxTrees], parameters: rankingParameters, trees: (j % maxTrees)..<(j % maxTrees + 1), threads: 1)[0]
    }
    let rankings = (0..<points.count).map { i -> [Int] in
      let trees = Array(rankingTrees[(i * maxTrees)..<((i + 1) * maxTrees)])
      return FeatureImportance.ranking(
        FeatureImportance.mdi(ForestModel(classes: classes, features: features, trees: trees)))
    }
    let jobs = points.indices.flatMap { p in sizes.map { (point: p, k: $0) } }
    // Per (N, k): the candidates in grid order and the best that fits (earliest among equals).
    let results = try parallelMap(count: jobs.count, threads: threads) { j -> (rows: [Row], best: Selection?) in
      let (p, k) = jobs[j]
      let point = points[p]
      let columns = Array(rankings[p].prefix(k))
      let names = columns.map { features[$0] }
      let grown = RandomForest.trainTrees(
        try tables[p].selecting(features: columns), parameters: settings.parameters(trees: maxTrees, leaves: maxLeaves),
        threads: 1)
      let evaluated = LeafBudgetForestEvaluator(trees: grown, classCount: classes.count).evaluate(
        test: point.test.selecting(features: columns), treeCounts: settings.treeCounts,
        leafBudgets: settings.leafBudgets, threads: 1)
      var f1: [String: Double] = [:]
      for e in evaluated { f1["\(e.treeCount)/\(e.leafBudget)"] = e.evaluation.fl.macroF1 }
      var rows: [Row] = []
      var best: Selection?
      for trees in settings.treeCounts {
        for leaves in settings.leafBudgets {
          let model = ForestModel(
            classes: classes, features: names, trees: grown.prefix(trees).map { $0.truncated(toLeaves: leaves) })
          guard let score = f1["\(trees)/\(max(2, leaves))"] else {
            throw UsageError("monolithic grid: no evaluation of \(trees) trees with \(leaves) leaves")
          }
          let compiled = try TableCompiler.compile(
            model, options: CompileOptions(name: "monolithic", inferencePoint: point.n, scheme: scheme))
          let est = ResourceModel.estimate(compiled, budget: budget)
          let row = Row(
            n: point.n, features: k, trees: trees, leafBudget: leaves, macroF1FL: score, tcamBlocks: est.tcamBlocks,
            fits: est.fit.fits)
          rows.append(row)
          progress.advance()
          if row.fits, best == nil || score > best!.row.macroF1FL {
            best = Selection(row: row, model: model, compiled: compiled)
          }
        }
      }
      return (rows, best)
    }
    var best: Selection?
    for r in results {
      if let b = r.best, best == nil || b.row.macroF1FL > best!.row.macroF1FL { best = b }
    }
    return Result(rows: results.flatMap(\.rows), selected: best)
  }

  /// The plain grid: one fit per candidate (the reference loop `run` must reproduce; tests only).
  public static func runNaive(
    points: [Point], classes: [String], features: [String], settings: Settings = Settings(),
    scheme: EncodingScheme, budget: SwitchBudget
  ) throws -> Result {
    var rows: [Row] = []
    var best: Selection?
    let sizes = Array(Set(settings.subsetSizes.filter { $0 >= 1 && $0 <= features.count })).sorted()
    for point in points {
      let full = try RandomForest.train(
        point.train, classes: classes, features: features,
        parameters: settings.parameters(
          trees: settings.treeCounts.max() ?? 1, leaves: settings.leafBudgets.max() ?? 41))
      let ranking = FeatureImportance.ranking(FeatureImportance.mdi(full))
      for k in sizes {
        let columns = Array(ranking.prefix(k))
        let names = columns.map { features[$0] }
        let train = point.train.selecting(features: columns)
        let test = point.test.selecting(features: columns)
        for trees in settings.treeCounts {
          for leaves in settings.leafBudgets {
            let model = try RandomForest.train(
              train, classes: classes, features: names, parameters: settings.parameters(trees: trees, leaves: leaves))
            let predictions = model.predictSoft(test.matrix)
            let f1 = FlowPacketEvaluation(test: test, predictions: predictions, classCount: classes.count).fl.macroF1
            let compiled = try TableCompiler.compile(
              model, options: CompileOptions(name: "monolithic", inferencePoint: point.n, scheme: scheme))
            let est = ResourceModel.estimate(compiled, budget: budget)
            let row = Row(
              n: point.n, features: k, trees: trees, leafBudget: leaves, macroF1FL: f1, tcamBlocks: est.tcamBlocks,
              fits: est.fit.fits)
            rows.append(row)
            if row.fits, best == nil || f1 > best!.row.macroF1FL {
              best = Selection(row: row, model: model, compiled: compiled)
            }
          }
        }
      }
    }
    return Result(rows: rows, selected: best)
  }

  /// `monolithic_grid.csv`: one line per candidate.
  public static func csv(_ rows: [Row]) -> String {
    var w = CSVWriter()
    w.row(["n", "features", "trees", "leaf_budget", "macro_f1_fl", "tcam_blocks", "fits"])
    for r in rows {
      w.row([
        String(r.n), String(r.features), String(r.trees), String(r.leafBudget), NumberFormat.fixed(r.macroF1FL, 6),
        String(r.tcamBlocks), r.fits ? "1" : "0",
      ])
    }
    return w.text
  }
}
