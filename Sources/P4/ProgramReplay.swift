import DUNESupport
import Traffic

/// Replays packets through a chain of generated programs with their runtime entries, interpreting
/// each program as bmv2 would (parser, ingress, registers, CRC hashes, digests) and playing the
/// controller of `data-plane.md` §6: a digest installs the flow's class in every switch's
/// `flow_class` table and zeroes every register at the flow's slot, `controllerDelayPackets`
/// packets later. The output is the DUNE header of every packet after the last switch — the
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
  public var controllerDelayPackets: Int

  public init(switches: [Switch], controllerDelayPackets: Int = 64) {
    self.switches = switches
    self.controllerDelayPackets = controllerDelayPackets
  }

  /// The headers of `p` on the wire before the first switch.
  static func wire(_ p: Packet) -> [(instance: String, fields: [String: UInt64])] {
    var w: [(instance: String, fields: [String: UInt64])] = [
      ("ethernet", ["dst_addr": p.dstMAC ?? 0, "src_addr": p.srcMAC ?? 0, "ether_type": 0x0800]),
      (
        "ipv4",
        [
          "version": 4, "ihl": UInt64(p.ipHeaderLength / 4), "total_len": UInt64(p.ipLength), "ttl": UInt64(p.ttl),
          "protocol": UInt64(p.proto), "src_addr": UInt64(p.srcIP), "dst_addr": UInt64(p.dstIP),
        ]
      ),
    ]
    // IPv4 options (IHL > 5): one 32-bit word each, in the order the parser extracts them
    // (`ipv4_opt_(k-1)` first, `ipv4_opt_0` right before the L4 header). Their content is not kept
    // by the capture reader and nothing reads it, so the words are zero.
    let optionWords = min(max(Int(p.ipHeaderLength) / 4 - 5, 0), 10)
    for j in (0..<optionWords).reversed() { w.append(("ipv4_opt_\(j)", ["word": 0])) }
    if p.proto == 6 {
      let f = UInt64(p.tcpFlags)
      w.append(
        (
          "tcp",
          [
            "src_port": UInt64(p.srcPort), "dst_port": UInt64(p.dstPort), "data_offset": UInt64(p.tcpHeaderWords),
            "window": UInt64(p.tcpWindow), "fin": f & 1, "syn": f >> 1 & 1, "rst": f >> 2 & 1, "psh": f >> 3 & 1,
            "ack": f >> 4 & 1, "urg": f >> 5 & 1, "ece": f >> 6 & 1, "cwr": f >> 7 & 1,
          ]
        ))
    } else if p.proto == 17 {
      w.append(("udp", ["src_port": UInt64(p.srcPort), "dst_port": UInt64(p.dstPort), "length": UInt64(p.udpLength)]))
    }
    return w
  }

  /// Runs `packets` (in order) through the chain.
  public func run(_ packets: [Packet]) throws -> Output {
    var machines = switches.map { P4Machine(program: $0.program, entries: $0.entries, withRegisters: true) }
    var pending: [(due: Int, digest: [String: UInt64])] = []
    var head = 0
    var out = Output(classes: [], flags: [], modelIDs: [], digests: 0)
    for (i, p) in packets.enumerated() {
      while head < pending.count && pending[head].due <= i {
        let d = pending[head].digest
        head += 1
        for s in machines.indices { Self.controller(d, &machines[s]) }
      }
      var wire = Self.wire(p)
      for s in machines.indices {
        machines[s].resetPacket()
        machines[s].timestampNs = UInt64(max(p.timestampNs, 0))
        try machines[s].parse(wire)
        try machines[s].run(machines[s].program.ingress)
        for d in machines[s].digests {
          out.digests += 1
          pending.append((i + 1 + controllerDelayPackets, d))
        }
        wire = machines[s].deparse()
      }
      let dune = wire.first { $0.instance == "dune" }?.fields ?? [:]
      out.classes.append(UInt8(dune["class_id"] ?? 0))
      out.flags.append(UInt8(dune["flags"] ?? 0))
      out.modelIDs.append(UInt8(dune["model_id"] ?? 0))
    }
    return out
  }

  /// The controller's reaction to a digest on one switch: flow entry (first decision kept) and
  /// register reset at the slot.
  static func controller(_ d: [String: UInt64], _ m: inout P4Machine) {
    let keys: [P4Match] = [
      .exact(P4Value(d["src_addr"] ?? 0, width: 32)), .exact(P4Value(d["dst_addr"] ?? 0, width: 32)),
      .exact(P4Value(d["src_port"] ?? 0, width: 16)), .exact(P4Value(d["dst_port"] ?? 0, width: 16)),
      .exact(P4Value(d["protocol"] ?? 0, width: 8)),
    ]
    m.insert(P4Entry(table: "flow_class", action: "set_flow_class", keys: keys, params: [P4Value(d["class_id"] ?? 0, width: 8)]))
    let slot = Int(d["slot"] ?? 0)
    // Names first: iterating the live dictionary while writing would copy every register array.
    for name in Array(m.registers.keys) where slot < m.registers[name]!.count { m.registers[name]![slot] = 0 }
  }
}
