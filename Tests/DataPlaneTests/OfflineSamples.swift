import DataPlane
import Forest
import Traffic

/// An independent offline computation of hybrid samples from a replay, straight from the
/// definitions of `dune-reference.md` §2.5 and §2.7 (not the emulator's register code).
struct OfflineSamples {
  /// Per packet (replay order): the training row that predicts it — the packet row for k < N (and
  /// short flows), the flow row for k ≥ N.
  var rowOfPacket: [[Double]]
  /// Per flow: the flow row (nil if L < N).
  var flowRow: [[Double]?]

  init(replay: Replay, features: [String], n: Int, quantisation: TimeQuantisation) {
    var packetsOfFlow = [[Int]](repeating: [], count: replay.flowCount)
    for i in replay.packets.indices { packetsOfFlow[Int(replay.flowOfPacket[i])].append(i) }
    func field(_ name: String, _ p: Packet) -> Double {
      switch name {
      case "ip.len": return Double(p.ipLength)
      case "ip.ttl": return Double(p.ttl)
      case "tcp.flags.syn": return Double((p.tcpFlags >> 1) & 1)
      case "tcp.flags.ack": return Double((p.tcpFlags >> 4) & 1)
      case "tcp.flags.push": return Double((p.tcpFlags >> 3) & 1)
      case "ip.proto": return Double(p.proto)
      case "srcport": return Double(p.srcPort)
      case "dstport": return Double(p.dstPort)
      case "tcp.window_size_value": return Double(p.tcpWindow)
      case "tcp.hdr_len": return Double(p.tcpHeaderWords)
      case "udp.length": return Double(p.udpLength)
      default: fatalError("no packet field \(name)")
      }
    }
    var flowRows = [[Double]?](repeating: nil, count: replay.flowCount)
    for f in 0..<replay.flowCount where packetsOfFlow[f].count >= n {
      let first = packetsOfFlow[f].prefix(n).map { replay.packets[$0] }
      let lens = first.map { Double($0.ipLength) }
      let udp = first.map { Double($0.udpLength) }
      let iats = zip(first.dropFirst(), first).map { Double($0.timestampNs - $1.timestampNs) }
      func q(_ name: String, _ v: Double) -> Double {
        TimeQuantisation.quantise(v, shift: quantisation.shift(for: name))
      }
      let row = features.map { name -> Double in
        switch name {
        case "Min Packet Length": return lens.min()!
        case "Max Packet Length": return lens.max()!
        case "Packet Length Total": return lens.reduce(0, +)
        case "UDP Len Min": return udp.min()!
        case "UDP Len Max": return udp.max()!
        case "Packet Count": return Double(n)
        case "Flow IAT Min": return q(name, iats.min() ?? 0)
        case "Flow IAT Max": return q(name, iats.max() ?? 0)
        case "Flow Duration": return q(name, Double(first.last!.timestampNs - first.first!.timestampNs))
        case "SYN Flag Count": return first.reduce(0) { $0 + Double(($1.tcpFlags >> 1) & 1) }
        case "ACK Flag Count": return first.reduce(0) { $0 + Double(($1.tcpFlags >> 4) & 1) }
        case "PSH Flag Count": return first.reduce(0) { $0 + Double(($1.tcpFlags >> 3) & 1) }
        default: return field(name, first.last!)
        }
      }
      flowRows[f] = row
    }
    var rows: [[Double]] = []
    var seen = [Int](repeating: 0, count: replay.flowCount)
    for i in replay.packets.indices {
      let f = Int(replay.flowOfPacket[i])
      seen[f] += 1
      if seen[f] >= n, let fr = flowRows[f] {
        rows.append(fr)
      } else {
        rows.append(
          features.map { FeatureCatalog.isFlowLevel($0) ? -1 : field($0, replay.packets[i]) })
      }
    }
    rowOfPacket = rows
    flowRow = flowRows
  }
}
