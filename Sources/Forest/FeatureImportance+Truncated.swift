extension FeatureImportance {
  /// MDI of every truncation of a forest of deep trees: `result[ci][t − 1]` is the MDI of the
  /// first t trees cut at depth `cuts[ci]`.
  ///
  /// Exact for the same reason as `TruncatedForestEvaluator`: the forest (t, d) of the grid is the
  /// first t deep trees cut at depth d, and a cut tree keeps exactly the split nodes above depth d.
  public static func truncatedMDI(trees: [DecisionTree], featureCount f: Int, cuts: [Int]) -> [[[Double]]] {
    // perTree[t][ci]: the tree's normalised MDI at cut ci (nil when the cut tree is a single leaf).
    let perTree: [[[Double]?]] = trees.map { t in
      let depth = TruncatedForestEvaluator.nodeDepths(t)
      return cuts.map { cut in
        var imp = [Double](repeating: 0, count: f)
        var splits = 0
        for v in 0..<t.nodeCount where !t.isLeaf(v) && depth[v] < cut {
          let l = Int(t.left[v])
          let r = Int(t.right[v])
          imp[Int(t.feature[v])] +=
            t.weightedSamples[v] * t.impurity[v] - t.weightedSamples[l] * t.impurity[l]
            - t.weightedSamples[r] * t.impurity[r]
          splits += 1
        }
        guard splits > 0 else { return nil }
        let root = t.weightedSamples[0]
        for j in 0..<f { imp[j] /= root }
        let s = imp.reduce(0, +)
        if s > 0 { for j in 0..<f { imp[j] /= s } }
        return imp
      }
    }
    return cuts.indices.map { ci in
      var sum = [Double](repeating: 0, count: f)
      var used = 0
      return trees.indices.map { ti in
        if let v = perTree[ti][ci] {
          for j in 0..<f { sum[j] += v[j] }
          used += 1
        }
        guard used > 0 else { return sum }
        var mean = sum.map { $0 / Double(used) }
        let s = mean.reduce(0, +)
        if s > 0 { for j in 0..<f { mean[j] /= s } }
        return mean
      }
    }
  }
}
