import DUNESupport
import Forest
import Foundation
import Traffic

/// The prepared train and test sets of one inference point, over every class of the use case.
public struct InferencePointData: Sendable {
  public var n: Int
  /// Labels are use-case class indices; columns follow `ClusterAnalysisData.features`.
  public var train: LabelledSet
  public var test: LabelledSet
  /// Flow/packet position of every test row, for the chained evaluation.
  public var testIndex: TestFlowIndex

  public init(n: Int, train: LabelledSet, test: LabelledSet, testIndex: TestFlowIndex) {
    self.n = n
    self.train = train
    self.test = test
    self.testIndex = testIndex
  }
}

/// Every inference point's data for step 4, prepared once and shared by all clusters.
public struct ClusterAnalysisData: Sendable {
  /// The use case's class list (label indices).
  public var classes: [String]
  /// Feature columns of every set (the union of all candidates).
  public var features: [String]
  /// By ascending N.
  public var points: [InferencePointData]

  public init(classes: [String], features: [String], points: [InferencePointData]) {
    self.classes = classes
    self.features = features
    self.points = points.sorted { $0.n < $1.n }
  }

  /// The data of inference point `n`.
  public func point(_ n: Int) throws -> InferencePointData {
    guard let p = points.first(where: { $0.n == n }) else { throw ClusterAnalysisError("no samples loaded for N=\(n)") }
    return p
  }

  /// Loads `<useCase>_{train,test}_<N>.csv` and the flow-count files from `folder` and prepares them
  /// with `DatasetPreparation` (§3.1 weights, §3.5 expansion) over `classes` and `features`; each
  /// sample table passes through `adjust` first (e.g. `QuantisedSamples.quantiser`).
  public static func load(
    folder: String, useCase: String, inferencePoints: [Int], classes: [String], features: [String],
    adjust: @Sendable (SampleTable) -> SampleTable = { $0 }
  ) throws -> ClusterAnalysisData {
    let files = SampleFiles(folder: folder, useCase: useCase)
    guard !inferencePoints.isEmpty else { throw ClusterAnalysisError("no inference point given") }
    for p in [files.countsPath(split: "train"), files.countsPath(split: "test")]
    where !FileManager.default.fileExists(atPath: p) {
      throw LocatedError(file: p, "flow-count file not found")
    }
    let trainCounts = try FlowCounts.read(csvAt: files.countsPath(split: "train"))
    let testCounts = try FlowCounts.read(csvAt: files.countsPath(split: "test"))
    let ns = Array(Set(inferencePoints)).sorted()
    for n in ns {
      for p in [files.samplePath(split: "train", n: n), files.samplePath(split: "test", n: n)]
      where !FileManager.default.fileExists(atPath: p) {
        throw LocatedError(file: p, "sample file not found (expected <usecase>_<split>_<N>.csv)")
      }
    }
    // Files and inference points are independent: read every file, then prepare every point, on
    // every core (one job per file keeps two cores even with three points).
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let tables = try parallelMap(count: 2 * ns.count, threads: cores) { j in
      adjust(try SampleTable.read(csvAt: files.samplePath(split: j % 2 == 0 ? "train" : "test", n: ns[j / 2])))
    }
    let points = try parallelMap(count: ns.count, threads: cores) { i in
      let n = ns[i]
      let trainPath = files.samplePath(split: "train", n: n)
      let testPath = files.samplePath(split: "test", n: n)
      let (train, test) = (tables[2 * i], tables[2 * i + 1])
      let prepared = try DatasetPreparation.prepare(
        train: train, test: test, n: n, classes: classes, features: features,
        trainCounts: { trainCounts[$0, $1]?.packetCount }, testCounts: { testCounts[$0, $1]?.packetCount },
        trainPath: trainPath, testPath: testPath)
      let index = try testIndex(
        test, prepared: prepared.test, n: n, classes: classes, counts: testCounts, path: testPath)
      return InferencePointData(n: n, train: prepared.train, test: prepared.test, testIndex: index)
    }
    return ClusterAnalysisData(classes: classes, features: features, points: points)
  }

  /// Indexes the rows `DatasetPreparation` kept. The preparation does not return which rows it kept,
  /// so its keep rule (label in the class list, positive flow count) is applied again here and checked
  /// against the prepared set row by row (count and labels) — a mismatch is an error, never a guess.
  static func testIndex(
    _ table: SampleTable, prepared: LabelledSet, n: Int, classes: [String], counts: FlowCounts, path: String
  ) throws -> TestFlowIndex {
    var classIndex: [String: Int32] = [:]
    for (i, c) in classes.enumerated() { classIndex[c] = Int32(i) }
    var files: [String] = []
    var ids: [String] = []
    var nature: [Bool] = []
    var labels: [Int32] = []
    let markers = ["Min Packet Length", "Max Packet Length", "Flow IAT Min", "Flow IAT Max"].compactMap {
      table.columnIndex($0)
    }
    for r in 0..<table.rowCount {
      guard let y = classIndex[table.labels[r]], let l = counts[table.files[r], table.flowIDs[r]]?.packetCount, l > 0
      else { continue }
      files.append(table.files[r])
      ids.append(table.flowIDs[r])
      nature.append(markers.count == 4 && markers.allSatisfy { table.values[$0][r] == -1 })
      labels.append(y)
    }
    guard labels == prepared.labels else {
      throw LocatedError(
        file: path,
        "internal: test rows kept for the chain index do not match the prepared test set (\(labels.count) vs \(prepared.rowCount) rows)"
      )
    }
    return try TestFlowIndex(n: n, files: files, flowIDs: ids, isPacketRow: nature, labels: labels) {
      counts[$0, $1]?.packetCount
    }
  }
}

extension LabelledSet {
  /// The rows `rows` (in that order), with their labels, weights and counts.
  public func selectingRows(_ rows: [Int]) -> LabelledSet {
    var v = [Float]()
    v.reserveCapacity(rows.count * matrix.featureCount)
    for f in 0..<matrix.featureCount {
      let base = f * matrix.rowCount
      for r in rows { v.append(matrix.values[base + r]) }
    }
    return LabelledSet(
      matrix: FeatureMatrix(rowCount: rows.count, featureCount: matrix.featureCount, values: v),
      labels: rows.map { labels[$0] }, weights: rows.map { weights[$0] }, counts: rows.map { counts[$0] })
  }
}
