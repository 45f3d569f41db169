import DUNESupport
import Forest
import Foundation
import Partition
import Shards

/// A computation that splits into work units and runs shard by shard anywhere (`dune shard run`).
protocol ShardedComputation: SendableMetatype {
  associatedtype Parameters: Codable & Sendable
  associatedtype Payload: Codable & Sendable
  /// The job kind written into `job.json`.
  static var kind: String { get }
  /// Computes the units `units` (indices into the computation's unit list) from the job's inputs.
  static func compute(_ parameters: Parameters, inputs folder: String, units: [Int], threads: Int) throws -> Payload
}

/// The sharded computations `dune shard run` can execute, by kind.
public enum ShardComputations {
  static let all: [any ShardedComputation.Type] = [ForestGridShards.self, ClusterGridShards.self]

  /// The kinds known to this build.
  public static var kinds: [String] { all.map { $0.kind } }

  /// Computes shard `index` of the job in `folder` and writes its result file (the worker side).
  public static func runShard(folder: String, index: Int, threads: Int) throws {
    let job = try ShardJob.open(folder)
    guard job.manifest.code == CodeIdentity.current else {
      throw UsageError(
        "job \(job.manifest.id.prefix(16)) was planned by another dune binary (\(job.manifest.code.prefix(16))), this is \(CodeIdentity.current.prefix(16)): run the same build on every node"
      )
    }
    guard (1...job.manifest.shardCount).contains(index) else {
      throw UsageError("shard \(index) outside 1…\(job.manifest.shardCount)")
    }
    guard let c = all.first(where: { $0.kind == job.manifest.kind }) else {
      throw UsageError("unknown shard job kind '\(job.manifest.kind)' (known: \(kinds.joined(separator: ", ")))")
    }
    try job.verifyInputs()
    try run(c, job: job, index: index, threads: threads)
  }

  private static func run<C: ShardedComputation>(_ c: C.Type, job: ShardJob, index: Int, threads: Int) throws {
    let parameters: C.Parameters
    do {
      parameters = try JSONDecoder().decode(C.Parameters.self, from: job.parameters())
    } catch {
      throw LocatedError(file: job.parametersPath, "does not describe a \(C.kind) job: \(error)")
    }
    let payload = try C.compute(
      parameters, inputs: job.inputsFolder, units: job.units(ofShard: index), threads: max(1, threads))
    try job.writeResult(shard: index, payload: payload)
  }

  static func encode<T: Encodable>(_ value: T) throws -> Data {
    try DeterministicJSON.data(value, pretty: false)
  }

  /// Byte size of a file (a unit's cost estimate: work grows with the rows it reads).
  static func size(_ path: String) -> Double {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.doubleValue ?? 1
  }
}

/// The unconstrained grid of chapter 02 (`UnconstrainedGrid`), one unit per (N, subset size).
enum ForestGridShards: ShardedComputation {
  struct Parameters: Codable, Sendable, Equatable {
    var useCase: String
    var classes: [String]
    var features: [String]
    var inferencePoints: [Int]
    var depths: [Int]
    var treeCounts: [Int]
    var subsetSizes: [Int]?
    var maxFeatures: MaxFeatures
    var criterion: SplitCriterion
    var seed: UInt64
    var ranking: UnconstrainedGrid.Ranking

    init(
      useCase: String, classes: [String], features: [String], inferencePoints: [Int],
      settings s: UnconstrainedGrid.Settings
    ) {
      self.useCase = useCase
      self.classes = classes
      self.features = features
      self.inferencePoints = inferencePoints
      depths = s.depths
      treeCounts = s.treeCounts
      subsetSizes = s.subsetSizes
      maxFeatures = s.maxFeatures
      criterion = s.criterion
      seed = s.seed
      ranking = s.ranking
    }

    func settings(threads: Int) -> UnconstrainedGrid.Settings {
      UnconstrainedGrid.Settings(
        depths: depths, treeCounts: treeCounts, subsetSizes: subsetSizes, maxFeatures: maxFeatures,
        criterion: criterion, seed: seed, threads: threads, ranking: ranking)
    }

    var units: [UnconstrainedGrid.Unit] {
      UnconstrainedGrid.units(
        inferencePoints: inferencePoints, featureCount: features.count, settings: settings(threads: 1))
    }
  }

  typealias Payload = [UnconstrainedGrid.UnitResult]
  static let kind = "forest.grid"

  /// The files a shard reads: both splits of every N and the flow counts.
  static func inputNames(useCase: String, inferencePoints: [Int]) -> [String] {
    Array(Set(inferencePoints)).sorted().flatMap { n in ["train", "test"].map { "\(useCase)_\($0)_\(n).csv" } }
      + ["train", "test"].map { "\(useCase)_\($0)_flow_counts.csv" }
  }

  static func compute(_ p: Parameters, inputs folder: String, units: [Int], threads: Int) throws -> Payload {
    let all = p.units
    let mine = units.map { all[$0] }
    let files = SampleFiles(folder: folder, useCase: p.useCase)
    let inputs = try Array(Set(mine.map(\.n))).sorted().map { n in
      let prepared = try files.load(n: n, classes: p.classes, features: p.features)
      return UnconstrainedGrid.Input(n: n, train: prepared.train, test: prepared.test)
    }
    return try UnconstrainedGrid.runUnits(
      mine, inputs: inputs, classes: p.classes, features: p.features, settings: p.settings(threads: threads))
  }

