import DUNESupport
import DataPlane
import Forest
import Partition

/// What every experiment on one data set shares: the samples, the replayed test traffic and the
/// settings chapters 04–06 use.
public struct ExperimentData: Sendable {
  /// The use case's class list (label indices of the samples).
  public var classes: [String]
  /// Train and test samples of every inference point, quantised like the sub-models' training,
  /// over the use case's cluster-analysis features (exactly those, in that order: the monolithic
  /// grid ranks them by index).
  public var samples: ClusterAnalysisData
  /// The labelled test captures, as the emulator replays them.
  public var replay: Replay
  /// The table encoding of the quantised features.
  public var scheme: EncodingScheme
  public var emulator: ChainEmulatorConfig
  /// Chapter 04's cluster analysis (grid, inference points, candidate features); its seed is the lab's.
  public var cluster: ClusterAnalysis.Settings
  /// Chapter 06's monolithic grid; its seed is the lab's.
  public var monolithic: MonolithicGrid.Settings

  public init(
    classes: [String], samples: ClusterAnalysisData, replay: Replay, scheme: EncodingScheme,
    emulator: ChainEmulatorConfig, cluster: ClusterAnalysis.Settings, monolithic: MonolithicGrid.Settings
  ) {
    self.classes = classes
    self.samples = samples
    self.replay = replay
    self.scheme = scheme
    self.emulator = emulator
    self.cluster = cluster
    self.monolithic = monolithic
  }
}

/// Per-switch limits of an experiment: TCAM blocks and pipeline stages (the resource model's
/// estimates); every other limit is a Tofino-1 pipe's.
public struct SwitchLimits: Hashable, Sendable, Codable, CustomStringConvertible {
  public var tcamBlocks: Int
  public var stages: Int

  public init(tcamBlocks: Int, stages: Int) {
    self.tcamBlocks = tcamBlocks
    self.stages = stages
  }

  /// A Tofino-1 pipe with these TCAM blocks and stages.
  public var budget: SwitchBudget {
    var b = SwitchBudget.tofino1
    b.tcamBlocks = tcamBlocks
    b.stages = stages
    return b
  }

  public var description: String { "\(tcamBlocks) TCAM blocks, \(stages) stages" }
}

/// The two meanings of a sub-model's `Other` class.
public enum OtherVariant: String, Sendable, Codable, CaseIterable {
  /// Every class outside the block (the reference, chapter 04).
  case reference
  /// Only the classes placed after it; the last switch has none (chapter 05, §6.8).
  case downstream
}

/// A DUNE chain designed for a partition: one selected sub-model per block, their order, and the
/// forests each switch hosts in both variants.
public struct ChainDesign: Sendable {
  public var blocks: [ClusterDefinition]
  /// Per block (cluster order): the selected grid point.
  public var selected: [ClusterCandidate]
  /// Cluster ids, first switch first (exact sequencing, §7).
  public var order: [Int]
  /// Per variant: the switches' forests in chain order.
  public var chains: [OtherVariant: [ChainAssembly.Member]]
}

/// How one chain did on the replayed test traffic, and what it needs per switch.
public struct ChainOutcome: Sendable, Codable, Equatable {
  public var variant: OtherVariant
  public var switches: Int
  /// Chained FL / PL macro F1, fractions; strict counts an unknown result as an error.
  public var macroF1FL: Double
  public var weightedF1FL: Double
  public var macroF1PL: Double
  public var macroF1FLExcludingUnknown: Double
  public var unknownPackets: Int
  /// Resources of the busiest switch and of the whole chain (resource model estimates).
  public var maxTCAMBlocks: Int
  public var totalTCAMBlocks: Int
  public var maxStages: Int
  /// Whether every switch fits the limits the chain was designed for (always true without limits).
  public var fits: Bool

