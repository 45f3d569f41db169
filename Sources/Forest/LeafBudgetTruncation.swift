import DUNESupport

/// Leaf-budget truncation of best-first trees: the tree grown to L leaves, cut from a larger one.
///
/// Why it is exact: best-first growth (`TreeBuilder.growBestFirst`) opens both children of every
/// split immediately, so expansion e (1-based) creates nodes `2e − 1` and `2e`; every node's split
/// is a function of its samples and its path seed (`SeedDerivation`), and the frontier choice is a
/// pure function of the frontier. A fit with budget L therefore performs exactly the first L − 1
/// expansions of a fit with a larger budget on the same data and seed: its nodes are the first
/// `2L − 1` nodes of the larger tree, and a kept node whose children lie beyond them is a leaf.
/// `ForestTests`-style proofs against independent fits live in `PartitionTests/ClusterAnalysisShortcutTests`.
extension DecisionTree {
  /// Number of nodes of this (best-first) tree cut to `maxLeaves` leaves.
  public func nodeLimit(leaves maxLeaves: Int) -> Int {
    min(nodeCount, 2 * max(2, maxLeaves) - 1)
  }

  /// The tree a best-first fit with leaf budget `maxLeaves` would have grown, cut from this tree
  /// (which must have been grown best-first, with a budget ≥ `maxLeaves`, on the same data and seed).
  public func truncated(toLeaves maxLeaves: Int) -> DecisionTree {
    let m = nodeLimit(leaves: maxLeaves)
    var t = DecisionTree(
      feature: Array(feature[0..<m]), threshold: Array(threshold[0..<m]), left: Array(left[0..<m]),
      right: Array(right[0..<m]), weightedSamples: Array(weightedSamples[0..<m]), impurity: Array(impurity[0..<m]),
      value: Array(value[0..<(m * classCount)]), classCount: classCount)
    for v in 0..<m where t.left[v] >= Int32(m) {
      t.feature[v] = -1
      t.threshold[v] = -2
      t.left[v] = -1
      t.right[v] = -1
    }
    return t
  }
}

/// Evaluates every (tree count, leaf budget) truncation of one forest of best-first trees in one pass.
///
/// The forest of t trees is the first t trees of the larger forest (`SeedDerivation.treeSeed`), and
/// the tree with budget b is `truncated(toLeaves: b)`. For a row, the leaf of the b-budget tree is the
/// first node on its path in the big tree whose children were created after expansion b − 1 (child id
/// ≥ 2b − 1); walking the path once serves every budget, in ascending order.
public struct LeafBudgetForestEvaluator: Sendable {
  /// One evaluated point.
  public struct Point: Sendable {
    public var treeCount: Int
    public var leafBudget: Int
    /// Realised depth of each tree of the truncated forest.
    public var depths: [Int]
    /// Realised leaf count of each tree of the truncated forest.
    public var leaves: [Int]
    public var evaluation: FlowPacketEvaluation
  }

  public let trees: [DecisionTree]
  public let classCount: Int

  /// `trees` must have been grown best-first with a leaf budget ≥ every budget evaluated.
  public init(trees: [DecisionTree], classCount: Int) {
    self.trees = trees
    self.classCount = classCount
  }

  /// Evaluates every `treeCounts × leafBudgets` point on `test` (tree counts > `trees.count` are
  /// skipped). Points are ordered by tree count, then budget, both ascending.
  public func evaluate(test: LabelledSet, treeCounts: [Int], leafBudgets: [Int], threads: Int = defaultThreadCount)
    -> [Point]
  {
    let trees = self.trees
    let budgets = Array(Set(leafBudgets.map { max(2, $0) })).sorted()
    let counts = Set(treeCounts.filter { $0 >= 1 && $0 <= trees.count })
    let k = classCount
    let rows = test.rowCount
    let width = budgets.count
    guard width > 0, !counts.isEmpty else { return [] }
    let shapes: [[(depth: Int, leaves: Int)]] = trees.map { t in
      budgets.map { b in
        let cut = t.truncated(toLeaves: b)
        return (cut.depth, cut.leafCount)
      }
    }
    let probabilities = trees.map(\.nodeProbabilities)
    // Stop node of every row for every budget, per tree: stops[t][r * width + bi].
    let stops: [[Int32]] = trees.map { t in
      let limits = budgets.map { Int32(t.nodeLimit(leaves: $0)) }
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
                    for limit in limits {
                      while lo[v] >= 0 && lo[v] < limit {
                        v = Double(x[Int(feat[v]) * n + r]) <= thr[v] ? Int(lo[v]) : Int(hi[v])
                      }
                      out.append(Int32(v))
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
    // One worker per budget: its accumulator sees the trees in order, so sums equal a direct fit's.
    let perBudget = parallelMap(count: width, threads: threads) { bi -> [Point] in
      var acc = [Double](repeating: 0, count: rows * k)
      var points: [Point] = []
      var predictions = [Int32](repeating: 0, count: rows)
      acc.withUnsafeMutableBufferPointer { a in
        for ti in trees.indices {
          probabilities[ti].withUnsafeBufferPointer { p in
            stops[ti].withUnsafeBufferPointer { s in
              for r in 0..<rows {
                let src = Int(s[r * width + bi]) * k
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
              treeCount: ti + 1, leafBudget: budgets[bi], depths: shapes[0...ti].map { $0[bi].depth },
              leaves: shapes[0...ti].map { $0[bi].leaves },
              evaluation: FlowPacketEvaluation(test: test, predictions: predictions, classCount: k)))
        }
      }
      return points
    }
    var all = perBudget.flatMap { $0 }
    all.sort { ($0.treeCount, $0.leafBudget) < ($1.treeCount, $1.leafBudget) }
    return all
  }
}
