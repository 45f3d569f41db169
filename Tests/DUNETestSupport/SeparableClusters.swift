import Forest
import Partition

/// A tiny cluster-analysis data set: classes A, B, C told apart by `ip.len` alone; every flow has
/// L = 2, so one packet row and one flow row at N = 2. Shared by the selection tests of Partition
/// and of the Steps layer's placement check.
public enum SeparableClusters {
  /// Class c's flows sit at `spacing · c + (i + offset) mod 5` (30 training, 12 test flows).
  public static func data(spacing: Double = 10) throws -> ClusterAnalysisData {
    func split(_ flows: Int, offset: Int) throws -> (LabelledSet, TestFlowIndex) {
      var x: [Double] = []
      var labels: [Int32] = []
      var ids: [String] = []
      var packet: [Bool] = []
      for isPacket in [true, false] {
        for i in 0..<flows {
          let c = i % 3
          x.append(spacing * Double(c) + Double((i + offset) % 5))
          labels.append(Int32(c))
          ids.append("flow\(i)")
          packet.append(isPacket)
        }
      }
      let set = LabelledSet(
        matrix: FeatureMatrix(columns: [x]), labels: labels, weights: Array(repeating: 0.5, count: labels.count),
        counts: Array(repeating: 1, count: labels.count))
      let index = try TestFlowIndex(
        n: 2, files: ids.map { _ in "f" }, flowIDs: ids, isPacketRow: packet, labels: labels
      ) { _, _ in 2 }
      return (set, index)
    }
    let (train, _) = try split(30, offset: 0)
    let (test, index) = try split(12, offset: 2)
    return ClusterAnalysisData(
      classes: ["A", "B", "C"], features: ["ip.len"],
      points: [InferencePointData(n: 2, train: train, test: test, testIndex: index)])
  }

  /// Cluster 0 = {A}, cluster 1 = {B, C}, both over `ip.len`.
  public static let clusters = [
    ClusterDefinition(id: 0, classes: ["A"], sppFeatures: ["ip.len"]),
    ClusterDefinition(id: 1, classes: ["B", "C"], sppFeatures: ["ip.len"]),
  ]
}
