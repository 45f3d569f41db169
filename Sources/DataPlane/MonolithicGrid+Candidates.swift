import DUNESupport
import Forest

/// One monolithic grid, several budgets: the rows of `MonolithicGrid.run` say which candidate the
/// grid prefers; a candidate's forest is rebuilt on its own (the very forest the grid scored) only
/// when a budget's selection reaches it.
extension MonolithicGrid {
  /// The feature ranking the grid uses at `point`: MDI of its largest forest on every feature.
  public static func ranking(
    _ point: Point, classes: [String], features: [String], settings: Settings, threads: Int = 1
  ) throws -> [Int] {
    let table = try TrainingData(point.train, classCount: classes.count)
    let trees = RandomForest.trainTrees(
      table,
      parameters: settings.parameters(trees: settings.treeCounts.max() ?? 1, leaves: settings.leafBudgets.max() ?? 41),
      threads: threads)
    return FeatureImportance.ranking(
      FeatureImportance.mdi(ForestModel(classes: classes, features: features, trees: trees)))
  }

  /// The forest of grid row `row` (at `point`, whose ranking is `ranking`) compiled as a one-switch
  /// chain with `scheme`: as `run` builds it, the first `row.trees` trees of the (N, k) point's
  /// largest forest cut to `row.leafBudget` leaves.
  public static func fit(
    _ row: Row, point: Point, ranking: [Int], classes: [String], features: [String], settings: Settings,
    scheme: EncodingScheme
  ) throws -> Selection {
    guard row.n == point.n, row.features >= 1, row.features <= ranking.count else {
      throw UsageError("monolithic candidate N = \(row.n), top-\(row.features) does not belong to this grid point")
    }
    let columns = Array(ranking.prefix(row.features))
    let table = try TrainingData(point.train, classCount: classes.count).selecting(features: columns)
    let grown = RandomForest.trainTrees(
      table,
      parameters: settings.parameters(trees: settings.treeCounts.max() ?? 1, leaves: settings.leafBudgets.max() ?? 41),
      threads: 1)
    let model = ForestModel(
      classes: classes, features: columns.map { features[$0] },
      trees: grown.prefix(row.trees).map { $0.truncated(toLeaves: row.leafBudget) })
    let compiled = try TableCompiler.compile(
      model, options: CompileOptions(name: "monolithic", inferencePoint: point.n, scheme: scheme))
    return Selection(row: row, model: model, compiled: compiled)
  }

  /// `rows` in the grid's order of preference: macro F1 (FL) descending, earlier rows first among
  /// equals — the first one that fits a budget is the one `run` selects for it.
  public static func preferenceOrder(_ rows: [Row]) -> [Row] {
    rows.enumerated().sorted { a, b in
      a.element.macroF1FL != b.element.macroF1FL ? a.element.macroF1FL > b.element.macroF1FL : a.offset < b.offset
    }.map(\.element)
  }
}
