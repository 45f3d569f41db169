import DUNESupport
import Forest

/// Step 4 end to end (`dune-reference.md` §6, §7.1): per cluster, the constrained grid over every N,
/// the selection, the selected sub-model refitted, the proxy F1 and the cluster-level FP matrix.
public enum ClusterAnalysis {
  /// Settings of a run.
  public struct Settings: Sendable {
    public var grid: ConstrainedGrid.Settings
    /// The inference points swept (each must be loaded in the data).
    public var inferencePoints: [Int]
    /// Candidates = the cluster's SPP features instead of the use case's cluster-analysis set (§6.2).
    public var restrictToSPPFeatures: Bool
    /// The use case's cluster-analysis feature set (the default candidates).
    public var clusterFeatures: [String]

    public init(
      grid: ConstrainedGrid.Settings, inferencePoints: [Int], restrictToSPPFeatures: Bool, clusterFeatures: [String]
    ) {
      self.grid = grid
      self.inferencePoints = inferencePoints
      self.restrictToSPPFeatures = restrictToSPPFeatures
      self.clusterFeatures = clusterFeatures
    }
  }

  /// The outcome for one cluster.
  public struct ClusterResult: Sendable {
    public var definition: ClusterDefinition
    public var labelling: ClusterLabelling
    /// Candidate features, in data-column order.
    public var candidates: [String]
    /// Every grid row of every N (N, trees, budget, subset size ascending).
    public var rows: [ConstrainedGrid.Row]
    public var selected: ConstrainedGrid.Row
    /// The selected sub-model, refitted directly with the selected settings (for the data plane).
    public var model: ForestModel
    /// The refitted model's local predictions on every test row of N = `selected.n`.
    public var predictions: [Int32]
    /// The refit's own evaluation equals the grid row's (the shortcut, checked at run time).
    public var refitAgrees: Bool
    public var stats: [ConstrainedGrid.Stats]
  }

  /// The outcome of a run.
  public struct Result: Sendable {
    public var clusters: [ClusterResult]
    public var proxy: ProxyF1
    public var claims: ClusterClaims
    public var falsePositive: ClusterFalsePositiveMatrix
    /// Classes of the use case that are in no cluster.
    public var unclusteredClasses: [String]

    /// TCAM share summed over all clusters (C2 fixed).
    public var totalTCAM: Double { clusters.reduce(0) { $0 + $1.selected.tcam } }
    /// The reference's printed total: every cluster except the first (bug C2), for comparison only.
    public var referenceCompatTCAM: Double { clusters.dropFirst().reduce(0) { $0 + $1.selected.tcam } }

    /// The sub-models as the chained evaluation sees them (cluster order).
    public var chainSubModels: [ChainSubModel] {
      clusters.map {
        ChainSubModel(n: $0.selected.n, ownClasses: $0.labelling.globalOfLocal, predictions: $0.predictions)
      }
    }
  }

