import DUNESupport
import DataPlane
import Forest
import Foundation
import Literate
import Partition
import Report

/// `sequence` (chapter 05): the order of the sub-models along the switch chain by the exact subset
/// DP of `dune sequence` (spec §7), with runner-ups; given the `clusters` anchor and the samples it
/// also scores the chain of the selected sub-models in that order (chained F1 next to the proxy).
struct SequenceStep: StepKind {
  struct Arguments: Decodable, Sendable {
    /// Cluster-level FP matrix (`cm_matrix_cluster.csv`, percent).
    var fp: String
    /// Per-sub-model macro F1 (`cluster_f1.csv`, percent).
    var f1: String
    var runnerUps: Int?
    /// Optional `clusters.json` anchor and `samples.json` anchor: score the chain in the chosen order.
    var clusters: String?
    var samples: String?
    /// Optional: the figure id becomes `fig-fp-matrix-<suffix>`, so one chapter can sequence twice.
    var figureSuffix: String?
  }

  static let scoredOutputs = [
    "chainedMacroF1FL", "chainedWeightedF1FL", "chainedMicroF1FL", "chainedMacroF1PL",
    "chainedMacroF1FLExcludingUnknown", "proxyMacroF1",
  ]

  let name = "sequence"
  var codeModules: [String] { ["DataPlane", "Forest", "Partition", "Report", "Traffic"] }
  let summary = "Exact DP ordering of the sub-models along the chain; chained F1 of that order next to the proxy."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("order", .list), OutputDeclaration("objective", .number, unit: "gain"),
      OutputDeclaration("runnerUps", .list),
      // Scored only when `clusters` and `samples` are given (null otherwise), hence `any`.
      OutputDeclaration("chainedMacroF1FL", .any, unit: "fraction"),
      OutputDeclaration("chainedWeightedF1FL", .any, unit: "fraction"),
      OutputDeclaration("chainedMicroF1FL", .any, unit: "fraction"),
      OutputDeclaration("chainedMacroF1PL", .any, unit: "fraction"),
      OutputDeclaration("chainedMacroF1FLExcludingUnknown", .any, unit: "fraction"),
      OutputDeclaration("proxyMacroF1", .any, unit: "fraction"),
    ]
  }
  var inputArguments: [String] { ["fp", "f1", "clusters", "samples"] }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let runnerUps = a.runnerUps ?? 3
    guard (0...254).contains(runnerUps) else { throw StepError("runnerUps must be in 0…254", argument: ["runnerUps"]) }
    let problem = try ChainStepSupport.located("fp") {
      try SequencingProblem.load(falsePositivePath: context.resolve(a.fp), f1Path: context.resolve(a.f1))
    }
    let result = SequencingSolver.solve(problem, runnerUps: runnerUps)
    guard case .object(var doc) = result.json(problem: problem, includeAllOptimal: false) else {
      throw StepError("sequencing JSON is not an object")
    }
    var values: [String: Value] = [
      "order": .array(result.order.map(Value.int)), "objective": .double(result.objective),
      "runnerUps": .array(
        result.runnerUps.map { .object(["order": .array($0.order.map(Value.int)), "objective": .double($0.cost)]) }),
    ]
    for k in Self.scoredOutputs { values[k] = .null }
    var metrics = [Metric("objective", result.objective, unit: "gain")]
    var tables = [
      StepTable(
        id: "orders", caption: "The optimal order and the runner-ups (cost of the §7.2 objective, lower is better).",
        columns: ["rank", "order", "objective"],
        rows: [["1", "\(result.order)", NumberFormat.fixed(result.objective, 5)]]
          + result.runnerUps.enumerated().map {
            ["\($0.offset + 2)", "\($0.element.order)", NumberFormat.fixed($0.element.cost, 5)]
          })
    ]
    var notes = ["optimal order \(result.order), objective \(NumberFormat.fixed(result.objective, 5))"]

    switch (a.clusters, a.samples) {
    case (let c?, let s?):
      let anchor = try ChainStepSupport.located("clusters") { try ClustersAnchor.load(path: context.resolve(c)) }
      guard anchor.subModels.count == problem.count else {
        throw StepError(
          "clusters.json has \(anchor.subModels.count) sub-models, the FP matrix \(problem.count)",
          argument: ["clusters"])
      }
      let chained = try Self.chained(
        anchor: anchor, anchorPath: context.resolve(c), samples: s, order: result.order, context: context)
      let e = chained
      doc["chained"] = ClusterAnalysisOutputs.chainedJSON(e, classes: anchor.classes)
      values["chainedMacroF1FL"] = .double(e.strict.fl.macroF1)
      values["chainedWeightedF1FL"] = .double(e.strict.fl.weightedF1)
      values["chainedMicroF1FL"] = .double(e.strict.fl.microF1)
      values["chainedMacroF1PL"] = .double(e.strict.pl.macroF1)
      values["chainedMacroF1FLExcludingUnknown"] = .double(e.excluded.fl.macroF1)
      values["proxyMacroF1"] = .double(anchor.proxyMacroF1)
      let l = ["order": "optimal"]
      metrics += [
        Metric("chainedMacroF1FL", e.strict.fl.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedWeightedF1FL", e.strict.fl.weightedF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1FLExcludingUnknown", e.excluded.fl.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1PL", e.strict.pl.macroF1 * 100, unit: "%", labels: l),
        Metric("proxyMacroF1", anchor.proxyMacroF1 * 100, unit: "%"),
      ]
      var chainedF1: [String: Double] = [:]
      for (lab, sc) in zip(e.strict.fl.labels, e.strict.fl.scores) where lab < anchor.classes.count {
        chainedF1[anchor.classes[lab]] = sc.f1
      }
      var rows: [[String]] = []
      for m in anchor.subModels {
        for cls in m.classes {
          rows.append([
            cls, String(m.cluster), anchor.proxyPerClass[cls].map(ChainStepSupport.pct) ?? "–",
            chainedF1[cls].map(ChainStepSupport.pct) ?? "–",
          ])
        }
      }
      rows.append(["macro", "", ChainStepSupport.pct(anchor.proxyMacroF1), ChainStepSupport.pct(e.strict.fl.macroF1)])
      rows.append([
        "weighted", "", ChainStepSupport.pct(anchor.proxyWeightedF1), ChainStepSupport.pct(e.strict.fl.weightedF1),
      ])
      tables.append(
        StepTable(
          id: "proxy-vs-chained",
          caption: ("Per-class F1 (flow level, %): proxy next to the chained F1 with the sub-models in "
            + "the optimal order \(result.order) (unknown = error)."),
          columns: ["class", "cluster", "proxy F1", "chained F1"], rows: rows))
      notes.append(
        ("chained in order \(result.order): FL macro "
          + "\(ChainStepSupport.pct(e.strict.fl.macroF1)) %, weighted "
          + "\(ChainStepSupport.pct(e.strict.fl.weightedF1)) % (unknown excluded: macro "
          + "\(ChainStepSupport.pct(e.excluded.fl.macroF1)) %); proxy macro "
          + "\(ChainStepSupport.pct(anchor.proxyMacroF1)) %")
      )
    case (nil, nil):
      break
    default:
      throw StepError(
        "give both clusters and samples (to score the chain) or neither",
        argument: [a.clusters == nil ? "samples" : "clusters"])
    }
    try context.write(JSONValue.object(doc).rendered(), to: "sequence.json")
    try context.write(result.csv(), to: "orders.csv")

    let n = problem.count
    let heat = Heatmap(
      labels: ChartLabels(
        title: "Cluster-level false positives", xLabel: "claimed by sub-model of cluster", yLabel: "true cluster"),
      rowLabels: (0..<n).map { "C\($0)" }, columnLabels: (0..<n).map { "C\($0)" },
      values: problem.falsePositive.map { $0.map(Optional.some) }, showValues: true, decimals: 2, legendLabel: "FP (%)")
    let suffix = a.figureSuffix.map { $0.isEmpty ? "" : "-" + $0 } ?? ""
    let fig = ChainStepSupport.figure(
      "fig-fp-matrix" + suffix,
      caption: ("FP matrix (percent; each column sums to 100): column j splits what the sub-model of "
        + "cluster j claims by true cluster k — the diagonal is its cluster-level precision, "
        + "off-diagonal cells are claims it steals from cluster k. A sub-model that steals "
        + "from k should run after k's sub-model."),
      .heatmap(heat), context: context)
    return StepOutput(values: values, metrics: metrics, figures: [fig], tables: tables, notes: notes)
  }

  /// The chain of the anchor's sub-models in `order`, scored on the test samples (as `dune clusters --order`).
  static func chained(anchor: ClustersAnchor, anchorPath: String, samples: String, order: [Int], context: StepContext)
    throws -> ChainedEvaluation
  {
    let data = try anchor.loadData(samples: samples, context: context)
    let subModels = try anchor.chainSubModels(anchorPath: anchorPath, data: data)
    return try ChainStepSupport.located("clusters") {
      try ChainedEvaluation.evaluate(
        order: order, subModels: subModels, indexes: data.testIndexes, classCount: anchor.classes.count)
    }
  }
}
