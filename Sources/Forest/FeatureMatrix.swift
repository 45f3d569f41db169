/// A dense feature matrix, column-major, in single precision.
///
/// Float rather than Double because scikit-learn converts `X` to float32 before fitting and
/// predicting: storing the same precision makes thresholds and comparisons line up with it (and
/// halves the memory traffic of the split search). Thresholds themselves stay Double.
public struct FeatureMatrix: Sendable, Equatable {
  public var rowCount: Int
  public var featureCount: Int
  /// `values[f * rowCount + r]` is feature `f` of row `r`.
  public var values: [Float]

  public init(rowCount: Int, featureCount: Int, values: [Float]) {
    precondition(values.count == rowCount * featureCount, "matrix size mismatch")
    self.rowCount = rowCount
    self.featureCount = featureCount
    self.values = values
  }

  /// Builds a matrix from Double columns (one array per feature, all of equal length).
  public init(columns: [[Double]]) {
    let n = columns.first?.count ?? 0
    var v = [Float]()
    v.reserveCapacity(n * columns.count)
    for c in columns {
      precondition(c.count == n, "ragged columns")
      for x in c { v.append(Float(x)) }
    }
    self.init(rowCount: n, featureCount: columns.count, values: v)
  }

  @inlinable
  public subscript(row: Int, feature: Int) -> Float { values[feature * rowCount + row] }

  /// The matrix restricted to the feature columns `indices`, in that order.
  public func selecting(features indices: [Int]) -> FeatureMatrix {
    var v = [Float]()
    v.reserveCapacity(rowCount * indices.count)
    for f in indices { v.append(contentsOf: values[(f * rowCount)..<((f + 1) * rowCount)]) }
    return FeatureMatrix(rowCount: rowCount, featureCount: indices.count, values: v)
  }
}
