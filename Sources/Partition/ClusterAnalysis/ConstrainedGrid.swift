import DUNESupport
import Forest

/// The constrained (hardware-aware) grid of one (N, cluster) pair (`dune-reference.md` §6.3).
///
/// Reference definition: for each (trees T, leaf budget b), rank the candidates by the MDI of
/// RF(T, b) on all candidates, then evaluate RF(T, b) on every nested top-k prefix of that ranking.
///
/// Made cheap, exactly (`LeafBudgetForestEvaluator`, proven in `ClusterAnalysisShortcutTests`):
/// * the rankings of all (T, b) come from ONE fit of max(T) trees grown to max(b) leaves: the RF(T, b)
///   of the reference is its first T trees truncated to b leaves;
/// * the evaluation fits are keyed by the ordered feature prefix; every (T, b) whose ranking yields
///   the same prefix shares one fit of the largest T and b it needs, evaluated by truncation.
/// With `ranking = .shared` every (T, b) uses the ranking of the largest forest (the unconstrained
/// grid's documented deviation), so there are only F + 1 fits per (N, cluster).
public enum ConstrainedGrid {
  /// How the nested feature subsets are ranked.
  public enum Ranking: String, Sendable, Codable, CaseIterable {
    /// One MDI ranking per (trees, leaf budget), as the reference does.
    case perPoint = "per-point"
    /// One ranking per (N, cluster) from the largest forest of the grid.
    case shared
  }

  /// What to sweep.
  public struct Settings: Sendable, Equatable {
    public var treeCounts: [Int]
    public var leafBudgets: [Int]
    /// Nested subset sizes; nil = 1…F.
    public var subsetSizes: [Int]?
    public var ranking: Ranking
    public var maxFeatures: MaxFeatures
    public var criterion: SplitCriterion
    public var seed: UInt64
    public var threads: Int

    /// The reference leaf grid 41 + 44·i below 500, then 500 (§6.3).
    public static let referenceLeafBudgets: [Int] = Array(stride(from: 41, to: 500, by: 44)) + [500]
    /// Odd tree counts only (majority voting stays unambiguous).
    public static let referenceTreeCounts = [1, 3, 5]

    public init(
      treeCounts: [Int] = referenceTreeCounts, leafBudgets: [Int] = referenceLeafBudgets, subsetSizes: [Int]? = nil,
      ranking: Ranking = .perPoint, maxFeatures: MaxFeatures = .sqrt, criterion: SplitCriterion = .gini,
      seed: UInt64 = 42, threads: Int = defaultThreadCount
    ) {
      self.treeCounts = treeCounts
      self.leafBudgets = leafBudgets
      self.subsetSizes = subsetSizes
      self.ranking = ranking
      self.maxFeatures = maxFeatures
      self.criterion = criterion
      self.seed = seed
      self.threads = threads
    }

    /// Forest parameters of a best-first fit.
    public func parameters(trees: Int, leaves: Int) -> ForestParameters {
      ForestParameters(
        treeCount: trees, growth: .bestFirst(maxLeafNodes: leaves, maxDepth: nil), criterion: criterion,
        maxFeatures: maxFeatures, seed: seed)
    }

    /// Validates the lists (positive tree counts, budgets ≥ 2).
    public func validate() throws {
      guard !treeCounts.isEmpty, treeCounts.allSatisfy({ $0 >= 1 }) else {
        throw ClusterAnalysisError("tree counts must be ≥ 1")
      }
      guard !leafBudgets.isEmpty, leafBudgets.allSatisfy({ $0 >= 2 }) else {
        throw ClusterAnalysisError("leaf budgets must be ≥ 2")
      }
      if let s = subsetSizes, s.isEmpty || s.contains(where: { $0 < 1 }) {
        throw ClusterAnalysisError("subset sizes must be ≥ 1")
      }
      guard threads >= 1 else { throw ClusterAnalysisError("threads must be ≥ 1") }
    }
  }

