import DUNESupport
import DataPlane
import Traffic

/// Replays packets through a chain of generated programs with their runtime entries, interpreting
/// each program as bmv2 would (parser, ingress, registers, CRC hashes, digests) and playing the
/// controller of `data-plane.md` §6: a digest installs the flow's class in every switch's
/// `flow_class` table and zeroes every register at the flow's slot at the controller's next poll
/// (every `controllerPeriodPackets` packets, `ChainProtocol.controllerActionIndex`). The output is the DUNE header of every packet after the last switch — the
/// packet-by-packet comparison of §10.6, without a P4 toolchain.
public struct ProgramReplay: Sendable {
  /// One switch: its program and entries, in chain order.
  public struct Switch: Sendable {
    public var program: P4Program
    public var entries: P4EntrySet
    public init(program: P4Program, entries: P4EntrySet) {
      self.program = program
      self.entries = entries
    }
  }

  /// The header fields of every packet after the last switch.
  public struct Output: Sendable, Equatable {
    public var classes: [UInt8]
    public var flags: [UInt8]
    public var modelIDs: [UInt8]
    /// Digests received by the controller.
    public var digests: Int
  }

  public var switches: [Switch]
  public var controllerPeriodPackets: Int

  public init(switches: [Switch], controllerPeriodPackets: Int = 64) {
    self.switches = switches
    self.controllerPeriodPackets = controllerPeriodPackets
  }

  /// The header kinds of a packet before the first switch: Ethernet, IPv4, its option words,
  /// TCP, UDP.
  static let packetLayout = P4Wire.Layout(
    instances: ["ethernet", "ipv4"] + (0..<10).map { "ipv4_opt_\($0)" } + ["tcp", "udp"],
    fields: [
      ["dst_addr", "src_addr", "ether_type"],
      ["version", "ihl", "total_len", "ttl", "protocol", "src_addr", "dst_addr"],
    ] + (0..<10).map { _ in ["word"] } + [
      ["src_port", "dst_port", "data_offset", "window", "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"],
      ["src_port", "dst_port", "length"],
    ])

  /// The headers of `p` on the wire before the first switch.
  static func wire(_ p: Packet) -> [(instance: String, fields: [String: UInt64])] {
    var w = P4Wire()
    wire(p, into: &w)
    return w.headers(packetLayout)
  }

  /// The headers of `p` on the wire before the first switch, as kinds of `packetLayout`.
  static func wire(_ p: Packet, into w: inout P4Wire) {
    w.removeAll()
    // Field by field (an array literal per header would be allocated per packet).
    w.begin(kind: 0)
    w.values.append(p.dstMAC ?? 0)
    w.values.append(p.srcMAC ?? 0)
    w.values.append(0x0800)
    w.begin(kind: 1)
    w.values.append(4)
    w.values.append(UInt64(p.ipHeaderLength / 4))
    w.values.append(UInt64(p.ipLength))
    w.values.append(UInt64(p.ttl))
    w.values.append(UInt64(p.proto))
    w.values.append(UInt64(p.srcIP))
    w.values.append(UInt64(p.dstIP))
    // IPv4 options (IHL > 5): one 32-bit word each, in the order the parser extracts them
    // (`ipv4_opt_(k-1)` first, `ipv4_opt_0` right before the L4 header). Their content is not kept
    // by the capture reader and nothing reads it, so the words are zero.
    let optionWords = min(max(Int(p.ipHeaderLength) / 4 - 5, 0), 10)
    for j in (0..<optionWords).reversed() {
      w.begin(kind: 2 + j)
      w.values.append(0)
    }
    if p.proto == 6 {
      let f = UInt64(p.tcpFlags)
      w.begin(kind: 12)
      w.values.append(UInt64(p.srcPort))
      w.values.append(UInt64(p.dstPort))
      w.values.append(UInt64(p.tcpHeaderWords))
      w.values.append(UInt64(p.tcpWindow))
      // fin, syn, rst, psh, ack, urg, ece, cwr: flag bits 0...7.
      for bit in 0..<8 { w.values.append(f >> UInt64(bit) & 1) }
    } else if p.proto == 17 {
      w.begin(kind: 13)
      w.values.append(UInt64(p.srcPort))
      w.values.append(UInt64(p.dstPort))
      w.values.append(UInt64(p.udpLength))
    }
  }

