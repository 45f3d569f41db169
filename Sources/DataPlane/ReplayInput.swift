import Traffic

/// One test capture to replay: its packets (any order) and the label of each of its flows.
public struct ReplayCapture: Sendable {
  /// Capture name (file stem or path); part of the flow key.
  public var name: String
  public var packets: [Packet]
  /// Label per unidirectional 5-tuple of this capture. Flows without a label are replayed (they
  /// occupy slots) but not scored.
  public var labels: [FiveTuple: String]

  public init(name: String, packets: [Packet], labels: [FiveTuple: String]) {
    self.name = name
    self.packets = packets
    self.labels = labels
  }
}

/// The merged replay: packets of all captures interleaved by timestamp, with dense flow ids.
///
/// Two notions of flow, on purpose. *Scoring flows* are keyed by (capture, 5-tuple), as labels and
/// the 1/L weights are defined (`dune-reference.md` §2.3): the same 5-tuple in two captures is two
/// flows. A switch cannot see the capture: its flow is the plain 5-tuple of the merged traffic
/// (`keyOfFlow`), hashed exactly as the programs hash `{src IP, dst IP, src port, dst port,
/// protocol}` (13 bytes, network order) — so the same 5-tuple in two captures shares slot, identity
/// and flow-table entry, as it would on a real chain.
public struct Replay: Sendable {
  /// Packets in replay order (timestamp, then capture index, then position in the capture).
  public var packets: [Packet]
  /// Dense flow id of every packet.
  public var flowOfPacket: [Int32]
  /// Per flow: capture index, 5-tuple, label (nil = unlabelled), total packet count L.
  public var flowCapture: [Int]
  public var flowTuple: [FiveTuple]
  public var flowLabel: [String?]
  public var flowLength: [Int]
  public var captureNames: [String]
  /// Per scoring flow: the switch's flow key (dense index of its 5-tuple).
  public var keyOfFlow: [Int32]
  /// Number of distinct 5-tuples (switch flows).
  public var keyCount: Int
  /// Per scoring flow: the 16-bit slot hash (`slotHash`, CRC16 by default) and the CRC32 identity of
  /// its 5-tuple (identical on every switch, equal for flows that share a key).
  public var flowCRC16: [UInt16]
  public var flowCRC32: [UInt32]

  public init(captures: [ReplayCapture], slotHash: SlotHash = .crc16) {
    struct Key: Hashable {
      var capture: Int
      var tuple: FiveTuple
    }
    var order: [(ts: Int64, c: Int, i: Int)] = []
    order.reserveCapacity(captures.reduce(0) { $0 + $1.packets.count })
    for (c, cap) in captures.enumerated() {
      for (i, p) in cap.packets.enumerated() { order.append((p.timestampNs, c, i)) }
    }
    order.sort { ($0.ts, $0.c, $0.i) < ($1.ts, $1.c, $1.i) }
    var ids: [Key: Int32] = [:]
    var packets: [Packet] = []
    var flowOf: [Int32] = []
    packets.reserveCapacity(order.count)
    flowOf.reserveCapacity(order.count)
    var fc: [Int] = []
    var ft: [FiveTuple] = []
    var fl: [String?] = []
    var len: [Int] = []
    for o in order {
      let p = captures[o.c].packets[o.i]
      let key = Key(capture: o.c, tuple: p.fiveTuple)
      let id: Int32
      if let known = ids[key] {
        id = known
      } else {
        id = Int32(fc.count)
        ids[key] = id
        fc.append(o.c)
        ft.append(key.tuple)
        fl.append(captures[o.c].labels[key.tuple])
        len.append(0)
      }
      len[Int(id)] += 1
      packets.append(p)
      flowOf.append(id)
    }
    self.packets = packets
    self.flowOfPacket = flowOf
    self.flowCapture = fc
    self.flowTuple = ft
    self.flowLabel = fl
    self.flowLength = len
    self.captureNames = captures.map(\.name)
    var keyIDs: [FiveTuple: Int32] = [:]
    var keyOf: [Int32] = []
    var c16: [UInt16] = []
    var c32: [UInt32] = []
    keyOf.reserveCapacity(ft.count)
    for t in ft {
      let key: Int32
      if let known = keyIDs[t] {
        key = known
      } else {
        key = Int32(keyIDs.count)
        keyIDs[t] = key
      }
      keyOf.append(key)
      let bytes = Replay.hashInput(t)
      c16.append(slotHash.hash(bytes))
      c32.append(CRC.crc32(bytes))
    }
    keyOfFlow = keyOf
    keyCount = keyIDs.count
    flowCRC16 = c16
    flowCRC32 = c32
  }

  /// The hashed bytes: the 5-tuple in network order (13 bytes), the programs' hash field list.
  public static func hashInput(_ t: FiveTuple) -> [UInt8] {
    var b: [UInt8] = []
    b.reserveCapacity(13)
    for v in [t.srcIP, t.dstIP] {
      b += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
    for v in [t.srcPort, t.dstPort] { b += [UInt8(v >> 8), UInt8(v & 0xff)] }
    b.append(t.proto)
    return b
  }

  public var flowCount: Int { flowTuple.count }
}
