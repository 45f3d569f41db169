import DUNESupport
import DataPlane
import Forest
import Foundation
import Literate
import P4
import Report
import Traffic

/// `forest.grid` (chapter 02): the unconstrained model analysis (`UnconstrainedGrid`, as
/// `dune forest grid`), the best model retrained for PCFI, and the monolithic model's resources.
///
/// ```yaml
/// samples: ${file.samples.samples.json}   # anchor: the sample CSVs are its siblings
/// useCase: ${params.use-case}
/// features: all          # optional feature set; default the use case's unconstrained set
/// profile: pinned        # pinned (the lists below, all features) | full (reference grid, nested top-k)
/// trees: [16, 32]
/// depth: [15, 23]
/// n: [2, 3, 4]
/// seed: 42
/// ```
/// Writes `importance_weights.csv`, `score_per_class.csv`, `best_model.json` and
/// `<uc>_models_<N>pkts.csv`. Values: `n`, `trees`, `depth`, `features`, `macroF1FL`, `weightedF1FL`,
/// `microF1FL`, `macroF1PL` (percent).
public struct ForestGridStep: StepKind {
  public struct Arguments: Decodable, Sendable {
    public var samples: String
    public var useCase: String
    public var features: String?
    public var profile: String?
    public var trees: [Int]?
    public var depth: [Int]?
    public var n: [Int]?
    public var seed: Int?
  }

