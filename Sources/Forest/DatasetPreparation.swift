import DUNESupport
import Traffic

/// Turns hybrid sample tables into learner input: the data preparation of `dune-reference.md` §3.1
/// and the arithmetic test expansion of §3.5.
public enum DatasetPreparation {
  /// Rows removed while preparing one split, reported instead of silently lost (U2).
  public struct Dropped: Sendable, Equatable, Codable {
    /// Rows whose (file, flow) has no entry in the flow-count file.
    public var missingFlowCount = 0
    /// Rows whose label is not in the class list.
    public var outsideClassList = 0
    public init() {}
  }

  /// Both splits prepared, plus what was dropped.
  public struct Prepared: Sendable {
    public var classes: [String]
    public var features: [String]
    public var train: LabelledSet
    public var test: LabelledSet
    public var droppedTrain: Dropped
    public var droppedTest: Dropped
  }

  /// Prepares one split. `packetCount(file, flowID)` returns L, the flow's total packet count.
  ///
  /// Weights (§3.1 step 6, §3.5): a flow row counts for `L − N + 1` packets, a packet row for 1;
  /// every packet weighs `1/L`. Training uses the summed weight as the sample weight; testing keeps
  /// both the weight (FL) and the count (PL).
  public static func prepare(
    _ table: SampleTable, n: Int, classes: [String], features: [String],
    packetCount: (_ file: String, _ flowID: String) -> Int?, path: String = "<samples>"
  ) throws -> (set: LabelledSet, dropped: Dropped) {
    guard n >= 1 else { throw UsageError("inference point N must be ≥ 1, got \(n)") }
    var columnIndex: [Int] = []
    for f in features {
      guard let c = table.columnIndex(f) else {
        throw LocatedError(file: path, line: 1, "missing feature column '\(f)'")
      }
      columnIndex.append(c)
    }
    for m in SampleTable.packetMarkerNames where table.columnIndex(m) == nil {
      throw LocatedError(file: path, line: 1, "missing column '\(m)' (needed to tell packet rows from flow rows)")
    }
    var classIndex: [String: Int32] = [:]
    for (i, c) in classes.enumerated() { classIndex[c] = Int32(i) }

    var dropped = Dropped()
    var keep: [Int] = []
    var labels: [Int32] = []
    var weights: [Double] = []
    var counts: [Double] = []
    keep.reserveCapacity(table.rowCount)
    for r in 0..<table.rowCount {
      guard let label = classIndex[table.labels[r]] else {
        dropped.outsideClassList += 1
        continue
      }
      guard let total = packetCount(table.files[r], table.flowIDs[r]), total > 0 else {
        dropped.missingFlowCount += 1
        continue
      }
      let isPacketRow = table.isPacketRow(r)
      let l = Double(total)
      // A flow row stands for packets N..L; a count file shorter than N would make that negative.
      let represented = isPacketRow ? 1.0 : max(1.0, l - Double(n) + 1)
      keep.append(r)
      labels.append(label)
      weights.append(represented / l)
      counts.append(represented)
    }
    var values = [Float]()
    values.reserveCapacity(keep.count * features.count)
    for c in columnIndex {
      let column = table.values[c]
      for r in keep { values.append(Float(column[r])) }
    }
    let matrix = FeatureMatrix(rowCount: keep.count, featureCount: features.count, values: values)
    return (LabelledSet(matrix: matrix, labels: labels, weights: weights, counts: counts), dropped)
  }

  /// Prepares a train and a test table with the same class and feature lists.
  public static func prepare(
    train: SampleTable, test: SampleTable, n: Int, classes: [String], features: [String],
    trainCounts: (String, String) -> Int?, testCounts: (String, String) -> Int?,
    trainPath: String = "<train>", testPath: String = "<test>"
  ) throws -> Prepared {
    let tr = try prepare(train, n: n, classes: classes, features: features, packetCount: trainCounts, path: trainPath)
    let te = try prepare(test, n: n, classes: classes, features: features, packetCount: testCounts, path: testPath)
    guard tr.set.rowCount > 0 else {
      throw LocatedError(
        file: trainPath,
        "empty training set after dropping rows (\(tr.dropped.outsideClassList) outside the class list, \(tr.dropped.missingFlowCount) without a flow count)"
      )
    }
    return Prepared(
      classes: classes, features: features, train: tr.set, test: te.set, droppedTrain: tr.dropped,
      droppedTest: te.dropped)
  }
}
