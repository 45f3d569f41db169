import Traffic

/// Where each test flow's rows sit in the prepared test set of one inference point N.
///
/// Alignment rule used across N tables (documented for `ChainedEvaluation`): a flow is identified by
/// (File, Flow ID) — the flow key of the flow-count file; its packet rows, taken in table order, are
/// packets 1, 2, … (the generator writes packet rows in capture order), and its flow row, if any, is
/// packet N. A flow with L packets must have exactly min(L, N − 1) packet rows and a flow row iff
/// L ≥ N; a flow breaking that rule is reported as unaligned instead of being guessed at.
public struct TestFlowIndex: Sendable {
  /// The rows of one flow: prepared-row indices.
  public struct Flow: Sendable, Equatable {
    /// Packet rows, packet 1 first.
    public var packetRows: [Int32]
    /// The flow row (packet N), or −1 when the flow is shorter than N.
    public var flowRow: Int32
    /// L, the flow's total packet count.
    public var packetCount: Int

    public init(packetRows: [Int32], flowRow: Int32, packetCount: Int) {
      self.packetRows = packetRows
      self.flowRow = flowRow
      self.packetCount = packetCount
    }

    /// True when the rows match L and N as the generator writes them.
    public func isConsistent(n: Int) -> Bool {
      packetRows.count == min(packetCount, n - 1) && (flowRow >= 0) == (packetCount >= n)
    }
  }

  public let n: Int
  /// Flow keys in order of first appearance.
  public let keys: [FlowCounts.Key]
  public let flows: [FlowCounts.Key: Flow]
  /// Use-case class index of every prepared row.
  public let labels: [Int32]

  /// Indexes prepared rows given per row: file, flow id, packet/flow nature and label; `packetCount`
  /// gives L (rows without one must already have been dropped by the preparation).
  public init(
    n: Int, files: [String], flowIDs: [String], isPacketRow: [Bool], labels: [Int32],
    packetCount: (_ file: String, _ flowID: String) -> Int?
  ) throws {
    precondition(files.count == flowIDs.count && files.count == isPacketRow.count && files.count == labels.count)
    self.n = n
    self.labels = labels
    var keys: [FlowCounts.Key] = []
    var flows: [FlowCounts.Key: Flow] = [:]
    for r in files.indices {
      let key = FlowCounts.Key(file: files[r], flowID: flowIDs[r])
      if flows[key] == nil {
        guard let l = packetCount(files[r], flowIDs[r]) else {
          throw ClusterAnalysisError("test row \(r): flow \(files[r]) / \(flowIDs[r]) has no packet count")
        }
        keys.append(key)
        flows[key] = Flow(packetRows: [], flowRow: -1, packetCount: l)
      }
      if isPacketRow[r] {
        flows[key]!.packetRows.append(Int32(r))
      } else if flows[key]!.flowRow < 0 {
        flows[key]!.flowRow = Int32(r)
      } else {
        // Two flow rows for one key: the key does not identify one flow; L = −1 marks it inconsistent.
        flows[key]!.packetCount = -1
      }
    }
    self.keys = keys
    self.flows = flows
  }
}
