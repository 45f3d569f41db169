import DUNESupport
import Forest

/// The "downstream-only `Other`" option (`dune-reference.md` §6.8, `[ERA]`), for a given order.
///
/// After sequencing, the sub-model at position p is retrained with `Other` = the classes of the
/// sub-models placed after it; rows of classes handled upstream are removed from its training and
/// test data (flows claimed upstream never reach it). The last sub-model has no `Other`. Each keeps
/// its selected hyper-parameters (N, trees, leaf budget, features).
public enum DownstreamOtherRetraining {
  /// What the retraining keeps of one selected sub-model: its block and its hyper-parameters.
  public struct Spec: Sendable, Equatable {
    /// Cluster id = index in the list handed to `run`.
    public var cluster: Int
    /// The block's classes, in `Class List` order (the local class order).
    public var classes: [String]
    public var n: Int
    /// Feature names in the selected model's order.
    public var features: [String]
    public var trees: Int
    public var leafBudget: Int

    public init(cluster: Int, classes: [String], n: Int, features: [String], trees: Int, leafBudget: Int) {
      self.cluster = cluster
      self.classes = classes
      self.n = n
      self.features = features
      self.trees = trees
      self.leafBudget = leafBudget
    }
  }

  /// One retrained sub-model.
  public struct SubModel: Sendable {
    public var cluster: Int
    public var position: Int
    public var n: Int
    public var model: ForestModel
    /// Use-case class index of each local class except `Other` (the cluster's classes).
    public var ownClasses: [Int]
    /// Evaluation on its own test rows (upstream classes removed), local labels.
    public var evaluation: FlowPacketEvaluation
    /// Local predictions on EVERY test row of its N (the chain can hand it any packet).
    public var predictions: [Int32]
  }

  /// One sub-model retrained for its place in a chain: `Other` = the use-case classes `downstream`
  /// (those of the switches after it); rows of every other class outside the block are dropped. The
  /// last switch (`isLast`) has no `Other`. `position` of the result is 0; `run` sets it.
  public static func retrain(
    _ spec: Spec, downstream: [Int], isLast: Bool, data: ClusterAnalysisData, settings: ConstrainedGrid.Settings,
    threads: Int
  ) throws -> SubModel {
    let own = try ClusterLabelling(clusterClasses: spec.classes, useCaseClasses: data.classes).globalOfLocal
    let classes = isLast ? spec.classes : spec.classes + [ClusterLabelling.otherName]
    // Local label of each use-case class; −1 = row removed (upstream or in no cluster downstream).
    var local = [Int32](repeating: -1, count: data.classes.count)
    for (i, g) in own.enumerated() { local[g] = Int32(i) }
    if !isLast { for g in downstream where local[g] < 0 { local[g] = Int32(own.count) } }
    let point = try data.point(spec.n)
    let columns = try spec.features.map { f in
      guard let i = data.features.firstIndex(of: f) else {
        throw ClusterAnalysisError("feature '\(f)' was not loaded")
      }
      return i
    }
    func restrict(_ set: LabelledSet) -> LabelledSet {
      let rows = set.labels.indices.filter { local[Int(set.labels[$0])] >= 0 }
      var s = set.selectingRows(rows).selecting(features: columns)
      s.labels = s.labels.map { local[Int($0)] }
      return s
    }
    let train = restrict(point.train)
    let test = restrict(point.test)
    let model = try RandomForest.train(
      train, classes: classes, features: spec.features,
      parameters: settings.parameters(trees: spec.trees, leaves: spec.leafBudget), threads: threads)
    let evaluation = FlowPacketEvaluation(
      test: test, predictions: model.predictSoft(test.matrix, threads: threads), classCount: classes.count)
    let all = point.test.selecting(features: columns)
    return SubModel(
      cluster: spec.cluster, position: 0, n: spec.n, model: model, ownClasses: own, evaluation: evaluation,
      predictions: model.predictSoft(all.matrix, threads: threads))
  }

  /// The retrained sub-models (in `order`) and their chained evaluation in that order.
  public static func run(
    _ result: ClusterAnalysis.Result, data: ClusterAnalysisData, order: [Int], settings: ConstrainedGrid.Settings
  ) throws -> (subModels: [SubModel], chained: ChainedEvaluation) {
    let specs = result.clusters.enumerated().map { q, c in
      Spec(
        cluster: q, classes: c.definition.classes, n: c.selected.n, features: c.selected.features,
        trees: c.selected.treeCount, leafBudget: c.selected.leafBudget)
    }
    return try run(specs, data: data, order: order, settings: settings)
  }

  /// The sub-models of `specs` (spec q = cluster q) retrained for `order`, and their chained
  /// evaluation; the sub-models are trained in parallel (`settings.threads`).
  public static func run(
    _ specs: [Spec], data: ClusterAnalysisData, order: [Int], settings: ConstrainedGrid.Settings
  ) throws -> (subModels: [SubModel], chained: ChainedEvaluation) {
    let n = specs.count
    guard order.count == n, Set(order) == Set(0..<n) else {
      throw ClusterAnalysisError("order \(order) is not a permutation of the \(n) clusters")
    }
    for (q, s) in specs.enumerated() where s.cluster != q {
      throw ClusterAnalysisError("spec \(q) has cluster id \(s.cluster); ids must be 0…\(n - 1) in order")
    }
    let labellings = try specs.map { try ClusterLabelling(clusterClasses: $0.classes, useCaseClasses: data.classes) }
    let subModels = try parallelMap(count: n, threads: settings.threads) { position -> SubModel in
      let q = order[position]
      let downstream = order[(position + 1)...].flatMap { labellings[$0].globalOfLocal }
      var m = try retrain(
        specs[q], downstream: downstream, isLast: position == n - 1, data: data, settings: settings, threads: 1)
      m.position = position
      return m
    }
    // Chain: sub-model list in cluster order so the order's indices stay cluster ids.
    var byCluster = [ChainSubModel?](repeating: nil, count: n)
    for s in subModels {
      byCluster[s.cluster] = ChainSubModel(n: s.n, ownClasses: s.ownClasses, predictions: s.predictions)
    }
    var indexes: [Int: TestFlowIndex] = [:]
    for p in data.points { indexes[p.n] = p.testIndex }
    let chained = try ChainedEvaluation.evaluate(
      order: order, subModels: byCluster.map { $0! }, indexes: indexes, classCount: data.classes.count)
    return (subModels, chained)
  }
}