  /// Runs the grid where `execution` says, streaming rows to `onRow` in grid order.
  static func run(
    inputs: [UnconstrainedGrid.Input], parameters p: Parameters, samplesFolder: String, threads: Int,
    execution: StepExecution, onRow: (UnconstrainedGrid.Row) throws -> Void
  ) throws -> UnconstrainedGrid.Summary {
    let settings = p.settings(threads: threads)
    guard case .slurm = execution.mode else {
      return try UnconstrainedGrid.run(
        inputs: inputs, classes: p.classes, features: p.features, settings: settings, onRow: onRow)
    }
    let files = SampleFiles(folder: samplesFolder, useCase: p.useCase)
    var sources: [String: String] = [:]
    for name in inputNames(useCase: p.useCase, inferencePoints: p.inferencePoints) {
      sources[name] = (samplesFolder as NSString).appendingPathComponent(name)
    }
    let units = p.units
    let costs = units.map {
      ShardComputations.size(files.samplePath(split: "train", n: $0.n)) * Double($0.k).squareRoot()
    }
    let payloads = try execution.runSharded(Self.self, parameters: p, inputs: sources, costs: costs)
    return try UnconstrainedGrid.merge(
      payloads.flatMap { $0 }, inferencePoints: p.inferencePoints, featureCount: p.features.count, settings: settings,
      onRow: onRow)
  }
}

/// The per-cluster grids of chapter 04 (`ClusterAnalysis`), one unit per (cluster, N).
enum ClusterGridShards: ShardedComputation {
  struct Parameters: Codable, Sendable, Equatable {
    var useCase: String
    var classes: [String]
    /// The loaded columns (the cluster-analysis set ∪ every cluster's SPP features).
    var columns: [String]
    var clusters: [ClusterDefinition]
    var inferencePoints: [Int]
    var treeCounts: [Int]
    var leafBudgets: [Int]
    var subsetSizes: [Int]?
    var ranking: ConstrainedGrid.Ranking
    var maxFeatures: MaxFeatures
    var criterion: SplitCriterion
    var seed: UInt64
    var restrictToSPPFeatures: Bool
    var clusterFeatures: [String]

    init(
      useCase: String, classes: [String], columns: [String], clusters: [ClusterDefinition],
      settings s: ClusterAnalysis.Settings
    ) {
      self.useCase = useCase
      self.classes = classes
      self.columns = columns
      self.clusters = clusters
      inferencePoints = s.inferencePoints
      treeCounts = s.grid.treeCounts
      leafBudgets = s.grid.leafBudgets
      subsetSizes = s.grid.subsetSizes
      ranking = s.grid.ranking
      maxFeatures = s.grid.maxFeatures
      criterion = s.grid.criterion
      seed = s.grid.seed
      restrictToSPPFeatures = s.restrictToSPPFeatures
      clusterFeatures = s.clusterFeatures
    }

    func settings(threads: Int) -> ClusterAnalysis.Settings {
      ClusterAnalysis.Settings(
        grid: ConstrainedGrid.Settings(
          treeCounts: treeCounts, leafBudgets: leafBudgets, subsetSizes: subsetSizes, ranking: ranking,
          maxFeatures: maxFeatures, criterion: criterion, seed: seed, threads: threads),
        inferencePoints: inferencePoints, restrictToSPPFeatures: restrictToSPPFeatures,
        clusterFeatures: clusterFeatures)
    }
  }

  typealias Payload = [ClusterAnalysis.UnitResult]
  static let kind = "clusters"

  static func compute(_ p: Parameters, inputs folder: String, units: [Int], threads: Int) throws -> Payload {
    let settings = p.settings(threads: threads)
    let all = ClusterAnalysis.units(clusters: p.clusters, settings: settings)
    let mine = units.map { all[$0] }
    let data = try ClusterAnalysisData.load(
      folder: folder, useCase: p.useCase, inferencePoints: Array(Set(mine.map(\.n))).sorted(), classes: p.classes,
      features: p.columns)
    return try ClusterAnalysis.runUnits(mine, data: data, clusters: p.clusters, settings: settings)
  }

  /// Runs the cluster analysis where `execution` says; the selection (always local) keeps only
  /// candidates that pass `placement`.
  static func run(
    data: ClusterAnalysisData, parameters p: Parameters, samplesFolder: String, threads: Int,
    execution: StepExecution, placement: ClusterAnalysis.PlacementCheck? = nil
  ) throws -> ClusterAnalysis.Result {
    var settings = p.settings(threads: threads)
    settings.placement = placement
    guard case .slurm = execution.mode else {
      return try ClusterAnalysis.run(data: data, clusters: p.clusters, settings: settings)
    }
    var sources: [String: String] = [:]
    for name in ForestGridShards.inputNames(useCase: p.useCase, inferencePoints: p.inferencePoints) {
      sources[name] = (samplesFolder as NSString).appendingPathComponent(name)
    }
    let files = SampleFiles(folder: samplesFolder, useCase: p.useCase)
    let units = ClusterAnalysis.units(clusters: p.clusters, settings: settings)
    let costs = units.map { ShardComputations.size(files.samplePath(split: "train", n: $0.n)) }
    let payloads = try execution.runSharded(Self.self, parameters: p, inputs: sources, costs: costs)
    return try ClusterAnalysis.merge(payloads.flatMap { $0 }, data: data, clusters: p.clusters, settings: settings)
  }
}