  init(variant: OtherVariant, report: ChainReport, estimates: [ResourceEstimate], limits: SwitchLimits?) {
    self.variant = variant
    switches = estimates.count
    macroF1FL = report.strict.flowLevel.macroF1
    weightedF1FL = report.strict.flowLevel.weightedF1
    macroF1PL = report.strict.packetLevel.macroF1
    macroF1FLExcludingUnknown = report.excludingUnknown.flowLevel.macroF1
    unknownPackets = report.unknownPackets
    maxTCAMBlocks = estimates.map(\.tcamBlocks).max() ?? 0
    totalTCAMBlocks = estimates.reduce(0) { $0 + $1.tcamBlocks }
    maxStages = estimates.map(\.stages).max() ?? 0
    fits = limits.map { l in estimates.allSatisfy { $0.fit(under: l.budget).fits } } ?? true
  }
}

/// The monolithic switch an experiment compares with: the grid's best forest within the limits.
public struct MonolithicOutcome: Sendable, Codable, Equatable {
  public var row: MonolithicGrid.Row
  public var macroF1FL: Double
  public var weightedF1FL: Double
  public var macroF1PL: Double
  public var macroF1FLExcludingUnknown: Double
  public var tcamBlocks: Int
  public var stages: Int
}

extension MonolithicGrid.Row: Codable {
  enum CodingKeys: String, CodingKey { case n, features, trees, leafBudget, macroF1FL, tcamBlocks, fits }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      n: try c.decode(Int.self, forKey: .n), features: try c.decode(Int.self, forKey: .features),
      trees: try c.decode(Int.self, forKey: .trees), leafBudget: try c.decode(Int.self, forKey: .leafBudget),
      macroF1FL: try c.decode(Double.self, forKey: .macroF1FL), tcamBlocks: try c.decode(Int.self, forKey: .tcamBlocks),
      fits: try c.decode(Bool.self, forKey: .fits))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(n, forKey: .n)
    try c.encode(features, forKey: .features)
    try c.encode(trees, forKey: .trees)
    try c.encode(leafBudget, forKey: .leafBudget)
    try c.encode(macroF1FL, forKey: .macroF1FL)
    try c.encode(tcamBlocks, forKey: .tcamBlocks)
    try c.encode(fits, forKey: .fits)
  }
}

/// The DUNE pipeline from a partition to emulated chains, for one seed, remembering what it has
/// computed: a block's constrained grid is run once and serves every budget and every partition
/// holding that block; a grid point is refitted once whatever selects it; the monolithic grid is
/// run once and serves every budget.
///
/// Everything is a pure function of the data, the seed and the inputs, so two labs with the same
/// seed compute the same numbers. A lab is used from one thread; its work runs on
/// `threads` workers.
public final class ChainLab {
  public let data: ExperimentData
  public let seed: UInt64
  public let threads: Int

  /// A sub-model refitted for a block.
  struct Fitted: Sendable {
    var model: ForestModel
    /// Local predictions on every test row of its N.
    var predictions: [Int32]
    var estimate: ResourceEstimate
  }

  struct FitKey: Hashable {
    var block: [String]
    var candidate: ClusterCandidate
  }

  /// A sub-model retrained with downstream-only `Other`: its block, grid point and the classes after it.
  struct RetrainKey: Hashable {
    var block: [String]
    var candidate: ClusterCandidate
    var downstream: [Int]
    var isLast: Bool
  }

  struct DesignKey: Hashable {
    var blocks: [[String]]
    var selected: [ClusterCandidate]
  }

  private var grids: [[String]: [ClusterCandidate]] = [:]
  private var retrained: [RetrainKey: ForestModel] = [:]
  private var designs: [DesignKey: ChainDesign] = [:]
  private var fits: [FitKey: Fitted] = [:]
  private var outcomes: [String: [ChainOutcome]] = [:]
  private var monolithicRows: [MonolithicGrid.Row]?
  private var rankings: [Int: [Int]] = [:]
  private var monolithicFits: [Int: (selection: MonolithicGrid.Selection, estimate: ResourceEstimate)] = [:]
  private var monolithicRuns: [Int: ChainReport] = [:]

