import DUNESupport
import DataPlane
import Forest
import Foundation
import Literate
import Partition
import Report
import Traffic

/// `clusters` (chapter 04): one resource-bounded sub-model per SPP block, with `Other`, chosen on
/// the constrained grid by the TCAM-aware success score; proxy F1, FP matrix and the chained F1 in
/// the default cluster order. Mirrors `dune clusters` (`Sources/dune/ClustersCommand.swift`).
struct ClustersStep: StepKind {
  struct Arguments: Decodable, Sendable {
    /// The `samples.json` anchor; the sample CSVs are its siblings.
    var samples: String
    /// `partition.csv` (`Cluster,Class List,Feature List`).
    var partition: String
    var useCase: String
    /// `pinned` (small grid, the default run's budget) or `full` (the reference grid).
    var profile: String?
    /// Candidates = each block's SPP features instead of the use case's cluster-analysis set.
    var restrictToSPPFeatures: Bool?
    var trees: [Int]?
    var leaves: [Int]?
    var n: [Int]?
    /// Nested top-k subset sizes (default: pinned [1, 2, 4, 6, 8, 10], full 1…F).
    var subsets: [Int]?
    /// Feature set (name or comma list) overriding the use case's cluster-analysis set.
    var features: String?
    var seed: Int?
    /// Quantise the ns time features to bits [31:timeShift] before training (default 16; 0 = raw).
    var timeShift: Int?
  }

  /// The pinned grid: keeps the whole default run under two minutes (measured, see chapter 04).
  static let pinnedTrees = [1, 3]
  static let pinnedLeaves = [41, 85, 129]
  static let pinnedSubsets = [1, 2, 4, 6, 8, 10]
  static let defaultPoints = [2, 3, 4]

  /// The constrained grid of a profile (`pinned` or `full`) with optional overrides.
  static func gridSettings(pinned: Bool, trees: [Int]?, leaves: [Int]?, subsets: [Int]?, seed: Int?) throws
    -> ConstrainedGrid.Settings
  {
    let grid = ConstrainedGrid.Settings(
      treeCounts: trees ?? (pinned ? Self.pinnedTrees : ConstrainedGrid.Settings.referenceTreeCounts),
      leafBudgets: leaves ?? (pinned ? Self.pinnedLeaves : ConstrainedGrid.Settings.referenceLeafBudgets),
      subsetSizes: subsets ?? (pinned ? Self.pinnedSubsets : nil),
      seed: UInt64(max(0, seed ?? 42)))
    try ChainStepSupport.located("trees") { try grid.validate() }
    return grid
  }