  /// One grid point (one line of `{UC}_models_{N}pkts_Cluster{q}.csv`).
  public struct Row: Sendable, Codable, Equatable {
    public var n: Int
    public var cluster: Int
    public var treeCount: Int
    /// The `max_leaf_nodes` setting.
    public var leafBudget: Int
    /// Feature names in rank order.
    public var features: [String]
    public var depths: [Int]
    public var leaves: [Int]
    public var evaluation: FlowPacketEvaluation
    /// Reference TCAM share (fraction of 288 blocks, §6.4) of this candidate.
    public var tcam: Double
    /// Local index of `Other` in the evaluation's class indices.
    public var otherIndex: Int

    /// FL macro F1 including `Other` (the reference selection metric, C4).
    public var macroF1: Double { evaluation.fl.macroF1 }
    /// FL macro F1 over the cluster's own classes only (C4 variant).
    public var macroF1WithoutOther: Double { ClusterSelection.macroF1(evaluation.fl, excluding: otherIndex) }
    /// `0.5 · Macro_f1_FL + 0.5 · (1 − tcam)` (§6.5).
    public var successScore: Double { ClusterSelection.successScore(macroF1: macroF1, tcam: tcam) }
  }

  /// Work counters of one run.
  public struct Stats: Sendable, Codable, Equatable {
    public var rankingFits = 0
    public var evaluationFits = 0
    public var points = 0
    /// Fits the naive grid would do: one per (T, b) ranking plus one per point.
    public var naiveFits = 0
  }

  /// Runs the grid on one (N, cluster): `train`/`test` carry local labels (`ClusterLabelling`) and the
  /// candidate columns in `features` order. Rows are ordered by trees, budget, subset size.
  public static func run(
    n: Int, cluster: Int, train: LabelledSet, test: LabelledSet, classes: [String], features: [String],
    settings: Settings
  ) throws -> (rows: [Row], stats: Stats) {
    try settings.validate()
    let data = try TrainingData(train, classCount: classes.count)
    let plan = try plan(data: data, classes: classes, features: features, settings: settings, threads: settings.threads)
    let perJob = try parallelMap(count: plan.jobs.count, threads: settings.threads) { j in
      let prefix = plan.jobs[j].prefix
      return try plan.evaluate(
        job: j, data: data.selecting(features: prefix), test: test.selecting(features: prefix), n: n,
        cluster: cluster, settings: settings)
    }
    return try plan.assemble(jobRows: perJob)
  }

  /// One evaluation fit: an ordered feature prefix, grown to the largest tree count and leaf budget
  /// of the (T, b) points whose ranking starts with it.
  public struct Job: Sendable {
    public var prefix: [Int]
    public var maxTrees = 0
    public var maxBudget = 0
    public var pairs: [Pair] = []
  }

  /// A (tree count, leaf budget) pair of the grid.
  public struct Pair: Hashable, Sendable {
    public var t: Int
    public var b: Int
  }

  /// The grid of one (N, cluster) after its ranking fit: the ranking of every (T, b) and the
  /// evaluation fits they call for. `evaluate` runs one fit (independently of the others, so the
  /// fits of many plans can share one pool of workers); `assemble` orders the rows.
  public struct Plan: Sendable {
    public var treeCounts: [Int]
    public var budgets: [Int]
    public var sizes: [Int]
    public var features: [String]
    public var classCount: Int
    public var rankings: [Pair: [Int]]
    public var jobs: [Job]
    public var stats: Stats

    /// Fits job `j` on `data` and evaluates it on `test`: both carry local labels and exactly the
    /// job's prefix columns, in prefix order.
    public func evaluate(job j: Int, data: TrainingData, test: LabelledSet, n: Int, cluster: Int, settings: Settings)
      throws -> [Row]
    {
      let job = jobs[j]
      let k = classCount
      guard data.featureCount == job.prefix.count, test.matrix.featureCount == job.prefix.count else {
        throw ClusterAnalysisError("internal: job data must hold exactly the prefix columns")
      }
      let trees = RandomForest.trainTrees(
        data, parameters: settings.parameters(trees: job.maxTrees, leaves: job.maxBudget), threads: 1)
      let wanted = Set(job.pairs)
      let names = job.prefix.map { features[$0] }
      let points = LeafBudgetForestEvaluator(trees: trees, classCount: k).evaluate(
        test: test, treeCounts: Array(Set(job.pairs.map(\.t))),
        leafBudgets: Array(Set(job.pairs.map(\.b))), threads: 1)
      return points.filter { wanted.contains(Pair(t: $0.treeCount, b: $0.leafBudget)) }.map { p in
        Row(
          n: n, cluster: cluster, treeCount: p.treeCount, leafBudget: p.leafBudget, features: names, depths: p.depths,
          leaves: p.leaves, evaluation: p.evaluation,
          tcam: referenceTCAMShare(trees: p.treeCount, maxLeaves: p.leaves.max() ?? 0, features: names),
          otherIndex: k - 1)
      }
    }