  /// A lab for `seed` (the seed of every forest it trains).
  public init(data: ExperimentData, seed: UInt64, threads: Int = defaultThreadCount) {
    var d = data
    d.cluster.grid.seed = seed
    d.cluster.grid.threads = threads
    d.monolithic.seed = seed
    self.data = d
    self.seed = seed
    self.threads = max(1, threads)
  }

  /// Hands the lab a block's grid computed elsewhere with the same seed and settings (chapter 04's
  /// `candidates.csv`), so it is not run again.
  public func preload(block classes: [String], candidates: [ClusterCandidate]) {
    grids[classes] = candidates
  }

  /// The constrained-grid candidates of every block (in block order); blocks not seen before are
  /// analysed together, as chapter 04 does.
  public func candidates(_ blocks: [ClusterDefinition]) throws -> [[ClusterCandidate]] {
    var missing: [ClusterDefinition] = []
    for b in blocks where grids[b.classes] == nil && !missing.contains(where: { $0.classes == b.classes }) {
      missing.append(ClusterDefinition(id: missing.count, classes: b.classes, sppFeatures: b.sppFeatures))
    }
    if !missing.isEmpty {
      let result = try ClusterAnalysis.run(data: data.samples, clusters: missing, settings: data.cluster)
      for c in result.clusters {
        grids[c.definition.classes] = c.rows.map(ClusterCandidate.init)
        // The analysis refitted its own selection already.
        let fitted = Fitted(
          model: c.model, predictions: c.predictions,
          estimate: ResourceModel.estimate(
            try TableCompiler.compile(
              c.model, options: CompileOptions(name: "estimate", inferencePoint: c.selected.n, scheme: data.scheme))))
        fits[FitKey(block: c.definition.classes, candidate: ClusterCandidate(c.selected))] = fitted
      }
    }
    return blocks.map { grids[$0.classes]! }
  }

  /// Valid lower bounds of a candidate's TCAM blocks and stages (the widest tree's code table;
  /// `ResourceModel.minimumStages`), to skip refits that cannot fit.
  static func mightFit(_ c: ClusterCandidate, _ limits: SwitchLimits) -> Bool {
    let codeBlocks = (max(0, c.maxLeaves - 1) + 43) / 44
    return codeBlocks <= limits.tcamBlocks && ResourceModel.minimumStages(trees: c.trees) <= limits.stages
  }