  public init() {}
  public let name = "forest.grid"
  public var codeModules: [String] { ["DataPlane", "Forest", "P4", "Report", "Traffic"] }
  public var summary: String { "unconstrained random-forest grid, best model, per-class F1 and PCFI" }
  public var inputArguments: [String] { ["samples"] }
  public var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("n", .integer), OutputDeclaration("trees", .integer), OutputDeclaration("depth", .integer),
      OutputDeclaration("features", .list), OutputDeclaration("macroF1FL", .number, unit: "%"),
      OutputDeclaration("weightedF1FL", .number, unit: "%"), OutputDeclaration("microF1FL", .number, unit: "%"),
      OutputDeclaration("macroF1PL", .number, unit: "%"),
    ]
  }

  /// The pinned profile's neighbourhood (around the reference's known optima, depth 23–24, 17–32 trees).
  static let pinnedTrees = [16, 32]
  static let pinnedDepths = [15, 23]

  /// Entries of the smallest voting table for T trees and K labels: min(K^T plurality tuples,
  /// strict-majority tuples K · Σ_{j > T/2} C(T, j)(K − 1)^{T − j}), in floating point (it overflows Int).
  static func votingEntriesEstimate(trees t: Int, labels k: Int) -> Double {
    let plurality = pow(Double(k), Double(t))
    var sum = 0.0
    for j in (t / 2 + 1)...max(t / 2 + 1, t) {
      var c = 1.0
      for i in 0..<j { c = c * Double(t - i) / Double(i + 1) }
      sum += c * pow(Double(k - 1), Double(t - j))
    }
    return min(plurality, Double(k) * sum)
  }

  /// `1.8 × 10^29` for large counts, the integer below a million.
  static func magnitude(_ x: Double) -> String {
    guard x >= 1e6 else { return NumberFormat.fixed(x, 0) }
    let e = Int(log10(x).rounded(.down))
    return NumberFormat.fixed(x / pow(10, Double(e)), 1) + " × 10^" + String(e)
  }

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let uc = try DataFolder.useCase(a.useCase, in: context)
    let classes = uc.classes
    let features: [String]
    do {
      features = try FeatureCatalog.resolve(a.features ?? uc.featureSets.unconstrained)
    } catch let e as FeatureSetError {
      throw StepError(e.message, argument: ["features"])
    }
    let profile = a.profile ?? "pinned"
    let seed = UInt64(max(0, a.seed ?? 42))
    let settings: UnconstrainedGrid.Settings
    let ns: [Int]
    switch profile {
    case "pinned":
      ns = a.n ?? [2, 3, 4]
      settings = UnconstrainedGrid.Settings(
        depths: a.depth ?? Self.pinnedDepths, treeCounts: a.trees ?? Self.pinnedTrees, subsetSizes: [features.count],
        seed: seed)
    case "full":
      ns = a.n ?? uc.inferencePoints
      settings = UnconstrainedGrid.Settings(seed: seed)
    default:
      throw StepError("profile must be pinned or full, got '\(profile)'", argument: ["profile"])
    }
    for (key, list) in [("trees", settings.treeCounts), ("depth", settings.depths), ("n", ns)]
    where list.isEmpty || list.contains(where: { $0 < 1 }) {
      throw StepError("\(key) must be a non-empty list of positive integers", argument: [key])
    }

    let folder = (context.resolve(a.samples) as NSString).deletingLastPathComponent
    let loaded = try UnconstrainedGrid.loadInputs(
      SampleFiles(folder: folder, useCase: uc.name), inferencePoints: ns, classes: classes, features: features)
    var files = UnconstrainedGrid.ResultFiles(inferencePoints: ns, classes: classes)
    // Grid curve: best FL macro F1 over depths, per N and tree count, on the full feature set.
    var curve: [Int: [Int: Double]] = [:]
    let summary = try ForestGridShards.run(
      inputs: loaded.inputs,
      parameters: .init(
        useCase: uc.name, classes: classes, features: features, inferencePoints: ns, settings: settings),
      samplesFolder: folder, threads: settings.threads, execution: try StepExecution.of(context),
      onRow: { row in
        files.add(row)
        if row.features.count == features.count {
          let f = row.evaluation.fl.macroF1 * 100
          curve[row.n, default: [:]][row.treeCount] = max(curve[row.n]?[row.treeCount] ?? -1, f)
        }
      })
    let best = summary.best
    let realised = best.realisedDepth
    let model = try UnconstrainedGrid.bestModel(
      summary, train: loaded.prepared[best.n]!.train, classes: classes, features: features, settings: settings)
    let pcfi = FeatureImportance.pcfi(model)

    for v in ns { try context.write(files.text(n: v), to: GridOutputs.resultsFileName(useCase: uc.name, n: v)) }
    try context.write(
      GridOutputs.importanceWeightsCSV(pcfi, classes: classes, features: best.features), to: "importance_weights.csv")
    try context.write(GridOutputs.scorePerClassCSV(best.evaluation.fl, classes: classes), to: "score_per_class.csv")
    let fl = best.evaluation.fl
    let pl = best.evaluation.pl
    let bestJSON: Value = .object([
      "n": .int(best.n), "trees": .int(best.treeCount), "gridDepth": .int(best.maxDepth), "maxDepth": .int(realised),
      "features": StepValues.strings(best.features), "macroF1FL": .double(fl.macroF1 * 100),
      "weightedF1FL": .double(fl.weightedF1 * 100), "microF1FL": .double(fl.microF1 * 100),
      "macroF1PL": .double(pl.macroF1 * 100), "weightedF1PL": .double(pl.weightedF1 * 100),
      "microF1PL": .double(pl.microF1 * 100), "profile": .string(profile), "fits": .int(summary.fits),
      "points": .int(summary.points),
    ])
    // The retrained forest itself is not published: it is megabytes of node arrays that nothing
    // downstream reads and results/ is committed; `dune forest evaluate --save-model` writes it.
    try context.write(bestJSON.canonicalJSON + "\n", to: "best_model.json")

    // Per-class F1 (FL), in class-list order.
    var perClass: [String: Double] = [:]
    for (l, s) in zip(fl.labels, fl.scores) { perClass[classes[l]] = s.f1 * 100 }
    let evaluated = classes.filter { perClass[$0] != nil }
    var metrics: [Metric] = [
      Metric("macroF1FL", fl.macroF1 * 100, unit: "%"), Metric("weightedF1FL", fl.weightedF1 * 100, unit: "%"),
      Metric("microF1FL", fl.microF1 * 100, unit: "%"), Metric("macroF1PL", pl.macroF1 * 100, unit: "%"),
      Metric("gridPoints", Double(summary.points), unit: "points"),
      Metric("forestFits", Double(summary.fits), unit: "fits"),
    ]
    for c in evaluated { metrics.append(Metric("f1FL", perClass[c]!, unit: "%", labels: ["class": c])) }

    // Resources of the monolithic model: the reference TCAM share and the refined Tofino-1 estimate.
    let maxLeaves = model.trees.map(\.leafCount).max() ?? 0
    let share = referenceTCAMShare(trees: model.trees.count, maxLeaves: maxLeaves, features: best.features)
    var resourceRows: [[String]] = [
      ["trees × max leaves", "\(model.trees.count) × \(maxLeaves)"],
      ["features", String(best.features.count)],
      ["reference TCAM share (of \(ReferenceTCAMModel.capacity) blocks)", NumberFormat.fixed(share * 100, 1) + " %"],
    ]
    metrics.append(Metric("referenceTCAMShare", share * 100, unit: "%"))
    var notes: [String] = []
    let voteEntries = Self.votingEntriesEstimate(trees: model.trees.count, labels: classes.count)
    let voteBudget = CompileOptions().voteBudget
    if voteEntries > Double(voteBudget) {
      // The compiler would refuse (and its exact integer count can overflow): say why instead.
      resourceRows.append(["voting table entries (estimate)", Self.magnitude(voteEntries)])
      resourceRows.append(["fits one Tofino-1", "no"])
      notes.append(
        ("the monolithic model is not compiled: its voting table for \(model.trees.count) "
          + "trees × \(classes.count) classes ")
          + "needs about \(Self.magnitude(voteEntries)) entries, over the \(voteBudget)-entry budget")
      metrics.append(Metric("fitsOneSwitch", 0, unit: "bool"))
      resourceRows.append(["P4 program", "none: the voting table cannot be built"])
    } else {
      do {
        let compiled = try TableCompiler.compile(
          model, options: CompileOptions(name: "monolithic", inferencePoint: best.n))
        let e = ResourceModel.estimate(compiled)
        let entries = e.modelEntries
        resourceRows += [
          ["table entries", String(entries)],
          ["TCAM blocks (refined)", String(e.tcamBlocks)],
          ["SRAM blocks (refined)", String(e.sramBlocks)],
          ["pipeline stages", String(e.stages)],
          ["fits one Tofino-1", e.fit.fits ? "yes" : "no"],
        ]
        if case .exceeds(let v) = e.fit {
          notes.append("monolithic model exceeds one switch: " + v.map(\.description).joined(separator: "; "))
        }
        metrics.append(Metric("tableEntries", Double(entries), unit: "entries"))
        metrics.append(Metric("tcamBlocks", Double(e.tcamBlocks), unit: "blocks"))
        metrics.append(Metric("stages", Double(e.stages), unit: "stages"))
        metrics.append(Metric("fitsOneSwitch", e.fit.fits ? 1 : 0, unit: "bool"))
        // The big model as one switch's program, per target, or the reason there is none.
        let programs = try SwitchPrograms.write(
          switchName: "unconstrained", model: compiled, in: context, reasonLimit: 400)
        for (target, folder) in zip(P4Target.allCases, programs) {
          resourceRows.append(["P4 program (\(target.rawValue))", folder])
        }
      } catch {
        notes.append("the refined resource estimate is unavailable: \(error)")
      }
    }

    var figures: [StepFigure] = []
    figures.append(
      StepFigures.make(
        .bar(
          BarChart(
            labels: ChartLabels(
              title: "Per-class F1 of the best unconstrained model (FL)",
              description:
                "Flow-level F1 in percent per class; N = \(best.n), \(best.treeCount) trees, depth \(realised)",
              xLabel: "class", yLabel: "F1 (%)"),
            categories: evaluated, series: [BarSeries("F1 FL", evaluated.map { perClass[$0]! })],
            orientation: .horizontal, valueDecimals: 1, valueRange: 0...100)),
        id: "fig-f1-per-class",
        caption: "Flow-level F1 per class. Short bars are the classes the big model confuses; the partitioning "
          + "step groups classes of similar F1.", shows: ["f1FL"], in: context))
    figures.append(
      StepFigures.make(
        .heatmap(
          Heatmap(
            labels: ChartLabels(
              title: "Per-class feature importance (PCFI)",
              description: "Rows: classes; columns: the best model's features in descending global importance",
              xLabel: "feature", yLabel: "class"),
            rowLabels: classes, columnLabels: best.features, values: pcfi.matrix.map { $0.map { Optional($0) } },
            decimals: 2, legendLabel: "importance")),
        id: "fig-pcfi-heatmap",
        caption: "PCFI: each row is the share of one class's recognition owed to each feature. Rows that look "
          + "alike are classes a small shared model can serve.", in: context))
    let series = ns.compactMap { v -> PointSeries? in
      guard let c = curve[v], !c.isEmpty else { return nil }
      return PointSeries("N = \(v)", c.keys.sorted().map { ChartPoint(Double($0), c[$0]!) })
    }
    if !series.isEmpty {
      figures.append(
        StepFigures.make(
          .line(
            LineChart(
              labels: ChartLabels(
                title: "Grid: FL macro F1 vs number of trees",
                description: "Best over the depths tried, all candidate features, one line per N",
                xLabel: "trees", yLabel: "macro F1 FL (%)"),
              series: series, xDecimals: 0, yDecimals: 1)),
          id: "grid-curve", caption: "Macro F1 (flow level) against forest size, best depth per point.", in: context))
    }
    for c in pcfi.zeroRowClasses { notes.append("class '\(c)' is the majority of no leaf: its PCFI row is zero") }
    return StepOutput(
      values: [
        "n": .int(best.n), "trees": .int(best.treeCount), "depth": .int(realised),
        "features": StepValues.strings(best.features), "macroF1FL": .double(fl.macroF1 * 100),
        "weightedF1FL": .double(fl.weightedF1 * 100), "microF1FL": .double(fl.microF1 * 100),
        "macroF1PL": .double(pl.macroF1 * 100),
      ],
      metrics: metrics, figures: figures,
      tables: [
        StepTable(
          id: "best", caption: "Best model (highest FL macro F1; ties: smaller N, fewer trees, smaller depth)",
          columns: ["N", "trees", "depth", "features", "macro F1 FL", "weighted F1 FL", "micro F1 FL", "macro F1 PL"],
          rows: [
            [
              String(best.n), String(best.treeCount), String(realised), String(best.features.count),
              NumberFormat.fixed(fl.macroF1 * 100, 2), NumberFormat.fixed(fl.weightedF1 * 100, 2),
              NumberFormat.fixed(fl.microF1 * 100, 2), NumberFormat.fixed(pl.macroF1 * 100, 2),
            ]
          ]),
        StepTable(
          id: "resources", caption: "The monolithic unconstrained model on one Tofino-1 switch",
          columns: ["quantity", "value"], rows: resourceRows),
      ],
      notes: notes)
  }
}
