import DUNESupport
import Forest
import Foundation

/// The output files of step 4 (`dune-reference.md` §6.7, §7.1) and the JSON summary.
public enum ClusterAnalysisOutputs {
  static func list(_ xs: [Int]) -> String { "[" + xs.map(String.init).joined(separator: ", ") + "]" }
  static func pct(_ x: Double) -> String { NumberFormat.shortest(x * 100) }

  /// `cluster_info.csv`: the reference `cluster_info_df.csv` columns with the SPP features and the
  /// model's features in separate columns (C7), then the leaf budget, the macro F1 without `Other`
  /// and the success score. Scores and TCAM in percent, as the reference.
  public static func clusterInfoCSV(_ result: ClusterAnalysis.Result) -> String {
    var w = CSVWriter()
    w.row([
      "Cluster", "Class List", "SPP Feature List", "Model Feature List", "Depth", "Tree", "Feats", "N_Leaves", "N",
      "Macro_f1_FL", "Weighted_f1_FL", "Micro_f1_FL", "Total_TCAM_Usage", "Leaf_Budget", "Macro_f1_FL_without_Other",
      "Success_Score",
    ])
    for c in result.clusters {
      let s = c.selected
      w.row([
        String(c.definition.id), PythonLiteral.list(c.definition.classes), PythonLiteral.list(c.definition.sppFeatures),
        PythonLiteral.list(s.features), list(s.depths), String(s.treeCount), String(s.features.count),
        String(s.leaves.max() ?? 0), String(s.n), pct(s.evaluation.fl.macroF1), pct(s.evaluation.fl.weightedF1),
        pct(s.evaluation.fl.microF1), pct(s.tcam), String(s.leafBudget), pct(s.macroF1WithoutOther),
        NumberFormat.shortest(s.successScore),
      ])
    }
    return w.text
  }

  /// `score_per_cluster_per_class.csv`: `class, support, Cluster, Cluster_F1_Score` (F1 in percent).
  public static func scorePerClusterPerClassCSV(_ proxy: ProxyF1) -> String {
    var w = CSVWriter()
    w.row(["class", "support", "Cluster", "Cluster_F1_Score"])
    for e in proxy.entries {
      w.row([e.className, NumberFormat.shortest(e.support), String(e.cluster), pct(e.f1)])
    }
    return w.text
  }

  /// The grid file name of (N, cluster): `{UC}_models_{N}pkts_Cluster{q}.csv`.
  public static func gridFileName(useCase: String, n: Int, cluster: Int) -> String {
    "\(useCase)_models_\(n)pkts_Cluster\(cluster).csv"
  }

  /// A per-(N, cluster) grid file: the §3.3 columns (`;`-separated, via `GridOutputs`), then
  /// `max_leaf_nodes`, `tcam`, `success_score` and `Macro_f1_FL_without_Other` (fractions).
  public static func gridCSV(_ rows: [ConstrainedGrid.Row], classes: [String]) -> String {
    var w = CSVWriter(delimiter: ";")
    w.row(GridOutputs.resultsHeader + ["max_leaf_nodes", "tcam", "success_score", "Macro_f1_FL_without_Other"])
    for r in rows {
      w.row(
        GridOutputs.resultsFields(
          n: r.n, treeCount: r.treeCount, features: r.features, depths: r.depths, leaves: r.leaves,
          evaluation: r.evaluation, classes: classes) + [
            String(r.leafBudget), NumberFormat.shortest(r.tcam), NumberFormat.shortest(r.successScore),
            NumberFormat.shortest(r.macroF1WithoutOther),
          ])
    }
    return w.text
  }

  /// `cm_matrix_cluster.csv` in the reference layout (header `"",0,…,n−1`, FP[k][j] in percent), as
  /// `dune sequence --fp` reads it.
  public static func falsePositiveCSV(_ fp: ClusterFalsePositiveMatrix) -> String {
    var w = CSVWriter()
    let n = fp.percent.count
    w.row([""] + (0..<n).map(String.init))
    for k in 0..<n { w.row([String(k)] + fp.percent[k].map { NumberFormat.shortest($0) }) }
    return w.text
  }

  /// `cluster_f1.csv`: `Cluster,Macro_f1_FL` (percent, including `Other` — the F1 of the §7.2 cost).
  public static func clusterF1CSV(_ result: ClusterAnalysis.Result) -> String {
    var w = CSVWriter()
    w.row(["Cluster", "Macro_f1_FL"])
    for c in result.clusters { w.row([String(c.definition.id), pct(c.selected.macroF1)]) }
    return w.text
  }

  /// JSON of a chained evaluation (fractions).
  public static func chainedJSON(_ e: ChainedEvaluation, classes: [String]) -> JSONValue {
    func report(_ r: ClassificationReport) -> JSONValue {
      var perClass: [String: JSONValue] = [:]
      for (l, s) in zip(r.labels, r.scores) where l < classes.count {
        perClass[classes[l]] = .fixed(s.f1, decimals: 6)
      }
      return .object([
        "macro": .fixed(r.macroF1, decimals: 6), "weighted": .fixed(r.weightedF1, decimals: 6),
        "micro": .fixed(r.microF1, decimals: 6), "perClass": .object(perClass),
      ])
    }
    return .object([
      "order": .array(e.order.map(JSONValue.int)),
      "strict": .object(["FL": report(e.strict.fl), "PL": report(e.strict.pl)]),
      "unknownExcluded": .object(["FL": report(e.excluded.fl), "PL": report(e.excluded.pl)]),
      "unknownFlowWeight": .fixed(e.unknownFlowWeight, decimals: 6),
      "unknownPackets": .fixed(e.unknownPackets, decimals: 1),
      "alignedFlows": .int(e.alignedFlows),
      "unalignedFlows": .int(e.unalignedFlows),
    ])
  }

