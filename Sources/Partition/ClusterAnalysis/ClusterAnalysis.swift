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
    /// Whether a refitted candidate can be placed on one switch; nil accepts every candidate.
    /// `Partition` knows no data plane, so the layer that compiles sub-models injects it.
    public var placement: PlacementCheck?

    public init(
      grid: ConstrainedGrid.Settings, inferencePoints: [Int], restrictToSPPFeatures: Bool, clusterFeatures: [String],
      placement: PlacementCheck? = nil
    ) {
      self.grid = grid
      self.inferencePoints = inferencePoints
      self.restrictToSPPFeatures = restrictToSPPFeatures
      self.clusterFeatures = clusterFeatures
      self.placement = placement
    }
  }

  /// A cluster's grid row and the sub-model refitted from it, as the placement check sees them.
  public struct PlacementCandidate: Sendable {
    public var cluster: ClusterDefinition
    public var row: ConstrainedGrid.Row
    public var model: ForestModel

    public init(cluster: ClusterDefinition, row: ConstrainedGrid.Row, model: ForestModel) {
      self.cluster = cluster
      self.row = row
      self.model = model
    }
  }

  /// Nil when the candidate can be placed on one switch, else why not (e.g. "stages: needs 13,
  /// budget 12"). Must be deterministic: the selection depends on it.
  public typealias PlacementCheck = @Sendable (PlacementCandidate) throws -> String?

  /// A candidate better than the selected one that the placement check rejected.
  public struct Rejection: Sendable, Equatable {
    public var row: ConstrainedGrid.Row
    public var reason: String

    public init(row: ConstrainedGrid.Row, reason: String) {
      self.row = row
      self.reason = reason
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
    /// The rows better than `selected` (best first) that could not be placed, with the reason.
    public var rejected: [Rejection]
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
    let rows = clusters.indices.map { q in ns.flatMap { byUnit[Unit(cluster: q, n: $0)]!.rows } }
    let selections = try selectPlaceable(
      rows, data: data, clusters: clusters, labellings: prepared.map(\.labelling), settings: settings)
    let clusterResults = clusters.indices.map { q in
      let s = selections[q]
      return ClusterResult(
        definition: clusters[q], labelling: prepared[q].labelling, candidates: prepared[q].candidates,
        rows: rows[q], selected: s.row, rejected: s.rejected, model: s.fit.model, predictions: s.fit.predictions,
        refitAgrees: s.fit.evaluation == s.row.evaluation, stats: ns.map { byUnit[Unit(cluster: q, n: $0)]!.stats })
    }
    return try assemble(data: data, clusters: clusterResults)
  }

  /// A cluster's selected row, its refit and the better rows rejected on the way.
  struct Selection {
    var row: ConstrainedGrid.Row
    var fit: Fit
    var rejected: [Rejection]
  }

  typealias Fit = (model: ForestModel, predictions: [Int32], evaluation: FlowPacketEvaluation)

  /// Per cluster, the first of `rows` in `ClusterSelection.isBetter` order whose refit passes
  /// `settings.placement` (the best row when there is no check). Fails naming the cluster when no
  /// row passes: an unplaceable sub-model is never chosen.
  ///
  /// Rows are refitted only as far as the walk goes: the best row of every cluster first, then one
  /// row per open cluster per round, or a few when fewer clusters than threads are open. The result
  /// does not depend on that batching: a row is chosen only when every better row was rejected.
  static func selectPlaceable(
    _ rows: [[ConstrainedGrid.Row]], data: ClusterAnalysisData, clusters: [ClusterDefinition],
    labellings: [ClusterLabelling], settings: Settings
  ) throws -> [Selection] {
    let ranked = try rows.enumerated().map { q, r in
      guard !r.isEmpty else { throw ClusterAnalysisError("cluster \(q): the grid has no point") }
      return r.sorted(by: ClusterSelection.isBetter)
    }
    let threads = settings.grid.threads
    var next = [Int](repeating: 0, count: ranked.count)
    var chosen = [Selection?](repeating: nil, count: ranked.count)
    var rejected = [[Rejection]](repeating: [], count: ranked.count)
    var tables: [Int: TrainingData] = [:]
    while true {
      let open = ranked.indices.filter { chosen[$0] == nil }
      if open.isEmpty { break }
      // The best row usually passes: refit only it. A cluster that had a rejection may go on
      // rejecting, so it tries a few rows at once when cores would otherwise idle.
      let jobs = open.flatMap { q in
        let width = rejected[q].isEmpty ? 1 : max(1, threads / open.count)
        return (next[q]..<min(ranked[q].count, next[q] + width)).map { (q: q, i: $0) }
      }
      let missing = Set(jobs.map { ranked[$0.q][$0.i].n }).subtracting(tables.keys)
      if !missing.isEmpty {
        tables.merge(try rankedTables(data, ns: Array(missing), threads: threads)) { old, _ in old }
      }
      let available = tables
      let outcomes = try parallelMap(count: jobs.count, threads: threads) { j -> (fit: Fit, reason: String?) in
        let (q, i) = jobs[j]
        let row = ranked[q][i]
        let fit = try fitSelected(
          row, data: data, table: available[row.n]!, labelling: labellings[q], settings: settings.grid)
        let reason = try settings.placement?(PlacementCandidate(cluster: clusters[q], row: row, model: fit.model))
        return (fit, reason)
      }
      for (j, (q, i)) in jobs.enumerated() where chosen[q] == nil {
        next[q] = i + 1
        if let reason = outcomes[j].reason {
          rejected[q].append(Rejection(row: ranked[q][i], reason: reason))
        } else {
          chosen[q] = Selection(row: ranked[q][i], fit: outcomes[j].fit, rejected: rejected[q])
        }
      }
      for q in open where chosen[q] == nil && next[q] == ranked[q].count {
        let best = rejected[q][0]
        throw ClusterAnalysisError(
          "cluster \(clusters[q].id) (\(clusters[q].classes.joined(separator: ", "))): none of its \(ranked[q].count) candidates can be placed on one switch; the best (N=\(best.row.n), \(best.row.treeCount) trees, leaf budget \(best.row.leafBudget), \(best.row.features.count) features) fails with \(best.reason)"
        )
      }
    }
    return chosen.map { $0! }
  }

  /// Refits a selected row directly (no shortcut) and predicts its whole N test set.
  static func fitSelected(
    _ row: ConstrainedGrid.Row, data: ClusterAnalysisData, table: TrainingData, labelling: ClusterLabelling,
    settings: ConstrainedGrid.Settings
  ) throws -> Fit {
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