  let name = "clusters"
  var codeModules: [String] { ["DataPlane", "Forest", "P4", "Partition", "Report", "Traffic"] }
  let summary = "Constrained grid per SPP block (sub-models with Other), TCAM-aware selection, proxy vs chained F1."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("clusters", .integer), OutputDeclaration("proxyMacroF1", .number, unit: "fraction"),
      OutputDeclaration("proxyWeightedF1", .number, unit: "fraction"),
      OutputDeclaration("tcamTotal", .number, unit: "fraction"),
      OutputDeclaration("chainedMacroF1FL", .number, unit: "fraction"),
      OutputDeclaration("chainedWeightedF1FL", .number, unit: "fraction"),
      OutputDeclaration("classes", .list), OutputDeclaration("n", .list),
    ]
  }
  var inputArguments: [String] { ["samples", "partition"] }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let u = try ChainStepSupport.useCase(a.useCase, in: context)
    let profile = a.profile ?? "pinned"
    guard profile == "pinned" || profile == "full" else {
      throw StepError("profile must be 'pinned' or 'full', got '\(profile)'", argument: ["profile"])
    }
    let pinned = profile == "pinned"
    let clusters = try ClusterPartitionFile.load(path: context.resolve(a.partition))
    let clusterFeatures: [String]
    do {
      clusterFeatures = try FeatureCatalog.resolve(a.features ?? u.featureSets.cluster)
    } catch {
      throw StepError("\(error)", argument: ["features"])
    }
    let grid = try Self.gridSettings(pinned: pinned, trees: a.trees, leaves: a.leaves, subsets: a.subsets, seed: a.seed)
    let points = a.n ?? Self.defaultPoints
    guard !points.isEmpty, points.allSatisfy({ $0 >= 1 }) else {
      throw StepError("n values must be ≥ 1", argument: ["n"])
    }
    let shift = a.timeShift ?? 16
    guard (0...31).contains(shift) else { throw StepError("timeShift must be in 0…31", argument: ["timeShift"]) }
    // Only sub-models that can be placed on one Tofino 1 may be selected (issue 12).
    let settings = ClusterAnalysis.Settings(
      grid: grid, inferencePoints: points, restrictToSPPFeatures: a.restrictToSPPFeatures ?? false,
      clusterFeatures: clusterFeatures, placement: Self.placement(shift: shift))
    var columns = clusterFeatures
    for c in clusters { for f in c.sppFeatures where !columns.contains(f) { columns.append(f) } }
    let raw = ChainStepSupport.folder(ofAnchor: a.samples, in: context)
    let data = try ChainStepSupport.located("samples") {
      try ClusterAnalysisData.load(
        folder: raw, useCase: u.name, inferencePoints: points, classes: u.classes, features: columns,
        adjust: QuantisedSamples.quantiser(shift: shift))
    }
    let execution = try StepExecution.of(context)
    // Slurm shards read sample files: they get a quantised copy. A local run quantised in memory.
    var folder = raw
    if case .slurm = execution.mode {
      folder = try ChainStepSupport.located("samples") {
        try QuantisedSamples.prepare(folder: raw, useCase: u.name, shift: shift)
      }
    }
    defer { if folder != raw { QuantisedSamples.cleanup(folder, shift: shift) } }
    let result = try ChainStepSupport.located("partition") {
      try ClusterGridShards.run(
        data: data,
        parameters: .init(
          useCase: u.name, classes: u.classes, columns: columns, clusters: clusters, settings: settings),
        samplesFolder: folder, threads: grid.threads, execution: execution, placement: settings.placement)
    }
    let defaultOrder = Array(0..<clusters.count)
    let chained = try ClusterAnalysis.chained(result, data: data, order: defaultOrder)
    try ClusterAnalysisOutputs.write(
      result, useCase: u.name, classes: u.classes, chained: chained, settings: settings,
      to: context.outputDirectory.path)

    // Every grid point, for the experiments of chapter 06 that re-select under other budgets.
    try context.write(
      ClusterCandidatesFile.csv(
        result.clusters.map { .init(classes: $0.definition.classes, candidates: $0.rows.map(ClusterCandidate.init)) }),
      to: "candidates.csv")
    var proxyPerClass: [String: Double] = [:]
    for e in result.proxy.entries { proxyPerClass[e.className] = e.f1 }
    let anchor = ClustersAnchor(
      useCase: u.name, timeShift: shift, classes: u.classes,
      subModels: result.clusters.map { c in
        ClustersAnchor.SubModel(
          cluster: c.definition.id, classes: c.definition.classes, model: "cluster_\(c.definition.id).json",
          n: c.selected.n,
          features: c.selected.features, trees: c.selected.treeCount, leafBudget: c.selected.leafBudget,
          macroF1FL: c.selected.macroF1, tcam: c.selected.tcam)
      },
      proxyMacroF1: result.proxy.macro, proxyWeightedF1: result.proxy.weighted, proxyPerClass: proxyPerClass)
    try context.write(try DeterministicJSON.text(anchor), to: "clusters.json")
    let programs = try writeSubModelPrograms(result, shift: shift, in: context)

    return StepOutput(
      values: [
        "clusters": .int(clusters.count), "proxyMacroF1": .double(result.proxy.macro),
        "proxyWeightedF1": .double(result.proxy.weighted), "tcamTotal": .double(result.totalTCAM),
        "chainedMacroF1FL": .double(chained.strict.fl.macroF1),
        "chainedWeightedF1FL": .double(chained.strict.fl.weightedF1),
        "classes": .array(clusters.map { .array($0.classes.map(Value.string)) }),
        "n": .array(result.clusters.map { .int($0.selected.n) }),
      ],
      metrics: metrics(result, chained: chained),
      figures: figures(result, context: context),
      tables: tables(result, chained: chained, classes: u.classes) + [programs],
      notes: notes(result, chained: chained, settings: settings, profile: profile))
  }

  func metrics(_ r: ClusterAnalysis.Result, chained: ChainedEvaluation) -> [Metric] {
    var m: [Metric] = [
      Metric("proxyMacroF1", r.proxy.macro * 100, unit: "%"),
      Metric("proxyWeightedF1", r.proxy.weighted * 100, unit: "%"),
      Metric("chainedMacroF1FL", chained.strict.fl.macroF1 * 100, unit: "%", labels: ["order": "default"]),
      Metric("chainedWeightedF1FL", chained.strict.fl.weightedF1 * 100, unit: "%", labels: ["order": "default"]),
      Metric("tcamTotal", r.totalTCAM * 100, unit: "%"),
    ]
    for c in r.clusters {
      let l = ["cluster": String(c.definition.id)]
      m.append(Metric("clusterMacroF1FL", c.selected.macroF1 * 100, unit: "%", labels: l))
      m.append(Metric("clusterTCAM", c.selected.tcam * 100, unit: "%", labels: l))
    }
    return m
  }

  /// TCAM share (%) of a selection split into code (trees × leaves) and feature tables (§6.4).
  static func tcamSplit(_ s: ConstrainedGrid.Row) -> (code: Double, features: Double) {
    let shares = ReferenceTCAMModel.shares(trees: s.treeCount, maxLeaves: s.leaves.max() ?? 0, features: s.features)
    return (shares.code * 100, shares.features * 100)
  }

  func figures(_ r: ClusterAnalysis.Result, context: StepContext) -> [StepFigure] {
    let cats = r.clusters.map { "C\($0.definition.id)" }
    let f1 = BarChart(
      labels: ChartLabels(title: "Sub-model macro F1 per cluster", xLabel: "cluster", yLabel: "macro F1 (FL, %)"),
      categories: cats,
      series: [
        BarSeries("with Other", r.clusters.map { $0.selected.macroF1 * 100 }),
        BarSeries("without Other", r.clusters.map { $0.selected.macroF1WithoutOther * 100 }),
      ], valueDecimals: 1, valueRange: 0...100)
    let splits = r.clusters.map { Self.tcamSplit($0.selected) }
    let tcam = BarChart(
      labels: ChartLabels(
        title: "TCAM share per sub-model", xLabel: "cluster",
        yLabel: "TCAM (% of \(ReferenceTCAMModel.capacity) blocks)"),
      categories: cats,
      series: [BarSeries("code tables", splits.map(\.code)), BarSeries("feature tables", splits.map(\.features))],
      mode: .stacked, valueDecimals: 1)
    return [
      ChainStepSupport.figure(
        "fig-cluster-f1",
        caption: ("Macro F1 (flow level) of each selected sub-model, with and without its Other class: "
          + "the gap shows how much Other inflates the score."),
        .bar(f1), shows: ["clusterMacroF1FL"], context: context),
      ChainStepSupport.figure(
        "fig-cluster-tcam",
        caption: ("TCAM share of each selected sub-model (reference model): code tables grow with "
          + "trees × leaves, feature tables with the key widths."),
        .bar(tcam), shows: ["clusterTCAM"], context: context),
    ]
  }

  func tables(_ r: ClusterAnalysis.Result, chained: ChainedEvaluation, classes: [String]) -> [StepTable] {
    func p(_ x: Double) -> String { ChainStepSupport.pct(x) }
    let selection = StepTable(
      id: "selection", caption: "Selected sub-model per cluster (F1 and TCAM in %).",
      columns: [
        "cluster", "classes", "N", "trees", "leaf budget", "leaves", "features", "macro F1", "without Other", "TCAM",
        "score",
      ],
      rows: r.clusters.map { c in
        let s = c.selected
        return [
          String(c.definition.id), c.definition.classes.joined(separator: ", "), String(s.n), String(s.treeCount),
          String(s.leafBudget), String(s.leaves.max() ?? 0), String(s.features.count), p(s.macroF1),
          p(s.macroF1WithoutOther),
          p(s.tcam), NumberFormat.fixed(s.successScore, 4),
        ]
      })
    var chainedF1: [String: Double] = [:]
    for (l, s) in zip(chained.strict.fl.labels, chained.strict.fl.scores) where l < classes.count {
      chainedF1[classes[l]] = s.f1
    }
    var rows = r.proxy.entries.map { e in
      [e.className, String(e.cluster), String(Int(e.support)), p(e.f1), chainedF1[e.className].map(p) ?? "–"]
    }
    rows.append(["macro", "", "", p(r.proxy.macro), p(chained.strict.fl.macroF1)])
    rows.append(["weighted", "", "", p(r.proxy.weighted), p(chained.strict.fl.weightedF1)])
    let perClass = StepTable(
      id: "proxy-vs-chained",
      caption: ("Per-class F1 (flow level, %): the proxy (each class scored by its own sub-model "
        + "alone) next to the chained F1 with the sub-models in cluster order 0, 1, … (unknown "
        + "= error)."),
      columns: ["class", "cluster", "support", "proxy F1", "chained F1"], rows: rows)
    return [selection, perClass] + (r.clusters.allSatisfy(\.rejected.isEmpty) ? [] : [Self.rejectedTable(r)])
  }

  /// The candidates ranked above a cluster's selection that do not fit one Tofino 1, and why.
  static func rejectedTable(_ r: ClusterAnalysis.Result) -> StepTable {
    func p(_ x: Double) -> String { ChainStepSupport.pct(x) }
    return StepTable(
      id: "not-placeable",
      caption: ("Candidates that score better than their cluster's selection but cannot be placed on "
        + "one Tofino 1 (resource model: stages, TCAM and SRAM blocks, widest ternary key), best "
        + "first; F1 and TCAM in %."),
      columns: [
        "cluster", "N", "trees", "leaf budget", "leaves", "features", "macro F1", "TCAM", "score", "why not",
      ],
      rows: r.clusters.flatMap { c in
        c.rejected.map { x in
          let s = x.row
          return [
            String(c.definition.id), String(s.n), String(s.treeCount), String(s.leafBudget),
            String(s.leaves.max() ?? 0), String(s.features.count), p(s.macroF1), p(s.tcam),
            NumberFormat.fixed(s.successScore, 4), x.reason,
          ]
        }
      })
  }

  /// One line on the placement check: how many candidates it turned down, in which clusters.
  static func placementNote(_ r: ClusterAnalysis.Result) -> String {
    let hit = r.clusters.filter { !$0.rejected.isEmpty }
    guard !hit.isEmpty else {
      return
        ("placement: every cluster's best-scoring candidate fits one Tofino 1 (resource model); "
        + "no candidate was rejected")
    }
    let count = hit.reduce(0) { $0 + $1.rejected.count }
    let list = hit.map { "\($0.definition.id) (\($0.rejected.count))" }.joined(separator: ", ")
    return
      ("placement: \(count) better-scoring candidate\(count == 1 ? "" : "s") cannot be placed on one "
      + "Tofino 1 and \(count == 1 ? "was" : "were") skipped, in cluster\(hit.count == 1 ? "" : "s") \(list); "
      + "see table not-placeable")
  }

  func notes(
    _ r: ClusterAnalysis.Result, chained: ChainedEvaluation, settings: ClusterAnalysis.Settings, profile: String
  ) -> [String] {
    let points = r.clusters.reduce(0) { $0 + $1.rows.count }
    return [
      ("grid (\(profile)): trees \(settings.grid.treeCounts), leaf budgets "
        + "\(settings.grid.leafBudgets), top-k subsets "
        + "\(settings.grid.subsetSizes.map { "\($0)" } ?? "1…F"), N "
        + "\(settings.inferencePoints); \(points) grid points over \(r.clusters.count) clusters"),
      ("proxy macro F1 \(ChainStepSupport.pct(r.proxy.macro)) %, chained macro F1 (cluster "
        + "order) \(ChainStepSupport.pct(chained.strict.fl.macroF1)) % (unknown excluded: "
        + "\(ChainStepSupport.pct(chained.excluded.fl.macroF1)) %); total TCAM "
        + "\(ChainStepSupport.pct(r.totalTCAM)) %"),
      "refits agree with the grid: \(r.clusters.allSatisfy(\.refitAgrees))",
      Self.placementNote(r),
    ]
  }
}
