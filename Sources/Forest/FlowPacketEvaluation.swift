/// The reference FL/PL evaluation (`dune-reference.md` §3.5), with the expansion done arithmetically.
///
/// A test row stands for `counts[r]` packets (1 for a packet row, L − N + 1 for a flow row), each of
/// weight 1/L; all of them inherit the row's prediction. FL = report with those weights (support =
/// number of flows); PL = report counting packets. Labels = the classes present in the test set.
public struct FlowPacketEvaluation: Codable, Sendable, Equatable {
  public var fl: ClassificationReport
  public var pl: ClassificationReport
  /// Number of expanded test samples (packets), the reference `num_samples`.
  public var expandedSamples: Double

  public init(fl: ClassificationReport, pl: ClassificationReport, expandedSamples: Double) {
    self.fl = fl
    self.pl = pl
    self.expandedSamples = expandedSamples
  }

  /// The class indices present in `test`, ascending.
  public static func presentLabels(_ test: LabelledSet, classCount: Int) -> [Int] {
    var seen = [Bool](repeating: false, count: classCount)
    for y in test.labels { seen[Int(y)] = true }
    return (0..<classCount).filter { seen[$0] }
  }

  /// Evaluates per-row `predictions` of `test`.
  public init(test: LabelledSet, predictions: [Int32], classCount: Int) {
    precondition(predictions.count == test.rowCount)
    var fl = ConfusionSums(classCount: classCount)
    var pl = ConfusionSums(classCount: classCount)
    var expanded = 0.0
    for r in 0..<test.rowCount {
      let t = Int(test.labels[r])
      let p = Int(predictions[r])
      fl.add(truth: t, predicted: p, weight: test.weights[r])
      pl.add(truth: t, predicted: p, weight: test.counts[r])
      expanded += test.counts[r]
    }
    let labels = Self.presentLabels(test, classCount: classCount)
    self.init(fl: fl.report(labels: labels), pl: pl.report(labels: labels), expandedSamples: expanded)
  }
}