  /// The JSON summary: per cluster the selection with its proxy and (when given) chained per-class F1
  /// side by side, the totals, the FP matrix and the chained evaluation.
  public static func summaryJSON(
    _ result: ClusterAnalysis.Result, classes: [String], chained: ChainedEvaluation?, settings: ClusterAnalysis.Settings
  ) -> JSONValue {
    var chainedF1: [String: Double] = [:]
    if let e = chained {
      for (l, s) in zip(e.strict.fl.labels, e.strict.fl.scores) where l < classes.count { chainedF1[classes[l]] = s.f1 }
    }
    var clusters: [JSONValue] = []
    for c in result.clusters {
      let s = c.selected
      var perClass: [JSONValue] = []
      for e in result.proxy.entries where e.cluster == c.definition.id {
        var o: [String: JSONValue] = [
          "class": .string(e.className), "support": .fixed(e.support, decimals: 0),
          "proxyF1": .fixed(e.f1, decimals: 6),
        ]
        if chained != nil { o["chainedF1"] = chainedF1[e.className].map { .fixed($0, decimals: 6) } ?? .null }
        perClass.append(.object(o))
      }
      let fits = c.stats.reduce(0) { $0 + $1.rankingFits + $1.evaluationFits }
      let naive = c.stats.reduce(0) { $0 + $1.naiveFits }
      clusters.append(
        .object([
          "cluster": .int(c.definition.id),
          "classes": .array(c.definition.classes.map(JSONValue.string)),
          "sppFeatures": .array(c.definition.sppFeatures.map(JSONValue.string)),
          "modelFeatures": .array(s.features.map(JSONValue.string)),
          "n": .int(s.n), "trees": .int(s.treeCount), "leafBudget": .int(s.leafBudget),
          "leaves": .array(s.leaves.map(JSONValue.int)), "depths": .array(s.depths.map(JSONValue.int)),
          "macroF1FL": .fixed(s.macroF1, decimals: 6),
          "macroF1FLWithoutOther": .fixed(s.macroF1WithoutOther, decimals: 6),
          "weightedF1FL": .fixed(s.evaluation.fl.weightedF1, decimals: 6),
          "microF1FL": .fixed(s.evaluation.fl.microF1, decimals: 6),
          "macroF1PL": .fixed(s.evaluation.pl.macroF1, decimals: 6),
          "tcam": .fixed(s.tcam, decimals: 6), "successScore": .fixed(s.successScore, decimals: 6),
          "gridPoints": .int(c.rows.count), "fits": .int(fits), "naiveFits": .int(naive),
          "refitAgrees": .bool(c.refitAgrees),
          "perClass": .array(perClass),
        ]))
    }
    var doc: [String: JSONValue] = [
      "clusters": .array(clusters),
      "proxy": .object([
        "macro": .fixed(result.proxy.macro, decimals: 6), "weighted": .fixed(result.proxy.weighted, decimals: 6),
        "absentClasses": .array(result.proxy.absentClasses.map(JSONValue.string)),
      ]),
      "tcamTotal": .fixed(result.totalTCAM, decimals: 6),
      "tcamTotalReferenceCompatWithoutCluster0": .fixed(result.referenceCompatTCAM, decimals: 6),
      "falsePositive": .array(result.falsePositive.percent.map { .array($0.map { .fixed($0, decimals: 6) }) }),
      "falsePositiveZeroColumns": .array(result.falsePositive.zeroColumns.map(JSONValue.int)),
      "claimsOnUnclusteredClasses": .array(result.claims.unclustered.map { .fixed($0, decimals: 6) }),
      "unclusteredClasses": .array(result.unclusteredClasses.map(JSONValue.string)),
      "settings": .object([
        "treeCounts": .array(settings.grid.treeCounts.map(JSONValue.int)),
        "leafBudgets": .array(settings.grid.leafBudgets.map(JSONValue.int)),
        "inferencePoints": .array(settings.inferencePoints.map(JSONValue.int)),
        "ranking": .string(settings.grid.ranking.rawValue),
        "restrictToSPPFeatures": .bool(settings.restrictToSPPFeatures),
        "seed": .string(String(settings.grid.seed)),
      ]),
    ]
    if let e = chained { doc["chained"] = chainedJSON(e, classes: classes) }
    return .object(doc)
  }

  /// Writes every file into `folder` (created if needed), each atomically.
  public static func write(
    _ result: ClusterAnalysis.Result, useCase: String, classes: [String], chained: ChainedEvaluation?,
    settings: ClusterAnalysis.Settings, to folder: String
  ) throws {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw LocatedError(file: folder, "cannot create the output folder: \(error.localizedDescription)")
    }
    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
    var files: [(String, String)] = [
      ("cluster_info.csv", clusterInfoCSV(result)),
      ("score_per_cluster_per_class.csv", scorePerClusterPerClassCSV(result.proxy)),
      ("cm_matrix_cluster.csv", falsePositiveCSV(result.falsePositive)),
      ("cluster_f1.csv", clusterF1CSV(result)),
      ("cluster_summary.json", summaryJSON(result, classes: classes, chained: chained, settings: settings).rendered()),
    ]
    for c in result.clusters {
      for n in Array(Set(c.rows.map(\.n))).sorted() {
        files.append(
          (
            gridFileName(useCase: useCase, n: n, cluster: c.definition.id),
            gridCSV(c.rows.filter { $0.n == n }, classes: c.labelling.classes)
          ))
      }
    }
    for (name, text) in files { try AtomicFile.write(text, to: path(name)) }
    for c in result.clusters { try c.model.write(to: path("cluster_\(c.definition.id).json")) }
  }
}
