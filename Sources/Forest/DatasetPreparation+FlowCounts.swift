import Traffic

extension DatasetPreparation {
  /// Prepares a train and a test table with their per-flow packet-count files (keyed by (File, Flow ID)).
  public static func prepare(
    train: SampleTable, test: SampleTable, n: Int, classes: [String], features: [String],
    trainCounts: FlowCounts, testCounts: FlowCounts, trainPath: String = "<train>", testPath: String = "<test>"
  ) throws -> Prepared {
    try prepare(
      train: train, test: test, n: n, classes: classes, features: features,
      trainCounts: { trainCounts[$0, $1]?.packetCount }, testCounts: { testCounts[$0, $1]?.packetCount },
      trainPath: trainPath, testPath: testPath)
  }
}
