import DUNESupport

/// Evaluates every (tree count, depth) truncation of one forest of deep trees in a single pass.
///
/// Exact because of how trees are seeded (`SeedDerivation`): the forest of t trees is the first t
/// trees of the deep forest, and the tree grown depth-first to depth d is the deep tree cut at depth
/// d (a node at depth d becomes a leaf with the same class counts). So for each test row we walk
/// each deep tree once, note the node on the path at every depth, and add that node's class
/// probabilities to one accumulator per depth; after tree t the accumulators hold the soft votes of
/// every t-tree forest. `ForestTests` prove the equality against independent fits.
public struct TruncatedForestEvaluator: Sendable {
  /// One evaluated point.
  public struct Point: Sendable {
    public var treeCount: Int
    public var maxDepth: Int
    /// Realised depth of each tree of the truncated forest.
    public var depths: [Int]
    /// Leaf count of each tree of the truncated forest.
    public var leaves: [Int]
    public var evaluation: FlowPacketEvaluation
  }

  public let trees: [DecisionTree]
  public let classCount: Int

  /// `trees` must have been grown depth-first with a depth limit ≥ every depth evaluated.
  public init(trees: [DecisionTree], classCount: Int) {
    self.trees = trees
    self.classCount = classCount
  }

  /// Node depths of a tree (children always have larger ids than their parent).
  static func nodeDepths(_ t: DecisionTree) -> [Int] {
    var d = [Int](repeating: 0, count: t.nodeCount)
    for v in 0..<t.nodeCount where !t.isLeaf(v) {
      d[Int(t.left[v])] = d[v] + 1
      d[Int(t.right[v])] = d[v] + 1
    }
    return d
  }

  /// Realised depth and leaf count of `t` cut at depth `cut`.
  static func truncatedShape(_ t: DecisionTree, depths: [Int], cut: Int) -> (depth: Int, leaves: Int) {
    var maxDepth = 0
    var leaves = 0
    for v in 0..<t.nodeCount where depths[v] <= cut {
      maxDepth = max(maxDepth, depths[v])
      if t.isLeaf(v) || depths[v] == cut { leaves += 1 }
    }
    return (maxDepth, leaves)
  }

  /// Evaluates every `treeCounts × maxDepths` point on `test`; `treeCounts` must be ≤ `trees.count`.
  /// Points are returned ordered by tree count, then depth (both ascending).
  public func evaluate(test: LabelledSet, treeCounts: [Int], maxDepths: [Int], threads: Int = defaultThreadCount)
    -> [Point]
  {
    let trees = self.trees
    let depthsList = maxDepths.sorted()
    let counts = Set(treeCounts.filter { $0 >= 1 && $0 <= trees.count })
    let k = classCount
    let rows = test.rowCount
    let maxCut = depthsList.last ?? 0
    let width = maxCut + 1
    let shapes: [[(depth: Int, leaves: Int)]] = trees.map { t in
      let nd = Self.nodeDepths(t)
      return depthsList.map { Self.truncatedShape(t, depths: nd, cut: $0) }
    }
    let probabilities = trees.map(\.nodeProbabilities)
    // Node on the path of each row at each depth 0...maxCut, per tree (the leaf repeats below it).
    let paths: [[Int32]] = trees.map { t in
      let chunks = ForestModel.chunks(rows)
      let parts = parallelMap(count: chunks.count, threads: threads) { i -> [Int32] in
        var out = [Int32]()
        out.reserveCapacity(chunks[i].count * width)
        let n = test.matrix.rowCount
        test.matrix.values.withUnsafeBufferPointer { x in
          t.feature.withUnsafeBufferPointer { feat in
            t.threshold.withUnsafeBufferPointer { thr in
              t.left.withUnsafeBufferPointer { lo in
                t.right.withUnsafeBufferPointer { hi in
                  for r in chunks[i] {
                    var v = 0
                    for _ in 0..<width {
                      out.append(Int32(v))
                      if lo[v] >= 0 {
                        v = Double(x[Int(feat[v]) * n + r]) <= thr[v] ? Int(lo[v]) : Int(hi[v])
                      }
                    }
                  }
                }
              }
            }
          }
        }
        return out
      }
      return parts.flatMap { $0 }
    }
    // One worker per depth: its accumulator sees the trees in order, so the sums equal a direct fit's.
    let perDepth = parallelMap(count: depthsList.count, threads: threads) { di -> [Point] in
      let cut = depthsList[di]
      var acc = [Double](repeating: 0, count: rows * k)
      var points: [Point] = []
      var predictions = [Int32](repeating: 0, count: rows)
      acc.withUnsafeMutableBufferPointer { a in
        for (ti, _) in trees.enumerated() {
          probabilities[ti].withUnsafeBufferPointer { p in
            paths[ti].withUnsafeBufferPointer { path in
              for r in 0..<rows {
                let node = Int(path[r * width + cut])
                let src = node * k
                let dst = r * k
                for c in 0..<k { a[dst + c] += p[src + c] }
              }
            }
          }
          guard counts.contains(ti + 1) else { continue }
          for r in 0..<rows {
            let base = r * k
            var best = 0
            for c in 1..<max(k, 1) where a[base + c] > a[base + best] { best = c }
            predictions[r] = Int32(best)
          }
          points.append(
            Point(
              treeCount: ti + 1, maxDepth: cut, depths: shapes[0...ti].map { $0[di].depth },
              leaves: shapes[0...ti].map { $0[di].leaves },
              evaluation: FlowPacketEvaluation(test: test, predictions: predictions, classCount: k)))
        }
      }
      return points
    }
    var all: [Point] = []
    for list in perDepth { all.append(contentsOf: list) }
    all.sort { ($0.treeCount, $0.maxDepth) < ($1.treeCount, $1.maxDepth) }
    return all
  }
}

extension DecisionTree {
  /// The tree a depth-first fit with `maxDepth` would have grown, cut from this tree (which must have
  /// been grown depth-first, at least that deep, on the same data and seed).
  ///
  /// Why it is exact: a node's split depends only on its samples and its path seed, so the fit to
  /// `maxDepth` makes every split this tree makes above that depth and stops at it; depth-first
  /// growth numbers nodes in preorder (left subtree first), so the kept nodes keep their order and
  /// are renumbered consecutively. Proved against direct fits in `ShortcutTests`.
  public func truncated(toDepth maxDepth: Int) -> DecisionTree {
    let depth = TruncatedForestEvaluator.nodeDepths(self)
    var newID = [Int32](repeating: -1, count: nodeCount)
    var kept: [Int] = []
    for v in 0..<nodeCount where depth[v] <= maxDepth {
      newID[v] = Int32(kept.count)
      kept.append(v)
    }
    var t = DecisionTree(
      feature: kept.map { feature[$0] }, threshold: kept.map { threshold[$0] }, left: kept.map { left[$0] },
      right: kept.map { right[$0] }, weightedSamples: kept.map { weightedSamples[$0] },
      impurity: kept.map { impurity[$0] }, value: kept.flatMap { value[($0 * classCount)..<(($0 + 1) * classCount)] },
      classCount: classCount)
    for (i, v) in kept.enumerated() {
      if depth[v] == maxDepth || isLeaf(v) {
        t.feature[i] = -1
        t.threshold[i] = -2
        t.left[i] = -1
        t.right[i] = -1
      } else {
        t.left[i] = newID[Int(left[v])]
        t.right[i] = newID[Int(right[v])]
      }
    }
    return t
  }
}
