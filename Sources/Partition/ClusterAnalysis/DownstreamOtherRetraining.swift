import Forest

/// The "downstream-only `Other`" option (`dune-reference.md` §6.8, `[ERA]`), for a given order.
///
/// After sequencing, the sub-model at position p is retrained with `Other` = the classes of the
/// sub-models placed after it; rows of classes handled upstream are removed from its training and
/// test data (flows claimed upstream never reach it). The last sub-model has no `Other`. Each keeps
/// its selected hyper-parameters (N, trees, leaf budget, features).
public enum DownstreamOtherRetraining {
  /// One retrained sub-model.
  public struct SubModel: Sendable {
    public var cluster: Int
    public var position: Int
    public var model: ForestModel
    /// Use-case class index of each local class except `Other` (the cluster's classes).
    public var ownClasses: [Int]
    /// Evaluation on its own test rows (upstream classes removed), local labels.
    public var evaluation: FlowPacketEvaluation
    /// Local predictions on EVERY test row of its N (the chain can hand it any packet).
    public var predictions: [Int32]
  }

  /// The retrained sub-models (in `order`) and their chained evaluation in that order.
  public static func run(
    _ result: ClusterAnalysis.Result, data: ClusterAnalysisData, order: [Int], settings: ConstrainedGrid.Settings
  ) throws -> (subModels: [SubModel], chained: ChainedEvaluation) {
    let n = result.clusters.count
    guard order.count == n, Set(order) == Set(0..<n) else {
      throw ClusterAnalysisError("order \(order) is not a permutation of the \(n) clusters")
    }
    var subModels: [SubModel] = []
    for (position, q) in order.enumerated() {
      let c = result.clusters[q]
      let own = c.labelling.globalOfLocal
      let downstream = Set(order[(position + 1)...].flatMap { result.clusters[$0].labelling.globalOfLocal })
      let isLast = position == n - 1
      let classes = isLast ? c.definition.classes : c.definition.classes + [ClusterLabelling.otherName]
      // Local label of each use-case class; −1 = row removed (upstream or in no cluster downstream).
      var local = [Int32](repeating: -1, count: data.classes.count)
      for (i, g) in own.enumerated() { local[g] = Int32(i) }
      if !isLast { for g in downstream { local[g] = Int32(own.count) } }
      let point = try data.point(c.selected.n)
      let columns = try c.selected.features.map { f in
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
        train, classes: classes, features: c.selected.features,
        parameters: settings.parameters(trees: c.selected.treeCount, leaves: c.selected.leafBudget),
        threads: settings.threads)
      let evaluation = FlowPacketEvaluation(
        test: test, predictions: model.predictSoft(test.matrix, threads: settings.threads), classCount: classes.count)
      let all = point.test.selecting(features: columns)
      subModels.append(
        SubModel(
          cluster: q, position: position, model: model, ownClasses: own, evaluation: evaluation,
          predictions: model.predictSoft(all.matrix, threads: settings.threads)))
    }
    // Chain: sub-model list in cluster order so the order's indices stay cluster ids.
    var byCluster = [ChainSubModel?](repeating: nil, count: n)
    for s in subModels {
      byCluster[s.cluster] = ChainSubModel(
        n: result.clusters[s.cluster].selected.n, ownClasses: s.ownClasses, predictions: s.predictions)
    }
    var indexes: [Int: TestFlowIndex] = [:]
    for p in data.points { indexes[p.n] = p.testIndex }
    let chained = try ChainedEvaluation.evaluate(
      order: order, subModels: byCluster.map { $0! }, indexes: indexes, classCount: data.classes.count)
    return (subModels, chained)
  }
}
