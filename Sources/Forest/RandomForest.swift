import DUNESupport
import Foundation

/// Random-forest training: independent CART trees, each seeded from the forest seed and its index.
public enum RandomForest {
  /// Trains `parameters.treeCount` trees on `data` using `threads` workers.
  ///
  /// Tree `t` depends only on the data, the parameters other than `treeCount`, and `t`: a forest of
  /// t trees is the first t trees of any larger forest with the same seed, whatever the thread count.
  public static func trainTrees(
    _ data: TrainingData, parameters: ForestParameters, trees range: Range<Int>? = nil,
    threads: Int = defaultThreadCount
  ) -> [DecisionTree] {
    let indices = range ?? 0..<parameters.treeCount
    let lower = indices.lowerBound
    let builders = BuilderPool(data: data, parameters: parameters)
    // With one feature and no bootstrap a tree does not depend on its seed: every node draws the
    // only feature, every row weighs what the data says. One fit serves every tree (the nested
    // top-1 subsets of the grids ask for forests of such trees).
    if data.featureCount == 1, !parameters.bootstrap, indices.count > 1 {
      let tree = builders.withBuilder { $0.build(treeSeed: SeedDerivation.treeSeed(parameters.seed, lower)) }
      return Array(repeating: tree, count: indices.count)
    }
    return parallelMap(count: indices.count, threads: threads) { i in
      builders.withBuilder { $0.build(treeSeed: SeedDerivation.treeSeed(parameters.seed, lower + i)) }
    }
  }

  /// Trains a forest model with the given class and feature names.
  public static func train(
    _ set: LabelledSet, classes: [String], features: [String], parameters: ForestParameters,
    threads: Int = defaultThreadCount
  ) throws -> ForestModel {
    precondition(features.count == set.matrix.featureCount, "feature names do not match the matrix")
    let data = try TrainingData(set, classCount: classes.count)
    let trees = trainTrees(data, parameters: parameters, threads: threads)
    return ForestModel(classes: classes, features: features, trees: trees)
  }
}

/// Reuses tree builders (and their scratch memory) across the trees a worker grows.
final class BuilderPool: @unchecked Sendable {
  private let lock = NSLock()
  private var free: [TreeBuilder] = []
  let data: TrainingData
  let parameters: ForestParameters

  init(data: TrainingData, parameters: ForestParameters) {
    self.data = data
    self.parameters = parameters
  }

  func withBuilder<T>(_ body: (TreeBuilder) -> T) -> T {
    lock.lock()
    let builder = free.popLast() ?? TreeBuilder(data: data, params: parameters)
    lock.unlock()
    let result = body(builder)
    lock.lock()
    free.append(builder)
    lock.unlock()
    return result
  }
}
