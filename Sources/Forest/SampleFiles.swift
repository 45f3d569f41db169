import DUNESupport
import Foundation
import Traffic

/// Locates and loads the sample files of a use case: `DIR/<usecase>_<split>_<N>.csv` and
/// `DIR/<usecase>_<split>_flow_counts.csv` (split = train/test), then prepares them (§3.1).
public struct SampleFiles: Sendable {
  public var folder: String
  public var useCase: String

  public init(folder: String, useCase: String) {
    self.folder = folder
    self.useCase = useCase
  }

  public func samplePath(split: String, n: Int) -> String {
    (folder as NSString).appendingPathComponent("\(useCase)_\(split)_\(n).csv")
  }

  public func countsPath(split: String) -> String {
    (folder as NSString).appendingPathComponent("\(useCase)_\(split)_flow_counts.csv")
  }

  /// Reads both splits for `n` and prepares them with `classes` and `features`.
  ///
  /// Throws when a file is missing or malformed (located errors from the readers), when the
  /// training set is empty, or when a listed class has no training row (the class list does not
  /// match the data's labels).
  public func load(n: Int, classes: [String], features: [String]) throws -> DatasetPreparation.Prepared {
    let trainPath = samplePath(split: "train", n: n)
    let testPath = samplePath(split: "test", n: n)
    for p in [trainPath, testPath, countsPath(split: "train"), countsPath(split: "test")]
    where !FileManager.default.fileExists(atPath: p) {
      throw LocatedError(
        file: p, "sample file not found (expected <usecase>_<split>_<N>.csv and <usecase>_<split>_flow_counts.csv)")
    }
    let train = try SampleTable.read(csvAt: trainPath)
    let test = try SampleTable.read(csvAt: testPath)
    let trainCounts = try FlowCounts.read(csvAt: countsPath(split: "train"))
    let testCounts = try FlowCounts.read(csvAt: countsPath(split: "test"))
    let present = Set(train.labels)
    let missing = classes.filter { !present.contains($0) }
    if !missing.isEmpty {
      throw LocatedError(
        file: trainPath,
        "class list does not match the labels: no training row for \(missing.joined(separator: ", ")) (labels present: \(present.sorted().joined(separator: ", ")))"
      )
    }
    return try DatasetPreparation.prepare(
      train: train, test: test, n: n, classes: classes, features: features,
      trainCounts: trainCounts, testCounts: testCounts,
      trainPath: trainPath, testPath: testPath)
  }
}