  /// Designs the chain for `blocks`: per block the best candidate by the success score (§6.5) among
  /// those whose refitted sub-model fits `limits` (all of them without limits), the exact order
  /// (§7), and the downstream-only `Other` retraining for that order (§6.8). nil when some block
  /// has no candidate within the limits.
  public func design(_ blocks: [ClusterDefinition], limits: SwitchLimits? = nil) throws -> ChainDesign? {
    let grids = try candidates(blocks)
    // Walk each block's candidates best first until one fits; refits run on every core, blocks in
    // parallel, and what they find is remembered for the next budget.
    let known = fits
    let data = self.data
    let walks = try parallelMap(count: blocks.count, threads: threads) {
      q -> (pick: ClusterCandidate?, new: [(FitKey, Fitted)]) in
      let block = blocks[q].classes
      var new: [(FitKey, Fitted)] = []
      for c in grids[q].sorted(by: ClusterSelection.isBetter) {
        let key = FitKey(block: block, candidate: c)
        guard let l = limits else {
          if known[key] == nil { new.append((key, try Self.refit(c, block: block, data: data))) }
          return (c, new)
        }
        guard Self.mightFit(c, l) else { continue }
        let f = try known[key] ?? Self.refit(c, block: block, data: data)
        if known[key] == nil { new.append((key, f)) }
        if f.estimate.fit(under: l.budget).fits { return (c, new) }
      }
      return (nil, new)
    }
    for w in walks { for (k, f) in w.new { fits[k] = f } }
    guard walks.allSatisfy({ $0.pick != nil }) else { return nil }
    let selected = walks.map { $0.pick! }
    // Budgets that select the same sub-models share one design.
    let designKey = DesignKey(blocks: blocks.map(\.classes), selected: selected)
    if let d = designs[designKey] { return d }
    let fitted = zip(blocks, selected).map { fits[FitKey(block: $0.classes, candidate: $1)]! }

    // Sequencing from the selected sub-models' claims (the FP matrix of §7.1) and their F1.
    let labellings = try blocks.map { try ClusterLabelling(clusterClasses: $0.classes, useCaseClasses: data.classes) }
    var clusterOf = [Int?](repeating: nil, count: data.classes.count)
    for (q, l) in labellings.enumerated() { for g in l.globalOfLocal { clusterOf[g] = q } }
    let claims = ClusterClaims(
      predictions: fitted.map(\.predictions), tests: try selected.map { try data.samples.point($0.n).test },
      labellings: labellings, clusterOfClass: clusterOf)
    let fp = try ClusterFalsePositiveMatrix(claimsBySubModel: claims.claims)
    let problem = try SequencingProblem(falsePositive: fp.percent, f1Percent: selected.map { $0.macroF1 * 100 })
    let order = SequencingSolver.solve(problem).order

    // Downstream-only Other: each position retrained once for its block, grid point and the classes
    // after it, whatever chain it sits in.
    let keys = order.indices.map { p in
      RetrainKey(
        block: blocks[order[p]].classes, candidate: selected[order[p]],
        downstream: order[(p + 1)...].flatMap { labellings[$0].globalOfLocal }.sorted(), isLast: p == order.count - 1)
    }
    var pending: [RetrainKey] = []
    for k in keys where retrained[k] == nil && !pending.contains(k) { pending.append(k) }
    let missing = pending
    let settings = data.cluster.grid
    let samples = data.samples
    let models = try parallelMap(count: missing.count, threads: threads) { i -> ForestModel in
      let k = missing[i]
      let spec = DownstreamOtherRetraining.Spec(
        cluster: 0, classes: k.block, n: k.candidate.n, features: k.candidate.features, trees: k.candidate.trees,
        leafBudget: k.candidate.leafBudget)
      return try DownstreamOtherRetraining.retrain(
        spec, downstream: k.downstream, isLast: k.isLast, data: samples, settings: settings, threads: 1
      ).model
    }
    for (k, m) in zip(missing, models) { retrained[k] = m }
    var byCluster: [Int: ForestModel] = [:]
    for (p, q) in order.enumerated() { byCluster[q] = retrained[keys[p]]! }
    let design = ChainDesign(
      blocks: blocks, selected: selected, order: order,
      chains: [
        .reference: order.map {
          ChainAssembly.Member(name: "cluster\($0)", model: fitted[$0].model, inferencePoint: selected[$0].n)
        },
        .downstream: order.map {
          ChainAssembly.Member(name: "cluster\($0)", model: byCluster[$0]!, inferencePoint: selected[$0].n)
        },
      ])
    designs[designKey] = design
    return design
  }

  /// Refits grid point `c` of `block` (with the lab's seed: the very forest the grid scored).
  static func refit(_ c: ClusterCandidate, block: [String], data: ExperimentData) throws -> Fitted {
    let labelling = try ClusterLabelling(clusterClasses: block, useCaseClasses: data.classes)
    let point = try data.samples.point(c.n)
    let columns = try c.features.map { f in
      guard let i = data.samples.features.firstIndex(of: f) else {
        throw ClusterAnalysisError("feature '\(f)' was not loaded")
      }
      return i
    }
    let train = labelling.relabel(point.train).selecting(features: columns)
    let test = labelling.relabel(point.test).selecting(features: columns)
    let model = try RandomForest.train(
      train, classes: labelling.classes, features: c.features,
      parameters: data.cluster.grid.parameters(trees: c.trees, leaves: c.leafBudget), threads: 1)
    let compiled = try TableCompiler.compile(
      model, options: CompileOptions(name: "estimate", inferencePoint: c.n, scheme: data.scheme))
    return Fitted(
      model: model, predictions: model.predictSoft(test.matrix, threads: 1), estimate: ResourceModel.estimate(compiled))
  }

