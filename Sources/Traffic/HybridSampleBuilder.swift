/// Builds the canonical hybrid samples of one capture file for several inference points in one pass.
///
/// Canonical rule (`dune-reference.md` §2.5–§2.8): a flow is the unidirectional 5-tuple within one
/// file. For each N, its packets 1..N−1 become packet rows (15 packet features, all 17 flow
/// columns = −1, the packet's own label); packet N becomes one flow row (packet N's features plus
/// the aggregates over packets 1..N, the label of the flow's first packet); later packets only
/// count towards the flow length L. Flows shorter than N give only packet rows.
///
/// Row order (deterministic): per N, packet rows in capture order, then flow rows in the order of
/// their N-th packet — the spec's "after the last packet, emit one flow row per flow".
///
/// Time features are integer nanoseconds: d_k = t_k − t_{k−1} (k = 2..N) on the capture's ns
/// timestamps, `Flow Duration` = t_N − t_1, `Flow IAT Mean` = Σd/(N−1) rounded to the nearest ns
/// (ties away from zero). `Packet Length Mean` = Σ ip.len / N, unrounded.
public struct HybridSampleBuilder {
  /// Inference points, ascending, without duplicates.
  public let inferencePoints: [Int]
  /// Capture path relative to the data folder (the `File` column).
  public let file: String
  private let maxN: Int
  private var flowIndex: [FiveTuple: Int] = [:]
  private var flows: [FlowState] = []
  /// Per inference point: packet rows, and flow rows (kept apart, concatenated at the end).
  private var packetRows: [SampleRows]
  private var flowRows: [SampleRows]

  /// A builder for the capture `file` (its `File` column) and inference points (each ≥ 2).
  public init(inferencePoints: [Int], file: String) {
    let ns = Array(Set(inferencePoints)).sorted()
    precondition(!ns.isEmpty && ns[0] >= 2, "inference points must be ≥ 2")
    self.inferencePoints = ns
    self.file = file
    self.maxN = ns.last!
    self.packetRows = ns.map { _ in SampleRows() }
    self.flowRows = ns.map { _ in SampleRows() }
  }

  /// Adds the next packet of the capture (capture order) with its label.
  public mutating func add(_ p: Packet, label: String) {
    let key = p.fiveTuple
    let fi: Int
    if let i = flowIndex[key] {
      fi = i
    } else {
      fi = flows.count
      flowIndex[key] = fi
      flows.append(FlowState(flowID: key.flowID, label: label, firstTime: p.timestampNs))
    }
    flows[fi].count += 1
    let k = flows[fi].count
    guard k <= maxN else { return }
    flows[fi].accumulate(p, index: k)
    let features = PacketFeatures(p)
    for (j, n) in inferencePoints.enumerated() {
      if k < n {
        packetRows[j].appendPacketRow(features, flowID: flows[fi].flowID, label: label, file: file)
      } else if k == n {
        flowRows[j].appendFlowRow(
          features, aggregates: flows[fi].aggregates(n: n), flowID: flows[fi].flowID,
          label: flows[fi].label, file: file)
      }
    }
  }

  /// The rows of inference point `n` (packet rows, then flow rows).
  public func rows(n: Int) -> SampleRows {
    guard let j = inferencePoints.firstIndex(of: n) else { preconditionFailure("N=\(n) not built") }
    var r = packetRows[j]
    r.append(flowRows[j])
    return r
  }

  /// One entry per flow, in the order of its first packet: Flow ID, length L, first packet's label.
  public var flowLengths: [(flowID: String, packetCount: Int, label: String)] {
    flows.map { ($0.flowID, $0.count, $0.label) }
  }
}

/// The 15 packet-level features of one packet, in canonical order (§2.6, units of §2.2).
struct PacketFeatures {
  var v:
    (
      Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
      Double, Double, Double, Double
    )

  init(_ p: Packet) {
    let f = p.tcpFlags
    @inline(__always) func bit(_ m: UInt8) -> Double { f & m != 0 ? 1 : 0 }
    v = (
      Double(p.ipLength), Double(p.ttl), bit(0x02), bit(0x10), bit(0x08), bit(0x01), bit(0x04), bit(0x40),
      Double(p.proto), Double(p.srcPort), Double(p.dstPort), Double(p.ipHeaderLength), Double(p.tcpWindow),
      Double(p.tcpHeaderWords), Double(p.udpLength)
    )
  }

  func append(to out: inout [Double]) {
    out.append(v.0)
    out.append(v.1)
    out.append(v.2)
    out.append(v.3)
    out.append(v.4)
    out.append(v.5)
    out.append(v.6)
    out.append(v.7)
    out.append(v.8)
    out.append(v.9)
    out.append(v.10)
    out.append(v.11)
    out.append(v.12)
    out.append(v.13)
    out.append(v.14)
  }
}

/// Running aggregates of one flow over its first packets (§2.7).
struct FlowState {
  let flowID: String
  /// Label of the flow's first packet (the label of its flow rows and of its length entry).
  let label: String
  let firstTime: Int64
  var count = 0
  var lastTime: Int64 = 0
  var minLen = Int.max, maxLen = Int.min, sumLen = 0
  var udpMin = Int.max, udpMax = Int.min
  var iatMin = Int64.max, iatMax = Int64.min
  var syn = 0, ack = 0, psh = 0, fin = 0, rst = 0, ece = 0

  init(flowID: String, label: String, firstTime: Int64) {
    self.flowID = flowID
    self.label = label
    self.firstTime = firstTime
    self.lastTime = firstTime
  }

  /// Folds packet number `index` (1-based) into the aggregates.
  mutating func accumulate(_ p: Packet, index: Int) {
    let len = Int(p.ipLength)
    minLen = min(minLen, len)
    maxLen = max(maxLen, len)
    sumLen += len
    let udp = Int(p.udpLength)
    udpMin = min(udpMin, udp)
    udpMax = max(udpMax, udp)
    if index >= 2 {
      let d = p.timestampNs - lastTime
      iatMin = min(iatMin, d)
      iatMax = max(iatMax, d)
    }
    lastTime = p.timestampNs
    let f = p.tcpFlags
    if f & 0x02 != 0 { syn += 1 }
    if f & 0x10 != 0 { ack += 1 }
    if f & 0x08 != 0 { psh += 1 }
    if f & 0x01 != 0 { fin += 1 }
    if f & 0x04 != 0 { rst += 1 }
    if f & 0x40 != 0 { ece += 1 }
  }

  /// The 17 flow columns in canonical order, valid right after accumulating packet `n` (n ≥ 2).
  func aggregates(n: Int) -> [Double] {
    let duration = lastTime - firstTime
    let iatMean = (Double(duration) / Double(n - 1)).rounded(.toNearestOrAwayFromZero)
    return [
      Double(minLen), Double(maxLen), Double(sumLen) / Double(n), Double(sumLen), Double(udpMin),
      Double(udpMax), Double(n), Double(iatMin), Double(iatMax), iatMean, Double(duration),
      Double(syn), Double(ack), Double(psh), Double(fin), Double(rst), Double(ece),
    ]
  }
}
