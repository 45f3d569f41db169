import Forest
import Traffic

/// One sub-model of a chain as the chained evaluation sees it.
public struct ChainSubModel: Sendable {
  /// Its inference point.
  public var n: Int
  /// Use-case class index of each local class; local index `ownClasses.count` is `Other`.
  public var ownClasses: [Int]
  /// Local prediction for every prepared row of the N test set (`TestFlowIndex` of that N).
  public var predictions: [Int32]

  public init(n: Int, ownClasses: [Int], predictions: [Int32]) {
    self.n = n
    self.ownClasses = ownClasses
    self.predictions = predictions
  }
}

/// The true chained F1 of ordered sub-models, computed in software at the packet level (§6.6 C3).
///
/// For a flow with L packets and a sub-model q of inference point N_q, packet k is seen by q as
/// packet row k when k < N_q, as the flow row when k = N_q, and inherits q's decision at N_q when
/// k > N_q. A packet's chain decision is the decision of the first sub-model in the order that
/// predicts one of its own classes; `Other` passes the packet on; `Other` from the last sub-model
/// leaves the packet unknown. Rows are aligned across N tables by `TestFlowIndex` (flow key, packet
/// index). Packets k ≥ max N all see the same decisions and are scored as one block of L − max N + 1.
///
/// The truth of packet k is the label of the row that stands for it in the max-N table (packet row
/// k when k < max N, the flow row otherwise) — identical to the other tables' labels unless the
/// labelling changes inside a flow. Every packet weighs 1/L (FL) or 1 (PL), as in §3.5.
public struct ChainedEvaluation: Sendable {
  /// The order evaluated (indices into the sub-model list).
  public var order: [Int]
  /// Unknown counted as an error for its true class (the strict metric).
  public var strict: FlowPacketEvaluation
  /// Unknown packets left out (the reference data-plane scoring, B4).
  public var excluded: FlowPacketEvaluation
  /// FL weight (flows) and packets left unknown at the end of the chain.
  public var unknownFlowWeight: Double
  public var unknownPackets: Double
  public var alignedFlows: Int
  /// Flows missing from a needed N table or whose rows do not match L and N (skipped, reported).
  public var unalignedFlows: Int

  /// Evaluates `subModels` in `order` on the test flows; `indexes[N]` must exist for every N used.
  public static func evaluate(
    order: [Int], subModels: [ChainSubModel], indexes: [Int: TestFlowIndex], classCount: Int
  ) throws -> ChainedEvaluation {
    guard !order.isEmpty, Set(order).count == order.count, order.allSatisfy({ subModels.indices.contains($0) }) else {
      throw ClusterAnalysisError(
        "chain order \(order) is not a list of distinct sub-model indices 0…\(subModels.count - 1)")
    }
    var chainIndexes: [TestFlowIndex] = []
    for q in order {
      guard let idx = indexes[subModels[q].n] else {
        throw ClusterAnalysisError("no test table for N=\(subModels[q].n)")
      }
      guard subModels[q].predictions.count == idx.labels.count else {
        throw ClusterAnalysisError(
          "sub-model \(q): \(subModels[q].predictions.count) predictions for \(idx.labels.count) test rows of N=\(idx.n)"
        )
      }
      chainIndexes.append(idx)
    }
    let maxN = order.map { subModels[$0].n }.max()!
    let truthIndex = indexes[maxN]!
    let unknown = classCount
    var strictFL = ConfusionSums(classCount: classCount + 1)
    var strictPL = ConfusionSums(classCount: classCount + 1)
    var exclFL = ConfusionSums(classCount: classCount + 1)
    var exclPL = ConfusionSums(classCount: classCount + 1)
    var present = [Bool](repeating: false, count: classCount)
    var unknownWeight = 0.0
    var unknownPackets = 0.0
    var expandedStrict = 0.0
    var expandedExcl = 0.0
    var aligned = 0
    var unaligned = 0
    var seen = Set<FlowCounts.Key>()
    var universe: [FlowCounts.Key] = []
    for idx in [truthIndex] + chainIndexes {
      for key in idx.keys where seen.insert(key).inserted { universe.append(key) }
    }
    flowLoop: for key in universe {
      guard let truthFlow = truthIndex.flows[key], truthFlow.isConsistent(n: maxN) else {
        unaligned += 1
        continue
      }
      var rowsByStep: [TestFlowIndex.Flow] = []
      for (s, q) in order.enumerated() {
        guard let f = chainIndexes[s].flows[key], f.isConsistent(n: subModels[q].n),
          f.packetCount == truthFlow.packetCount
        else {
          unaligned += 1
          continue flowLoop
        }
        rowsByStep.append(f)
      }
      aligned += 1
      let l = truthFlow.packetCount
      let lastPosition = min(l, maxN)
      for k in 1...lastPosition {
        // Position maxN (when reached) stands for packets maxN…L.
        let packets = k == maxN ? Double(l - maxN + 1) : 1
        let truthRow = k < maxN ? truthFlow.packetRows[k - 1] : truthFlow.flowRow
        let truth = Int(truthIndex.labels[Int(truthRow)])
        present[truth] = true
        var decision = unknown
        for (s, q) in order.enumerated() {
          let m = subModels[q]
          let f = rowsByStep[s]
          let row = k < m.n ? f.packetRows[k - 1] : f.flowRow
          let local = Int(m.predictions[Int(row)])
          if local < m.ownClasses.count {
            decision = m.ownClasses[local]
            break
          }
        }
        let weight = packets / Double(l)
        strictFL.add(truth: truth, predicted: decision, weight: weight)
        strictPL.add(truth: truth, predicted: decision, weight: packets)
        expandedStrict += packets
        if decision == unknown {
          unknownWeight += weight
          unknownPackets += packets
        } else {
          exclFL.add(truth: truth, predicted: decision, weight: weight)
          exclPL.add(truth: truth, predicted: decision, weight: packets)
          expandedExcl += packets
        }
      }
    }
    let labels = (0..<classCount).filter { present[$0] }
    return ChainedEvaluation(
      order: order,
      strict: FlowPacketEvaluation(
        fl: strictFL.report(labels: labels), pl: strictPL.report(labels: labels), expandedSamples: expandedStrict),
      excluded: FlowPacketEvaluation(
        fl: exclFL.report(labels: labels), pl: exclPL.report(labels: labels), expandedSamples: expandedExcl),
      unknownFlowWeight: unknownWeight, unknownPackets: unknownPackets, alignedFlows: aligned, unalignedFlows: unaligned
    )
  }
}
