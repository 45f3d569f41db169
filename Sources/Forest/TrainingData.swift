import DUNESupport

/// Training rows pre-processed once for every tree: each feature's values replaced by dense ranks.
///
/// Sorting small integer codes is cheaper than sorting floats, equal values share a code (so split
/// boundaries are exactly "consecutive distinct values"), and the threshold between two codes is
/// the midpoint of the original values, as in scikit-learn.
public final class TrainingData: Sendable {
  public let rowCount: Int
  public let featureCount: Int
  public let classCount: Int
  /// `codes[r * featureCount + f]`: rank of row r's value among the distinct values of feature f.
  /// Row-major on purpose: a node examines several features of the same scattered rows, and this
  /// way each row's codes share cache lines (the gather is the split search's main memory cost).
  let codes: [UInt32]
  /// Distinct values of each feature, ascending: code → value.
  let distinct: [[Float]]
  let labels: [Int32]
  let weights: [Double]

  /// Builds the ranks. Throws on NaN or infinite values, negative or non-finite weights and labels
  /// outside `0..<classCount`.
  public init(_ set: LabelledSet, classCount: Int) throws {
    let n = set.rowCount
    let f = set.matrix.featureCount
    rowCount = n
    featureCount = f
    self.classCount = classCount
    for (r, y) in set.labels.enumerated() where y < 0 || Int(y) >= classCount {
      throw UsageError("training row \(r): class index \(y) outside 0..<\(classCount)")
    }
    for (r, w) in set.weights.enumerated() where !(w.isFinite && w >= 0) {
      throw UsageError("training row \(r): invalid sample weight \(w)")
    }
    var codes = [UInt32](repeating: 0, count: n * f)
    var distinct: [[Float]] = []
    var order = [Int32](repeating: 0, count: n)
    for j in 0..<f {
      let base = j * n
      let column = set.matrix.values[base..<(base + n)]
      for (r, x) in column.enumerated() where !x.isFinite {
        throw UsageError("training row \(r), feature \(j): non-finite value \(x)")
      }
      for r in 0..<n { order[r] = Int32(r) }
      order.sort { column[base + Int($0)] < column[base + Int($1)] }
      var values: [Float] = []
      var code: UInt32 = 0
      for (i, r) in order.enumerated() {
        let x = column[base + Int(r)]
        if i == 0 {
          values.append(x)
        } else if x != values[values.count - 1] {
          values.append(x)
          code += 1
        }
        codes[Int(r) * f + j] = code
      }
      distinct.append(values)
    }
    self.codes = codes
    self.distinct = distinct
    labels = set.labels
    weights = set.weights
  }

  /// The scikit-learn threshold between two consecutive distinct values: their midpoint, or the
  /// lower value when rounding would make the midpoint equal the upper one.
  func threshold(feature: Int, below: UInt32, above: UInt32) -> Double {
    let a = Double(distinct[feature][Int(below)])
    let b = Double(distinct[feature][Int(above)])
    let t = a / 2 + b / 2
    return (t == b || t.isInfinite) ? a : t
  }
}
