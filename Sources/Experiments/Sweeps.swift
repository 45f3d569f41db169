import DUNESupport
import DataPlane
import Forest
import Partition

/// DUNE (both `Other` variants) and the monolithic switch under one set of per-switch limits.
public struct Comparison: Sendable, Codable, Equatable {
  /// The limits the sub-models were selected under (nil: chapter 04's selection, no limits).
  public var limits: SwitchLimits?
  /// The limits the monolithic switch got.
  public var monolithicLimits: SwitchLimits
  public var blocks: Int
  public var order: [Int]
  /// Per block (cluster order): N, trees, leaf budget and feature count of the selected sub-model.
  public var selected: [ClusterCandidate]
  /// Reference, then downstream-only `Other`; empty when some block has no sub-model within the limits.
  public var dune: [ChainOutcome]
  /// nil when no monolithic forest fits.
  public var monolithic: MonolithicOutcome?

  /// The outcome of one variant.
  public func dune(_ v: OtherVariant) -> ChainOutcome? { dune.first { $0.variant == v } }

  /// DUNE's strict FL macro F1 minus the monolithic switch's (fractions), when both exist.
  public func advantage(_ v: OtherVariant) -> Double? {
    guard let d = dune(v), let m = monolithic else { return nil }
    return d.macroF1FL - m.macroF1FL
  }
}

extension ChainLab {
  /// DUNE's chain for `blocks` selected under `limits` (chapter 04's selection when nil), emulated in
  /// both variants, against the monolithic switch within `monolithicLimits` — by default as
  /// chapter 06 sets it: the TCAM of the busiest switch of either variant and a Tofino-1's stages,
  /// on the chain's inference points.
  public func compare(
    _ blocks: [ClusterDefinition], limits: SwitchLimits? = nil, monolithicLimits: SwitchLimits? = nil
  ) throws -> Comparison {
    guard let design = try design(blocks, limits: limits) else {
      let m = monolithicLimits ?? limits!
      return Comparison(
        limits: limits, monolithicLimits: m, blocks: blocks.count, order: [], selected: [], dune: [],
        monolithic: try monolithic(limits: m, inferencePoints: Set(data.cluster.inferencePoints)))
    }
    let outcomes = try evaluate(design, limits: limits)
    let m =
      monolithicLimits
      ?? SwitchLimits(
        tcamBlocks: outcomes.map(\.maxTCAMBlocks).max() ?? 0, stages: SwitchBudget.tofino1.stages)
    return Comparison(
      limits: limits, monolithicLimits: m, blocks: blocks.count, order: design.order, selected: design.selected,
      dune: outcomes, monolithic: try monolithic(limits: m, inferencePoints: Set(design.selected.map(\.n))))
  }
}

/// The blocks of an SPP solution as chapter 04 reads them (`partition.csv`, cluster q = block q).
public func clusterDefinitions(_ solution: SPPSolution) -> [ClusterDefinition] {
  zip(solution.blockClassNames, solution.blockFeatureNames).enumerated().map {
    ClusterDefinition(id: $0.offset, classes: $0.element.0, sppFeatures: $0.element.1)
  }
}

/// Chapter 02's best forest as `best_model.json` describes it, retrained with another seed: its
/// per-class feature importance and per-class F1 are the partitioning's inputs (W and F).
public struct BigForest: Sendable, Codable, Equatable {
  public var n: Int
  public var trees: Int
  /// The realised depth the forest is grown to.
  public var maxDepth: Int
  /// Its features, in rank order (W's columns).
  public var features: [String]

  public init(n: Int, trees: Int, maxDepth: Int, features: [String]) {
    self.n = n
    self.trees = trees
    self.maxDepth = maxDepth
    self.features = features
  }

  /// W and F of the forest trained with `seed` on `prepared` (the set of N = `n` over `columns`,
  /// chapter 02's feature list), as chapter 02 writes them and chapter 03 reads them (the first
  /// `sppFeatures` columns of W, every class).
  public func partitionProblem(
    prepared: DatasetPreparation.Prepared, classes: [String], seed: UInt64, sppFeatures: Int, threads: Int
  ) throws -> SPPProblem {
    let indices = try features.map { f in
      guard let i = prepared.features.firstIndex(of: f) else {
        throw UsageError("feature '\(f)' of the best model was not loaded")
      }
      return i
    }
    let model = try RandomForest.train(
      prepared.train.selecting(features: indices), classes: classes, features: features,
      parameters: ForestParameters(treeCount: trees, growth: .depthFirst(maxDepth: maxDepth), seed: seed),
      threads: threads)
    let test = prepared.test.selecting(features: indices)
    let evaluation = FlowPacketEvaluation(
      test: test, predictions: model.predictSoft(test.matrix, threads: threads), classCount: classes.count)
    // Through the file formats of chapters 02 and 03, so the instance is exactly the one they build.
    let w = GridOutputs.importanceWeightsCSV(FeatureImportance.pcfi(model), classes: classes, features: features)
    let f = GridOutputs.scorePerClassCSV(evaluation.fl, classes: classes)
    let weights = try CSVTable.parse(CSVReader(bytes: Array(w.utf8), path: "importance_weights.csv"))
    let scores = try CSVTable.parse(CSVReader(bytes: Array(f.utf8), path: "score_per_class.csv"))
    return try SPPProblem.parse(
      weights: weights, scores: scores,
      options: SPPLoadOptions(
        classes: min(weights.records.count, SPPProblem.maxClasses),
        features: min(sppFeatures, max(1, weights.header.count - 1)), unwanted: []))
  }
}
