/// Per-class precision/recall/F1 with scikit-learn `classification_report` semantics.
///
/// `labels` restricts the columns (classes present in the truth); a prediction outside `labels`
/// (e.g. 0 = unknown) counts against the true class but adds no column; zero division → 0.
public struct ClassScores: Codable, Sendable, Equatable {
  public var label: String
  public var precision: Double
  public var recall: Double
  public var f1: Double
  /// Σ weights of the true samples (flows for FL weights 1/L, packets for PL).
  public var support: Double
}

/// Macro, support-weighted and micro F1 with the per-class rows.
public struct ScoreSummary: Codable, Sendable, Equatable {
  public var macroF1: Double
  public var weightedF1: Double
  public var microF1: Double
  public var perClass: [ClassScores]

  /// Scores predictions against truth with sample weights over `labels` (ids) named by `names`.
  public static func score(truth: [Int], predicted: [Int], weights: [Double], labels: [Int], names: [Int: String])
    -> ScoreSummary
  {
    // Dense id → column index (ids are small non-negative integers); −1 = not a column.
    let maxID = max(labels.max() ?? 0, truth.max() ?? 0, predicted.max() ?? 0)
    var index = [Int](repeating: -1, count: maxID + 1)
    for (i, l) in labels.enumerated() where l >= 0 { index[l] = i }
    var tp = [Double](repeating: 0, count: labels.count)
    var predSum = tp
    var trueSum = tp
    for i in truth.indices {
      let w = weights[i]
      let t = truth[i] >= 0 ? index[truth[i]] : -1
      if t >= 0 {
        trueSum[t] += w
        if truth[i] == predicted[i] { tp[t] += w }
      }
      let p = predicted[i] >= 0 ? index[predicted[i]] : -1
      if p >= 0 { predSum[p] += w }
    }
    var rows: [ClassScores] = []
    for (i, l) in labels.enumerated() {
      let p = predSum[i] > 0 ? tp[i] / predSum[i] : 0
      let r = trueSum[i] > 0 ? tp[i] / trueSum[i] : 0
      let f = p + r > 0 ? 2 * p * r / (p + r) : 0
      rows.append(ClassScores(label: names[l] ?? "\(l)", precision: p, recall: r, f1: f, support: trueSum[i]))
    }
    let macro = rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.f1 } / Double(rows.count)
    let totalSupport = trueSum.reduce(0, +)
    let weighted = totalSupport > 0 ? rows.reduce(0) { $0 + $1.f1 * $1.support } / totalSupport : 0
    let sumTP = tp.reduce(0, +)
    let sumPred = predSum.reduce(0, +)
    let mp = sumPred > 0 ? sumTP / sumPred : 0
    let mr = totalSupport > 0 ? sumTP / totalSupport : 0
    let micro = mp + mr > 0 ? 2 * mp * mr / (mp + mr) : 0
    return ScoreSummary(macroF1: macro, weightedF1: weighted, microF1: micro, perClass: rows)
  }
}

/// FL (weights 1/L per packet, each flow weighs 1) and PL (each packet weighs 1) scores of one
/// prediction vector (`dune-reference.md` §3.5).
public struct FlowPacketScores: Codable, Sendable, Equatable {
  public var flowLevel: ScoreSummary
  public var packetLevel: ScoreSummary
}