  /// Both variants of `design` compiled and replayed through the emulator (in parallel), with their
  /// per-switch resources checked against `limits`.
  public func evaluate(_ design: ChainDesign, limits: SwitchLimits? = nil) throws -> [ChainOutcome] {
    let key = "\(design.blocks.map(\.classes))|\(design.selected)|\(limits.map { "\($0)" } ?? "-")"
    if let o = outcomes[key] { return o }
    let data = self.data
    let variants = OtherVariant.allCases
    let out = try parallelMap(count: variants.count, threads: threads) { i -> ChainOutcome in
      let compiled = try ChainAssembly.compile(design.chains[variants[i]]!, scheme: data.scheme)
      let emulator = try ChainEmulator(stages: compiled.map(ChainStage.init), config: data.emulator)
      return ChainOutcome(
        variant: variants[i], report: emulator.run(data.replay).report,
        estimates: compiled.map { ResourceModel.estimate($0) }, limits: limits)
    }
    outcomes[key] = out
    return out
  }

  /// The grid rows of the monolithic baseline over every loaded inference point (run once).
  public func monolithicGrid() throws -> [MonolithicGrid.Row] {
    if let r = monolithicRows { return r }
    let rows = try MonolithicGrid.run(
      points: data.samples.points.map { MonolithicGrid.Point(n: $0.n, train: $0.train, test: $0.test) },
      classes: data.classes, features: data.samples.features, settings: data.monolithic, scheme: data.scheme,
      budget: .tofino1, threads: threads
    ).rows
    monolithicRows = rows
    return rows
  }

  /// The monolithic switch within `limits` using one of `inferencePoints` (the chain's, as
  /// chapter 06 does): the grid's preferred forest that fits, replayed; nil when none fits.
  public func monolithic(limits: SwitchLimits, inferencePoints: Set<Int>) throws -> MonolithicOutcome? {
    let rows = try monolithicGrid()
    let order = MonolithicGrid.preferenceOrder(rows)
    for row in order where inferencePoints.contains(row.n) {
      guard row.tcamBlocks <= limits.tcamBlocks, ResourceModel.minimumStages(trees: row.trees) <= limits.stages
      else { continue }
      let index = rows.firstIndex(of: row)!
      let fitted = try monolithicFit(index, row: row)
      guard fitted.estimate.fit(under: limits.budget).fits else { continue }
      let report: ChainReport
      if let r = monolithicRuns[index] {
        report = r
      } else {
        let emulator = try ChainEmulator(stages: [ChainStage(fitted.selection.compiled)], config: data.emulator)
        report = emulator.run(data.replay).report
        monolithicRuns[index] = report
      }
      return MonolithicOutcome(
        row: row, macroF1FL: report.strict.flowLevel.macroF1, weightedF1FL: report.strict.flowLevel.weightedF1,
        macroF1PL: report.strict.packetLevel.macroF1,
        macroF1FLExcludingUnknown: report.excludingUnknown.flowLevel.macroF1, tcamBlocks: fitted.estimate.tcamBlocks,
        stages: fitted.estimate.stages)
    }
    return nil
  }

  private func monolithicFit(_ index: Int, row: MonolithicGrid.Row) throws -> (
    selection: MonolithicGrid.Selection, estimate: ResourceEstimate
  ) {
    if let f = monolithicFits[index] { return f }
    let point = try data.samples.point(row.n)
    let p = MonolithicGrid.Point(n: point.n, train: point.train, test: point.test)
    let ranking: [Int]
    if let r = rankings[row.n] {
      ranking = r
    } else {
      ranking = try MonolithicGrid.ranking(
        p, classes: data.classes, features: data.samples.features, settings: data.monolithic)
      rankings[row.n] = ranking
    }
    let selection = try MonolithicGrid.fit(
      row, point: p, ranking: ranking, classes: data.classes, features: data.samples.features,
      settings: data.monolithic, scheme: data.scheme)
    let f = (selection, ResourceModel.estimate(selection.compiled))
    monolithicFits[index] = f
    return f
  }
}
