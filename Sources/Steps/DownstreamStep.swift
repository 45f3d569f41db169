import DUNESupport
import Forest
import Foundation
import Literate
import Partition
import Report

/// `downstream` (chapter 05): the ordered chain's variant of `Other` (`dune-reference.md` §6.8).
///
/// Every sub-model of the `clusters` anchor keeps its block and hyper-parameters and is retrained for
/// the chain order: its `Other` now stands only for the classes of the switches after it (rows of
/// upstream classes never reach it and are dropped), and the last switch has no `Other` at all, so no
/// flow leaves the chain unknown. Writes the retrained forests and a `clusters.json` anchor (with the
/// order they were trained for) that `dataplane` compiles like the reference chain, and scores both
/// chains in that order on the test samples.
struct DownstreamStep: StepKind {
  struct Arguments: Decodable, Sendable {
    /// The `clusters.json` anchor of chapter 04 (the reference chain).
    var clusters: String
    /// The `samples.json` anchor.
    var samples: String
    /// Chain order (cluster ids, first switch first), e.g. `${step.sequence.order}`.
    var order: [Int]
    /// Forest seed; the same as chapter 04's.
    var seed: Int?
  }

  let name = "downstream"
  var codeModules: [String] { ["DataPlane", "Forest", "Partition", "Report", "Traffic"] }
  let summary = "Sub-models retrained for the chain order with downstream-only Other; both chains scored in that order."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("order", .list),
      OutputDeclaration("chainedMacroF1FL", .number, unit: "fraction"),
      OutputDeclaration("chainedWeightedF1FL", .number, unit: "fraction"),
      OutputDeclaration("chainedMacroF1PL", .number, unit: "fraction"),
      OutputDeclaration("chainedMacroF1FLExcludingUnknown", .number, unit: "fraction"),
      OutputDeclaration("referenceChainedMacroF1FL", .number, unit: "fraction"),
      OutputDeclaration("referenceChainedMacroF1FLExcludingUnknown", .number, unit: "fraction"),
    ]
  }
  var inputArguments: [String] { ["clusters", "samples"] }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let anchorPath = context.resolve(a.clusters)
    let anchor = try ChainStepSupport.located("clusters") { try ClustersAnchor.load(path: anchorPath) }
    guard anchor.other ?? "reference" == "reference" else {
      throw StepError("the clusters anchor is already a downstream-only chain", argument: ["clusters"])
    }
    let n = anchor.subModels.count
    guard a.order.count == n, Set(a.order) == Set(0..<n) else {
      throw StepError("order must be a permutation of 0…\(n - 1), got \(a.order)", argument: ["order"])
    }
    let data = try anchor.loadData(samples: a.samples, context: context)
    let specs = anchor.subModels.map {
      DownstreamOtherRetraining.Spec(
        cluster: $0.cluster, classes: $0.classes, n: $0.n, features: $0.features, trees: $0.trees,
        leafBudget: $0.leafBudget)
    }
    let settings = ConstrainedGrid.Settings(seed: UInt64(max(0, a.seed ?? 42)))
    let retrained = try ChainStepSupport.located("clusters") {
      try DownstreamOtherRetraining.run(specs, data: data, order: a.order, settings: settings)
    }
    let reference = try ChainStepSupport.located("clusters") {
      try ChainedEvaluation.evaluate(
        order: a.order, subModels: try anchor.chainSubModels(anchorPath: anchorPath, data: data),
        indexes: data.testIndexes, classCount: anchor.classes.count)
    }
    let downstream = retrained.chained

    // The retrained forests and their anchor (cluster order, like chapter 04's).
    let byCluster = retrained.subModels.sorted { $0.cluster < $1.cluster }
    for s in byCluster {
      try s.model.write(to: context.outputDirectory.appendingPathComponent("cluster_\(s.cluster).json").path)
    }
    let labellings = try anchor.subModels.map {
      try ClusterLabelling(clusterClasses: $0.classes, useCaseClasses: anchor.classes)
    }
    let proxy = ProxyF1(
      reports: byCluster.map(\.evaluation.fl), labellings: labellings, clusterIDs: byCluster.map(\.cluster))
    var proxyPerClass: [String: Double] = [:]
    for e in proxy.entries { proxyPerClass[e.className] = e.f1 }
    let out = ClustersAnchor(
      useCase: anchor.useCase, timeShift: anchor.timeShift, classes: anchor.classes,
      subModels: zip(anchor.subModels, byCluster).map { m, s in
        ClustersAnchor.SubModel(
          cluster: m.cluster, classes: m.classes, model: "cluster_\(m.cluster).json", n: m.n, features: m.features,
          trees: m.trees, leafBudget: m.leafBudget, macroF1FL: s.evaluation.fl.macroF1,
          tcam: referenceTCAMShare(
            trees: s.model.trees.count, maxLeaves: s.model.trees.map(\.leafCount).max() ?? 0, features: m.features))
      },
      order: a.order, other: "downstream", proxyMacroF1: proxy.macro, proxyWeightedF1: proxy.weighted,
      proxyPerClass: proxyPerClass)
    try context.write(try DeterministicJSON.text(out), to: "clusters.json")
    var doc: [String: JSONValue] = [
      "order": .array(a.order.map(JSONValue.int)),
      "reference": ClusterAnalysisOutputs.chainedJSON(reference, classes: anchor.classes),
      "downstream": ClusterAnalysisOutputs.chainedJSON(downstream, classes: anchor.classes),
    ]
    doc["subModels"] = .array(
      retrained.subModels.map { s in
        .object([
          "cluster": .int(s.cluster), "position": .int(s.position),
          "classes": .array(s.model.classes.map(JSONValue.string)),
          "macroF1FL": .fixed(s.evaluation.fl.macroF1, decimals: 6),
        ])
      })
    try context.write(JSONValue.object(doc).rendered(), to: "downstream.json")

    return StepOutput(
      values: [
        "order": .array(a.order.map(Value.int)),
        "chainedMacroF1FL": .double(downstream.strict.fl.macroF1),
        "chainedWeightedF1FL": .double(downstream.strict.fl.weightedF1),
        "chainedMacroF1PL": .double(downstream.strict.pl.macroF1),
        "chainedMacroF1FLExcludingUnknown": .double(downstream.excluded.fl.macroF1),
        "referenceChainedMacroF1FL": .double(reference.strict.fl.macroF1),
        "referenceChainedMacroF1FLExcludingUnknown": .double(reference.excluded.fl.macroF1),
      ],
      metrics: Self.metrics(reference: reference, downstream: downstream, retrained: retrained.subModels),
      figures: [Self.figure(reference: reference, downstream: downstream, context: context)],
      tables: Self.tables(
        reference: reference, downstream: downstream, retrained: retrained.subModels, anchor: anchor, order: a.order),
      notes: [
        "order \(a.order); \(n) sub-models retrained (the last, cluster \(a.order.last!), without Other)",
        ("chained FL macro F1: reference Other "
          + "\(ChainStepSupport.pct(reference.strict.fl.macroF1)) %, downstream-only Other "
          + "\(ChainStepSupport.pct(downstream.strict.fl.macroF1)) % (unknown excluded: "
          + "\(ChainStepSupport.pct(reference.excluded.fl.macroF1)) % and "
          + "\(ChainStepSupport.pct(downstream.excluded.fl.macroF1)) %)"),
        ("flows left unknown: reference "
          + "\(NumberFormat.fixed(reference.unknownFlowWeight, 1)), downstream-only "
          + "\(NumberFormat.fixed(downstream.unknownFlowWeight, 1))"),
      ])
  }

  static func metrics(
    reference: ChainedEvaluation, downstream: ChainedEvaluation, retrained: [DownstreamOtherRetraining.SubModel]
  ) -> [Metric] {
    var m: [Metric] = []
    for (name, e) in [("reference", reference), ("downstream", downstream)] {
      let l = ["other": name]
      m += [
        Metric("chainedMacroF1FL", e.strict.fl.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedWeightedF1FL", e.strict.fl.weightedF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1PL", e.strict.pl.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1FLExcludingUnknown", e.excluded.fl.macroF1 * 100, unit: "%", labels: l),
        Metric("unknownFlows", e.unknownFlowWeight, unit: "flows", labels: l),
      ]
    }
    for s in retrained {
      m.append(
        Metric(
          "clusterMacroF1FL", s.evaluation.fl.macroF1 * 100, unit: "%",
          labels: ["cluster": String(s.cluster), "other": "downstream"]))
    }
    return m
  }

  static func figure(reference: ChainedEvaluation, downstream: ChainedEvaluation, context: StepContext) -> StepFigure {
    func values(_ e: ChainedEvaluation) -> [Double] {
      [e.strict.fl.macroF1, e.strict.fl.weightedF1, e.strict.pl.macroF1, e.excluded.fl.macroF1].map { $0 * 100 }
    }
    let chart = BarChart(
      labels: ChartLabels(title: "Reference vs downstream-only Other", xLabel: "score", yLabel: "chained F1 (%)"),
      categories: ["FL macro", "FL weighted", "PL macro", "FL macro (unk. excl.)"],
      series: [
        BarSeries("reference Other", values(reference)), BarSeries("downstream-only Other", values(downstream)),
      ],
      valueDecimals: 1, valueRange: 0...100)
    return ChainStepSupport.figure(
      "fig-other-variants",
      caption: ("Chained F1 on the test samples, sub-models in the chain order: each trained with "
        + "Other = every class outside its block (reference), or retrained with Other = the "
        + "classes placed after it and no Other on the last switch (downstream-only)."),
      .bar(chart), shows: ["chainedMacroF1FL", "variants"], context: context)
  }

  static func tables(
    reference: ChainedEvaluation, downstream: ChainedEvaluation, retrained: [DownstreamOtherRetraining.SubModel],
    anchor: ClustersAnchor, order: [Int]
  ) -> [StepTable] {
    let p = ChainStepSupport.pct
    func row(_ name: String, _ e: ChainedEvaluation) -> [String] {
      [
        name, p(e.strict.fl.macroF1), p(e.strict.fl.weightedF1), p(e.strict.pl.macroF1), p(e.excluded.fl.macroF1),
        NumberFormat.fixed(e.unknownFlowWeight, 1),
      ]
    }
    let variants = StepTable(
      id: "variants",
      caption: ("Chained F1 (%) of both variants in order \(order) on the test samples (strict: an "
        + "unknown result is an error), and the flows' worth left unknown at the end of the "
        + "chain."),
      columns: ["Other", "FL macro", "FL weighted", "PL macro", "FL macro (unknown excl.)", "unknown flows"],
      rows: [row("reference", reference), row("downstream-only", downstream)])
    let subModels = StepTable(
      id: "retrained",
      caption: ("The retrained sub-models in chain order: the classes its Other stands for, and its "
        + "FL macro F1 (%) on its own test rows (upstream classes removed) next to chapter "
        + "04's."),
      columns: ["position", "cluster", "classes", "Other = classes after it", "macro F1", "chapter 04 macro F1"],
      rows: retrained.map { s in
        let m = anchor.subModels[s.cluster]
        let after = order[(s.position + 1)...].reduce(0) { $0 + anchor.subModels[$1].classes.count }
        return [
          String(s.position + 1), String(s.cluster), m.classes.joined(separator: ", "),
          after == 0 ? "none (last switch)" : "\(after) classes", p(s.evaluation.fl.macroF1), p(m.macroF1FL),
        ]
      })
    return [variants, subModels]
  }
}
