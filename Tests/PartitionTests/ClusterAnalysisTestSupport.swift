import DUNESupport
import Forest

@testable import Partition

/// Small deterministic data for the cluster-analysis tests.
enum ClusterFixtures {
  /// `rows` rows, `features` columns with mixed cardinalities, `classes` labels that depend on the
  /// first columns plus noise; test-style weights (1/L) and counts.
  static func random(rows: Int, features: Int, classes: Int, seed: UInt64) -> LabelledSet {
    var g = SplitMix64(seed: seed)
    var columns: [[Double]] = []
    for f in 0..<features {
      let levels = [2, 9, 300][f % 3]
      columns.append((0..<rows).map { _ in Double(g.int(below: levels)) })
    }
    var labels: [Int32] = []
    var weights: [Double] = []
    var counts: [Double] = []
    for r in 0..<rows {
      let s = columns[0][r] * 2 + columns[1 % features][r] + columns[2 % features][r] / 60 + Double(g.int(below: 3))
      labels.append(Int32(Int(s) % classes))
      let l = Double(1 + g.int(below: 6))
      let c = Double(1 + g.int(below: Int(l)))
      counts.append(c)
      weights.append(c / l)
    }
    return LabelledSet(matrix: FeatureMatrix(columns: columns), labels: labels, weights: weights, counts: counts)
  }

  /// A grid row with a given FL report and TCAM share.
  static func row(
    n: Int, trees: Int, budget: Int, features: Int, fl: ClassificationReport, tcam: Double, otherIndex: Int
  ) -> ConstrainedGrid.Row {
    ConstrainedGrid.Row(
      n: n, cluster: 0, treeCount: trees, leafBudget: budget, features: (0..<features).map { "f\($0)" },
      depths: Array(repeating: 3, count: trees), leaves: Array(repeating: budget, count: trees),
      evaluation: FlowPacketEvaluation(fl: fl, pl: fl, expandedSamples: 1), tcam: tcam, otherIndex: otherIndex)
  }

  /// A two-label FL report whose per-label F1 values are `f1a` and `f1b` (precision = recall = F1).
  static func report(_ f1a: Double, _ f1b: Double) -> ClassificationReport {
    ClassificationReport(truePositive: [f1a * 10, f1b * 10], predicted: [10, 10], actual: [10, 10], labels: [0, 1])
  }
}
