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

  /// The class-probability vector of `node` (weighted class fractions) added into `acc`.
  @inlinable
  func addProbabilities(of node: Int, into acc: UnsafeMutablePointer<Double>) {
    let base = node * classCount
    var total = 0.0
    for c in 0..<classCount { total += value[base + c] }
    guard total > 0 else { return }
    for c in 0..<classCount { acc[c] += value[base + c] / total }
  }
}

extension ForestModel {
  /// Soft-vote predictions (scikit-learn `predict`) for every row of `matrix`, as class indices.
  ///
  /// The matrix columns must follow `features`.
  public func predictSoft(_ matrix: FeatureMatrix, threads: Int = defaultThreadCount) -> [Int32] {
    precondition(matrix.featureCount == features.count, "matrix has \(matrix.featureCount) features, model \(features.count)")
    let k = classes.count
    let chunks = Self.chunks(matrix.rowCount)
    let parts = parallelMap(count: chunks.count, threads: threads) { i -> [Int32] in
      var out: [Int32] = []
      let acc = UnsafeMutablePointer<Double>.allocate(capacity: max(k, 1))
      defer { acc.deallocate() }
      for r in chunks[i] {
        acc.update(repeating: 0, count: k)
        for t in trees { t.addProbabilities(of: t.leaf(row: r, of: matrix), into: acc) }
        var best = 0
        for c in 1..<max(k, 1) where acc[c] > acc[best] { best = c }
        out.append(Int32(best))
      }
      return out
    }
    return parts.flatMap { $0 }
  }

  /// Hard-vote predictions (what the switch does); `nil` marks a tie between top classes.
  public func predictHard(_ matrix: FeatureMatrix) -> [Int32?] {
    (0..<matrix.rowCount).map { r in
      var votes = [Int](repeating: 0, count: classes.count)
      for t in trees { votes[t.majorityClass(t.leaf(row: r, of: matrix))] += 1 }
      guard let top = votes.max() else { return nil }
      let winners = votes.indices.filter { votes[$0] == top }
      return winners.count == 1 ? Int32(winners[0]) : nil
    }
  }

  static func chunks(_ n: Int) -> [Range<Int>] {
    let size = 4096
    return stride(from: 0, to: n, by: size).map { $0..<min(n, $0 + size) }
  }
}
