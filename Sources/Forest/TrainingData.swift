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
  /// `columns[f][r]`: rank of row r's value among the distinct values of feature f. Column-major:
  /// a split search gathers one feature's codes of a node's scattered rows, and one column (4 bytes
  /// a row) stays in cache where whole rows do not. Columns are shared, never copied, between a
  /// table and the tables `selecting` derives from it.
  let columns: [CodeColumn]
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
    var columns: [CodeColumn] = []
    var distinct: [[Float]] = []
    // (order-preserving bits of the value) << 32 | row: sorting these plain integers gives the
    // value order with ties by row, i.e. what a stable sort of the rows by value gives.
    var keys = [UInt64](repeating: 0, count: n)
    for j in 0..<f {
      let base = j * n
      for r in 0..<n {
        let x = set.matrix.values[base + r]
        guard x.isFinite else { throw UsageError("training row \(r), feature \(j): non-finite value \(x)") }
        keys[r] = UInt64(Self.orderedBits(x)) << 32 | UInt64(r)
      }
      keys.sort()
      let column = CodeColumn(count: n)
      var values: [Float] = []
      var code: UInt32 = 0
      var last: UInt32 = 0
      for (i, key) in keys.enumerated() {
        let r = Int(UInt32(truncatingIfNeeded: key))
        let bits = UInt32(truncatingIfNeeded: key >> 32)
        if i == 0 {
          values.append(set.matrix.values[base + r])
        } else if bits != last {
          values.append(set.matrix.values[base + r])
          code += 1
        }
        last = bits
        column.pointer[r] = code
      }
      columns.append(column)
      distinct.append(values)
    }
    self.columns = columns
    self.distinct = distinct
    labels = set.labels
    weights = set.weights
  }

  private init(
    rowCount: Int, featureCount: Int, classCount: Int, columns: [CodeColumn], distinct: [[Float]], labels: [Int32],
    weights: [Double]
  ) {
    self.rowCount = rowCount
    self.featureCount = featureCount
    self.classCount = classCount
    self.columns = columns
    self.distinct = distinct
    self.labels = labels
    self.weights = weights
  }

  /// The same rows restricted to the columns `features` (in that order), optionally relabelled
  /// through `relabel` (old class index → new one) into `classCount` classes.
  ///
  /// Equal to `TrainingData(set.selecting(features:), classCount:)` on the relabelled set — ranks
  /// depend only on a column's values — without sorting anything again: the cluster analysis
  /// derives every sub-model's data from one ranked table per inference point this way.
  public func selecting(features: [Int], relabel: [Int32]? = nil, classCount newCount: Int? = nil) throws
    -> TrainingData
  {
    let k = features.count
    for c in features where c < 0 || c >= featureCount {
      throw UsageError("feature column \(c) outside 0..<\(featureCount)")
    }
    var newLabels = labels
    let count = newCount ?? classCount
    if let map = relabel {
      for (r, y) in labels.enumerated() {
        guard Int(y) < map.count, map[Int(y)] >= 0, Int(map[Int(y)]) < count else {
          throw UsageError("training row \(r): class index \(y) has no label among \(count) classes")
        }
        newLabels[r] = map[Int(y)]
      }
    } else if count < classCount {
      for (r, y) in labels.enumerated() where Int(y) >= count {
        throw UsageError("training row \(r): class index \(y) outside 0..<\(count)")
      }
    }
    return TrainingData(
      rowCount: rowCount, featureCount: k, classCount: count, columns: features.map { columns[$0] },
      distinct: features.map { distinct[$0] },
      labels: newLabels, weights: weights)
  }

  /// The code of row `r` for feature `f`.
  func code(row r: Int, feature f: Int) -> UInt32 { columns[f].pointer[r] }

  /// The bits of a finite float as an unsigned integer with the same order (−0 and +0 equal).
  static func orderedBits(_ x: Float) -> UInt32 {
    let b = (x == 0 ? Float(0) : x).bitPattern
    return b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
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

/// One feature's codes, row by row, in memory that never moves (the tree builder reads it directly).
final class CodeColumn: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<UInt32>
  let count: Int

  init(count: Int) {
    self.count = count
    pointer = .allocate(capacity: max(1, count))
    pointer.initialize(repeating: 0, count: max(1, count))
  }

  deinit { pointer.deallocate() }
}
