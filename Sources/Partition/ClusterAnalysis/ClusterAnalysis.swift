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
  ///
  /// The same as `merge(runUnits(units(…)))`: a run split into shards of units, computed anywhere
  /// and merged, gives exactly this result.
  public static func run(
    data: ClusterAnalysisData, clusters: [ClusterDefinition], settings: Settings, progress: (String) -> Void = { _ in }
  ) throws -> Result {
    let all = units(clusters: clusters, settings: settings)
    let results = try runUnits(all, data: data, clusters: clusters, settings: settings, progress: progress)
    return try merge(results, data: data, clusters: clusters, settings: settings)
  }

  /// One independent piece of step 4: the constrained grid of one cluster at one inference point.
  public struct Unit: Hashable, Codable, Sendable, Comparable {
    public var cluster: Int
    public var n: Int

    public init(cluster: Int, n: Int) {
      self.cluster = cluster
      self.n = n
    }

    public static func < (a: Unit, b: Unit) -> Bool { (a.cluster, a.n) < (b.cluster, b.n) }
  }

  /// The grid rows of one unit (N, trees, budget, subset size ascending) and its work counters.
  public struct UnitResult: Codable, Sendable, Equatable {
    public var unit: Unit
    public var rows: [ConstrainedGrid.Row]
    public var stats: ConstrainedGrid.Stats
  }

  /// Every unit of a run, cluster-major, N ascending.
  public static func units(clusters: [ClusterDefinition], settings: Settings) -> [Unit] {
    let ns = Array(Set(settings.inferencePoints)).sorted()
    return clusters.indices.flatMap { q in ns.map { Unit(cluster: q, n: $0) } }
  }

  /// A cluster's labelling and candidate columns (indices into `ClusterAnalysisData.features`).
  struct PreparedCluster {
    var labelling: ClusterLabelling
    var columns: [Int]
    var candidates: [String]
  }

  static func prepare(_ clusters: [ClusterDefinition], data: ClusterAnalysisData, settings: Settings) throws
    -> [PreparedCluster]
  {
    try clusters.enumerated().map { q, def in
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
      return PreparedCluster(labelling: labelling, columns: columns, candidates: columns.map { data.features[$0] })
    }
  }

  /// The ranked training table of every inference point in `ns`, over all classes and loaded columns:
  /// every sub-model's training data is derived from it without sorting again.
  static func rankedTables(_ data: ClusterAnalysisData, ns: [Int], threads: Int) throws -> [Int: TrainingData] {
    let sorted = Array(Set(ns)).sorted()
    let points = try sorted.map { try data.point($0) }
    let tables = try parallelMap(count: points.count, threads: threads) { i in
      try TrainingData(points[i].train, classCount: data.classes.count)
    }
    return Dictionary(uniqueKeysWithValues: zip(sorted, tables))
  }

  /// Computes the grids of `units`, in that order. The ranking fits of all units, then all their
  /// evaluation fits, each run as one pool of independent jobs so every core stays busy.
  public static func runUnits(
    _ units: [Unit], data: ClusterAnalysisData, clusters: [ClusterDefinition], settings: Settings,
    progress: (String) -> Void = { _ in }
  ) throws -> [UnitResult] {
    try settings.grid.validate()
    guard !units.isEmpty else { return [] }
    let prepared = try prepare(clusters, data: data, settings: settings)
    for u in units where !prepared.indices.contains(u.cluster) {
      throw ClusterAnalysisError("unit of cluster \(u.cluster) outside 0…\(clusters.count - 1)")
    }
    let threads = settings.grid.threads
    let tables = try rankedTables(data, ns: units.map(\.n), threads: threads)
    let ranking = ProgressReporting.counter("cluster analysis: ranking fits", total: units.count, unit: "fits")
    let plans = try parallelMap(count: units.count, threads: threads) { i -> ConstrainedGrid.Plan in
      defer { ranking.advance() }
      let u = units[i]
      let p = prepared[u.cluster]
      let train = try tables[u.n]!.selecting(
        features: p.columns, relabel: p.labelling.localOfGlobal, classCount: p.labelling.classes.count)
      return try ConstrainedGrid.plan(
        data: train, classes: p.labelling.classes, features: p.candidates, settings: settings.grid,
        threads: units.count == 1 ? threads : 1)
    }
    ranking.finish()
    let jobs = plans.enumerated().flatMap { i, plan in plan.jobs.indices.map { (unit: i, job: $0) } }
    let fits = ProgressReporting.counter("cluster analysis: grid fits", total: jobs.count, unit: "fits")
    defer { fits.finish() }
    let rows = try parallelMap(count: jobs.count, threads: threads) { j -> [ConstrainedGrid.Row] in
      defer { fits.advance() }
      let (i, job) = jobs[j]
      let u = units[i]
      let p = prepared[u.cluster]
      let columns = plans[i].jobs[job].prefix.map { p.columns[$0] }
      let train = try tables[u.n]!.selecting(
        features: columns, relabel: p.labelling.localOfGlobal, classCount: p.labelling.classes.count)
      let test = p.labelling.relabel(try data.point(u.n).test).selecting(features: columns)
      return try plans[i].evaluate(
        job: job, data: train, test: test, n: u.n, cluster: u.cluster, settings: settings.grid)
    }
    var byUnit = [[[ConstrainedGrid.Row]]](repeating: [], count: units.count)
    for (j, r) in rows.enumerated() { byUnit[jobs[j].unit].append(r) }
    return try units.enumerated().map { i, u in
      let out = try plans[i].assemble(jobRows: byUnit[i])
      let best = ClusterSelection.select(out.rows)
      progress(
        "cluster \(u.cluster) N=\(u.n): \(out.rows.count) points, \(out.stats.evaluationFits + out.stats.rankingFits) fits (naive \(out.stats.naiveFits)); best score \(best.map { String($0.successScore) } ?? "-")"
      )
      return UnitResult(unit: u, rows: out.rows, stats: out.stats)
    }
  }

  /// Selects, refits and scores every cluster from the grids of all units. Fails unless `results`
  /// hold every unit of the run exactly once (in any order).
  public static func merge(
    _ results: [UnitResult], data: ClusterAnalysisData, clusters: [ClusterDefinition], settings: Settings
  ) throws -> Result {
    let expected = units(clusters: clusters, settings: settings)
    var byUnit: [Unit: UnitResult] = [:]
    for r in results {
      guard byUnit.updateValue(r, forKey: r.unit) == nil else {
        throw ClusterAnalysisError("cluster \(r.unit.cluster) N=\(r.unit.n) was computed twice")
      }
    }
    let missing = expected.filter { byUnit[$0] == nil }
    guard missing.isEmpty, byUnit.count == expected.count else {
      let names = missing.map { "cluster \($0.cluster) N=\($0.n)" }
      throw ClusterAnalysisError(
        "the grid results do not match the run: missing \(names.isEmpty ? "none" : names.joined(separator: ", ")), \(byUnit.count - (expected.count - missing.count)) unexpected"
      )
    }
    let prepared = try prepare(clusters, data: data, settings: settings)
    let ns = Array(Set(settings.inferencePoints)).sorted()
    let selections = try clusters.indices.map { q in
      guard let selected = ClusterSelection.select(ns.flatMap { byUnit[Unit(cluster: q, n: $0)]!.rows }) else {
        throw ClusterAnalysisError("cluster \(q): the grid has no point")
      }
      return selected
    }
    let tables = try rankedTables(data, ns: selections.map(\.n), threads: settings.grid.threads)
    let fitted = try parallelMap(count: clusters.count, threads: settings.grid.threads) { q in
      try fitSelected(
        selections[q], data: data, table: tables[selections[q].n]!, labelling: prepared[q].labelling,
        settings: settings.grid)
    }
    let clusterResults = clusters.indices.map { q in
      ClusterResult(
        definition: clusters[q], labelling: prepared[q].labelling, candidates: prepared[q].candidates,
        rows: ns.flatMap { byUnit[Unit(cluster: q, n: $0)]!.rows }, selected: selections[q], model: fitted[q].model,
        predictions: fitted[q].predictions, refitAgrees: fitted[q].evaluation == selections[q].evaluation,
        stats: ns.map { byUnit[Unit(cluster: q, n: $0)]!.stats })
    }
    return try assemble(data: data, clusters: clusterResults)
  }

  /// Refits a selected row directly (no shortcut) and predicts its whole N test set.
  static func fitSelected(
    _ row: ConstrainedGrid.Row, data: ClusterAnalysisData, table: TrainingData, labelling: ClusterLabelling,
    settings: ConstrainedGrid.Settings
  ) throws -> (model: ForestModel, predictions: [Int32], evaluation: FlowPacketEvaluation) {
    let point = try data.point(row.n)
    let columns = try row.features.map { f in
      guard let c = data.features.firstIndex(of: f) else { throw ClusterAnalysisError("feature '\(f)' was not loaded") }
      return c
    }
    let train = try table.selecting(
      features: columns, relabel: labelling.localOfGlobal, classCount: labelling.classes.count)
    let test = labelling.relabel(point.test).selecting(features: columns)
    let trees = RandomForest.trainTrees(
      train, parameters: settings.parameters(trees: row.treeCount, leaves: row.leafBudget), threads: 1)
    let model = ForestModel(classes: labelling.classes, features: row.features, trees: trees)
    let predictions = model.predictSoft(test.matrix, threads: 1)
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