  /// Runs `packets` (in order) through the chain.
  public func run(_ packets: [Packet]) throws -> Output {
    var machines = switches.map { P4Machine(program: $0.program, entries: $0.entries, withRegisters: true) }
    // Each switch parses what the previous one deparsed: links resolve the names once.
    var links: [P4Wire.Link] = []
    var layout = Self.packetLayout
    for m in machines {
      links.append(m.link(from: layout))
      layout = m.wireLayout
    }
    // The DUNE header after the last switch: its kind and the fields read from it.
    let dune = layout.instances.indices.map { layout.instances[$0] == "dune" }
    func field(_ k: Int, _ name: String) -> Int { layout.fields[k].firstIndex(of: name) ?? -1 }
    let classField = layout.fields.indices.map { field($0, "class_id") }
    let flagsField = layout.fields.indices.map { field($0, "flags") }
    let modelField = layout.fields.indices.map { field($0, "model_id") }

    var pending: [(due: Int, digest: [String: UInt64])] = []
    var head = 0
    var out = Output(classes: [], flags: [], modelIDs: [], digests: 0)
    out.classes.reserveCapacity(packets.count)
    out.flags.reserveCapacity(packets.count)
    out.modelIDs.reserveCapacity(packets.count)
    var wire = P4Wire()
    var next = P4Wire()
    let progress = ProgressReporting.counter(
      "P4 replay through \(switches.count) program(s)", total: packets.count, unit: "packets")
    defer { progress.finish() }
    for (i, p) in packets.enumerated() {
      if i & 0xFFF == 0xFFF { progress.advance(by: 0x1000) }
      while head < pending.count && pending[head].due <= i {
        let d = pending[head].digest
        head += 1
        for s in machines.indices { Self.controller(d, &machines[s]) }
      }
      Self.wire(p, into: &wire)
      for s in machines.indices {
        // Through an inout parameter: reading `machines[s].digests` would copy the whole machine.
        try Self.pass(&machines[s], wire: wire, link: links[s], timestampNs: p.timestampNs, into: &next) { d in
          out.digests += 1
          pending.append((ChainProtocol.controllerActionIndex(digestAt: i, period: controllerPeriodPackets), d))
        }
        swap(&wire, &next)
      }
      var header: (class: UInt64, flags: UInt64, model: UInt64) = (0, 0, 0)
      if let pos = wire.kinds.firstIndex(where: { dune[$0] }) {
        let k = wire.kinds[pos]
        func read(_ f: Int) -> UInt64 { f >= 0 ? wire.value(pos, f) : 0 }
        header = (read(classField[k]), read(flagsField[k]), read(modelField[k]))
      }
      out.classes.append(UInt8(header.class))
      out.flags.append(UInt8(header.flags))
      out.modelIDs.append(UInt8(header.model))
    }
    return out
  }

  /// One packet through one switch: parse `wire`, ingress, digests to `digest`, deparse into `next`.
  static func pass(
    _ m: inout P4Machine, wire: P4Wire, link: P4Wire.Link, timestampNs: Int64, into next: inout P4Wire,
    digest: ([String: UInt64]) -> Void
  ) throws {
    m.resetPacket()
    m.timestampNs = UInt64(max(timestampNs, 0))
    try m.parse(wire, link)
    try m.runIngress()
    for d in m.digests { digest(d) }
    m.deparse(into: &next)
  }

  /// The controller's reaction to a digest on one switch: flow entry (first decision kept) and
  /// register reset at the slot.
  static func controller(_ d: [String: UInt64], _ m: inout P4Machine) {
    let keys: [P4Match] = [
      .exact(P4Value(d["src_addr"] ?? 0, width: 32)), .exact(P4Value(d["dst_addr"] ?? 0, width: 32)),
      .exact(P4Value(d["src_port"] ?? 0, width: 16)), .exact(P4Value(d["dst_port"] ?? 0, width: 16)),
      .exact(P4Value(d["protocol"] ?? 0, width: 8)),
    ]
    m.insert(
      P4Entry(
        table: "flow_class", action: "set_flow_class", keys: keys, params: [P4Value(d["class_id"] ?? 0, width: 8)]))
    m.clearRegisters(at: Int(d["slot"] ?? 0))
  }
}
