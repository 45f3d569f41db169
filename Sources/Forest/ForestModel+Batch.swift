import DUNESupport

/// Batch prediction over a feature matrix, with float32 inputs as the forest was trained on.
extension DecisionTree {
  /// The leaf reached by row `r` of `matrix` (values promoted to Double, compared with `<=`).
  @inlinable
  public func leaf(row r: Int, of matrix: FeatureMatrix) -> Int {
    var v = 0
    let n = matrix.rowCount
    return matrix.values.withUnsafeBufferPointer { x in
      while left[v] >= 0 {
        let f = Int(feature[v])
        v = Double(x[f * n + r]) <= threshold[v] ? Int(left[v]) : Int(right[v])
      }
      return v
    }
  }
}

extension DecisionTree {
  /// Normalised class probabilities of every node, `p[node * classCount + c]`.
  public var nodeProbabilities: [Double] {
    var p = [Double](repeating: 0, count: nodeCount * classCount)
    for v in 0..<nodeCount {
      var total = 0.0
      for c in 0..<classCount { total += value[v * classCount + c] }
      if total > 0 { for c in 0..<classCount { p[v * classCount + c] = value[v * classCount + c] / total } }
    }
    return p
  }

  /// Leaves reached by rows `rows` of `matrix`, written to `out[i]` for the i-th row of the range.
  func leaves(rows: Range<Int>, of matrix: FeatureMatrix, into out: UnsafeMutablePointer<Int32>) {
    let n = matrix.rowCount
    matrix.values.withUnsafeBufferPointer { x in
      feature.withUnsafeBufferPointer { feat in
        threshold.withUnsafeBufferPointer { thr in
          left.withUnsafeBufferPointer { lo in
            right.withUnsafeBufferPointer { hi in
              for (i, r) in rows.enumerated() {
                var v = 0
                while lo[v] >= 0 {
                  v = Double(x[Int(feat[v]) * n + r]) <= thr[v] ? Int(lo[v]) : Int(hi[v])
                }
                out[i] = Int32(v)
              }
            }
          }
        }
      }
    }
  }
}

extension ForestModel {
  /// Soft-vote predictions (scikit-learn `predict`) for every row of `matrix`, as class indices.
  ///
  /// The matrix columns must follow `features`. Probabilities are summed tree by tree in order, so
  /// the result equals `predictSoft(_:)` of the closure-based contract.
  public func predictSoft(_ matrix: FeatureMatrix, threads: Int = defaultThreadCount) -> [Int32] {
    precondition(
      matrix.featureCount == features.count, "matrix has \(matrix.featureCount) features, model \(features.count)")
    let k = classes.count
    let chunks = Self.chunks(matrix.rowCount)
    let probabilities = trees.map(\.nodeProbabilities)
    let trees = self.trees
    let parts = parallelMap(count: chunks.count, threads: threads) { i -> [Int32] in
      let rows = chunks[i]
      var acc = [Double](repeating: 0, count: rows.count * max(k, 1))
      var leaves = [Int32](repeating: 0, count: rows.count)
      acc.withUnsafeMutableBufferPointer { a in
        leaves.withUnsafeMutableBufferPointer { lv in
          for (t, tree) in trees.enumerated() {
            tree.leaves(rows: rows, of: matrix, into: lv.baseAddress!)
            probabilities[t].withUnsafeBufferPointer { p in
              for j in 0..<rows.count {
                let src = Int(lv[j]) * k
                let dst = j * k
                for c in 0..<k { a[dst + c] += p[src + c] }
              }
            }
          }
        }
      }
      var out = [Int32](repeating: 0, count: rows.count)
      for j in 0..<rows.count {
        var best = 0
        for c in 1..<max(k, 1) where acc[j * k + c] > acc[j * k + best] { best = c }
        out[j] = Int32(best)
      }
      return out
    }
    return parts.flatMap { $0 }
  }

  /// Hard-vote predictions (what the switch does); `nil` marks a tie between top classes.
  public func predictHard(_ matrix: FeatureMatrix) -> [Int32?] {
    let rows = matrix.rowCount
    var votes = [Int32](repeating: 0, count: rows * max(classes.count, 1))
    var leaves = [Int32](repeating: 0, count: rows)
    for t in trees {
      leaves.withUnsafeMutableBufferPointer { t.leaves(rows: 0..<rows, of: matrix, into: $0.baseAddress!) }
      let majority = (0..<t.nodeCount).map { t.isLeaf($0) ? t.majorityClass($0) : 0 }
      for r in 0..<rows { votes[r * classes.count + majority[Int(leaves[r])]] += 1 }
    }
    return (0..<rows).map { r in
      let row = votes[(r * classes.count)..<((r + 1) * classes.count)]
      guard let top = row.max() else { return nil }
      let winners = row.indices.filter { row[$0] == top }
      return winners.count == 1 ? Int32(winners[0] - r * classes.count) : nil
    }
  }

  static func chunks(_ n: Int) -> [Range<Int>] {
    let size = 2048
    return stride(from: 0, to: n, by: size).map { $0..<min(n, $0 + size) }
  }
}
