/// scikit-learn `classification_report` semantics with `labels` and `sample_weight`.
///
/// Per label: precision = TP / predicted, recall = TP / true, F1 = 2PR/(P+R); any zero division
/// gives 0. Macro = plain mean over `labels`; weighted = mean weighted by (weighted) support;
/// micro = F1 of the summed TP / predicted / true over `labels` only — so a prediction of a label
/// outside `labels` is an error for its true class but adds no column.
public struct ClassificationReport: Codable, Sendable, Equatable {
  /// Scores of one label.
  public struct Score: Codable, Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Double
  }

  /// The evaluated class indices, ascending.
  public var labels: [Int]
  /// One score per entry of `labels`.
  public var scores: [Score]
  public var macroF1: Double
  public var weightedF1: Double
  public var microF1: Double
  /// Total weight of the evaluated samples.
  public var totalWeight: Double

  /// Builds the report from per-class sums (weighted TP, predicted and true totals, indexed by class).
  public init(truePositive: [Double], predicted: [Double], actual: [Double], labels: [Int]) {
    self.labels = labels
    var scores: [Score] = []
    var tp = 0.0
    var pred = 0.0
    var act = 0.0
    for l in labels {
      let p = predicted[l] > 0 ? truePositive[l] / predicted[l] : 0
      let r = actual[l] > 0 ? truePositive[l] / actual[l] : 0
      let f = p + r > 0 ? 2 * p * r / (p + r) : 0
      scores.append(Score(precision: p, recall: r, f1: f, support: actual[l]))
      tp += truePositive[l]
      pred += predicted[l]
      act += actual[l]
    }
    self.scores = scores
    macroF1 = scores.isEmpty ? 0 : scores.reduce(0) { $0 + $1.f1 } / Double(scores.count)
    weightedF1 = act > 0 ? scores.reduce(0) { $0 + $1.f1 * $1.support } / act : 0
    let mp = pred > 0 ? tp / pred : 0
    let mr = act > 0 ? tp / act : 0
    microF1 = mp + mr > 0 ? 2 * mp * mr / (mp + mr) : 0
    totalWeight = act
  }

  /// The report of `predicted` against `truth` with per-sample `weights` (nil = 1 each).
  public init(truth: [Int32], predicted: [Int32], weights: [Double]? = nil, classCount: Int, labels: [Int]) {
    var sums = ConfusionSums(classCount: classCount)
    for i in truth.indices { sums.add(truth: Int(truth[i]), predicted: Int(predicted[i]), weight: weights?[i] ?? 1) }
    self = sums.report(labels: labels)
  }

  /// F1 of class index `c`, or nil when `c` is not an evaluated label.
  public func f1(ofClass c: Int) -> Double? {
    labels.firstIndex(of: c).map { scores[$0].f1 }
  }
}

/// Running per-class sums from which a `ClassificationReport` is built; O(1) per sample.
public struct ConfusionSums: Sendable, Equatable {
  public var truePositive: [Double]
  public var predicted: [Double]
  public var actual: [Double]

  public init(classCount: Int) {
    truePositive = Array(repeating: 0, count: classCount)
    predicted = truePositive
    actual = truePositive
  }

  @inlinable
  public mutating func add(truth: Int, predicted p: Int, weight: Double) {
    if truth == p { truePositive[truth] += weight }
    predicted[p] += weight
    actual[truth] += weight
  }

  public func report(labels: [Int]) -> ClassificationReport {
    ClassificationReport(truePositive: truePositive, predicted: predicted, actual: actual, labels: labels)
  }
}