    /// The rows in (T, b, k) order from every job's rows (`jobRows[j]` = `evaluate(job: j, …)`).
    public func assemble(jobRows: [[Row]]) throws -> (rows: [Row], stats: Stats) {
      var byPoint: [String: Row] = [:]
      for rows in jobRows {
        for r in rows {
          byPoint["\(r.treeCount)/\(r.leafBudget)/\(r.features.count)/\(r.features.joined(separator: "\u{1F}"))"] = r
        }
      }
      var rows: [Row] = []
      for t in treeCounts {
        for b in budgets {
          for size in sizes {
            let names = rankings[Pair(t: t, b: b)]!.prefix(size).map { features[$0] }
            guard let r = byPoint["\(t)/\(b)/\(size)/\(names.joined(separator: "\u{1F}"))"] else {
              throw ClusterAnalysisError("internal: grid point T=\(t) b=\(b) k=\(size) was not evaluated")
            }
            rows.append(r)
          }
        }
      }
      var s = stats
      s.points = rows.count
      return (rows, s)
    }
  }

  /// The ranking fit of one (N, cluster) on `data` (local labels, every candidate column in
  /// `features` order) and the evaluation fits the rankings call for.
  public static func plan(
    data all: TrainingData, classes: [String], features: [String], settings: Settings, threads: Int
  ) throws -> Plan {
    try settings.validate()
    let treeCounts = Array(Set(settings.treeCounts)).sorted()
    let budgets = Array(Set(settings.leafBudgets)).sorted()
    let maxT = treeCounts.last!
    let maxB = budgets.last!
    let sizes = Array(Set((settings.subsetSizes ?? Array(1...max(1, features.count))).filter { $0 <= features.count }))
      .sorted()
    var stats = Stats()
    let rankTrees = RandomForest.trainTrees(
      all, parameters: settings.parameters(trees: maxT, leaves: maxB), threads: threads)
    stats.rankingFits = 1
    // Ranking of each (T, b).
    var rankings: [Pair: [Int]] = [:]
    for t in treeCounts {
      for b in budgets {
        let pair = Pair(t: t, b: b)
        let (tt, bb) = settings.ranking == .shared ? (maxT, maxB) : (t, b)
        let cut = rankTrees.prefix(tt).map { $0.truncated(toLeaves: bb) }
        rankings[pair] = FeatureImportance.ranking(
          FeatureImportance.mdi(ForestModel(classes: classes, features: features, trees: cut)))
      }
    }
    // Group the requested (T, b, k) points by ordered feature prefix.
    var jobs: [Job] = []
    var jobIndex: [[Int]: Int] = [:]
    for t in treeCounts {
      for b in budgets {
        let pair = Pair(t: t, b: b)
        for size in sizes {
          let prefix = Array(rankings[pair]!.prefix(size))
          let j =
            jobIndex[prefix]
            ?? {
              jobs.append(Job(prefix: prefix))
              jobIndex[prefix] = jobs.count - 1
              return jobs.count - 1
            }()
          jobs[j].maxTrees = max(jobs[j].maxTrees, t)
          jobs[j].maxBudget = max(jobs[j].maxBudget, b)
          jobs[j].pairs.append(pair)
          stats.naiveFits += 1
        }
      }
    }
    stats.naiveFits += treeCounts.count * budgets.count
    stats.evaluationFits = jobs.count
    return Plan(
      treeCounts: treeCounts, budgets: budgets, sizes: sizes, features: features, classCount: classes.count,
      rankings: rankings, jobs: jobs, stats: stats)
  }
}