  /// Runs step 4 on `clusters` (cluster q = index q). `progress` receives one line per (N, cluster).
  public static func run(
    data: ClusterAnalysisData, clusters: [ClusterDefinition], settings: Settings, progress: (String) -> Void = { _ in }
  ) throws -> Result {
    var results: [ClusterResult] = []
    let points = Array(Set(settings.inferencePoints)).sorted()
    let counter = ProgressReporting.counter(
      "cluster analysis", total: clusters.count * points.count, unit: "cluster grids")
    defer { counter.finish() }
    for (q, def) in clusters.enumerated() {
      guard def.id == q else { throw ClusterAnalysisError("cluster ids must be 0…\(clusters.count - 1) in order") }
      let labelling = try ClusterLabelling(clusterClasses: def.classes, useCaseClasses: data.classes)
      let wanted = settings.restrictToSPPFeatures ? def.sppFeatures : settings.clusterFeatures
      guard !wanted.isEmpty else { throw ClusterAnalysisError("cluster \(q) has no candidate feature") }
      var columns: [Int] = []
      for f in wanted {
        guard let c = data.features.firstIndex(of: f) else {
          throw ClusterAnalysisError("candidate feature '\(f)' was not loaded")
        }
        if !columns.contains(c) { columns.append(c) }
      }
      let candidates = columns.map { data.features[$0] }
      var rows: [ConstrainedGrid.Row] = []
      var stats: [ConstrainedGrid.Stats] = []
      for n in points {
        defer { counter.advance() }
        let point = try data.point(n)
        let train = labelling.relabel(point.train).selecting(features: columns)
        let test = labelling.relabel(point.test).selecting(features: columns)
        let out = try ConstrainedGrid.run(
          n: n, cluster: q, train: train, test: test, classes: labelling.classes, features: candidates,
          settings: settings.grid)
        rows.append(contentsOf: out.rows)
        stats.append(out.stats)
        let best = ClusterSelection.select(out.rows)
        progress(
          "cluster \(q) N=\(n): \(out.rows.count) points, \(out.stats.evaluationFits + out.stats.rankingFits) fits (naive \(out.stats.naiveFits)); best score \(best.map { String($0.successScore) } ?? "-")"
        )
      }
      guard let selected = ClusterSelection.select(rows) else {
        throw ClusterAnalysisError("cluster \(q): the grid has no point")
      }
      let fitted = try fitSelected(selected, data: data, labelling: labelling, settings: settings.grid)
      results.append(
        ClusterResult(
          definition: def, labelling: labelling, candidates: candidates, rows: rows, selected: selected,
          model: fitted.model,
          predictions: fitted.predictions, refitAgrees: fitted.evaluation == selected.evaluation, stats: stats))
    }
    return try assemble(data: data, clusters: results)
  }

  /// Refits a selected row directly (no shortcut) and predicts its whole N test set.
  static func fitSelected(
    _ row: ConstrainedGrid.Row, data: ClusterAnalysisData, labelling: ClusterLabelling,
    settings: ConstrainedGrid.Settings
  ) throws -> (model: ForestModel, predictions: [Int32], evaluation: FlowPacketEvaluation) {
    let point = try data.point(row.n)
    let columns = try row.features.map { f in
      guard let c = data.features.firstIndex(of: f) else { throw ClusterAnalysisError("feature '\(f)' was not loaded") }
      return c
    }
    let train = labelling.relabel(point.train).selecting(features: columns)
    let test = labelling.relabel(point.test).selecting(features: columns)
    let model = try RandomForest.train(
      train, classes: labelling.classes, features: row.features,
      parameters: settings.parameters(trees: row.treeCount, leaves: row.leafBudget), threads: settings.threads)
    let predictions = model.predictSoft(test.matrix, threads: settings.threads)
    return (
      model, predictions,
      FlowPacketEvaluation(test: test, predictions: predictions, classCount: labelling.classes.count)
    )
  }

  /// Proxy F1, claims and the FP matrix from per-cluster results.
  static func assemble(data: ClusterAnalysisData, clusters: [ClusterResult]) throws -> Result {
    var clusterOf = [Int?](repeating: nil, count: data.classes.count)
    for (q, c) in clusters.enumerated() { for g in c.labelling.globalOfLocal { clusterOf[g] = q } }
    let proxy = ProxyF1(
      reports: clusters.map(\.selected.evaluation.fl), labellings: clusters.map(\.labelling),
      clusterIDs: clusters.map(\.definition.id))
    let tests = try clusters.map { try data.point($0.selected.n).test }
    let claims = ClusterClaims(
      predictions: clusters.map(\.predictions), tests: tests, labellings: clusters.map(\.labelling),
      clusterOfClass: clusterOf)
    let fp = try ClusterFalsePositiveMatrix(claimsBySubModel: claims.claims)
    let unclustered = data.classes.indices.filter { clusterOf[$0] == nil }.map { data.classes[$0] }
    return Result(clusters: clusters, proxy: proxy, claims: claims, falsePositive: fp, unclusteredClasses: unclustered)
  }

  /// The true chained F1 of `result`'s sub-models in `order` (cluster indices, first switch first).
  public static func chained(_ result: Result, data: ClusterAnalysisData, order: [Int]) throws -> ChainedEvaluation {
    var indexes: [Int: TestFlowIndex] = [:]
    for p in data.points { indexes[p.n] = p.testIndex }
    return try ChainedEvaluation.evaluate(
      order: order, subModels: result.chainSubModels, indexes: indexes, classCount: data.classes.count)
  }
}
