import DUNESupport
import Traffic

/// How a switch obtains one model feature from a packet and the per-flow registers.
///
/// Packet-level features are read from header fields (in training units: `ip.hdr_len` in bytes,
/// `tcp.hdr_len` in words); flow-level ones from a register updated by `StatefulFeature`.
public enum SwitchFeatureSource: Sendable, Equatable {
  /// A header field of the current packet.
  case packetField(PacketField)
  /// A per-flow register (index into the switch's stateful feature list).
  case register(Int)
  /// `Packet Count`: the packet counter itself (N at flow level).
  case packetCount
  /// No split tests the feature: no table, no register; the key stays 0.
  case unused
}

/// The packet-level fields of `dune-reference.md` §2.6, read from a `Packet`.
public enum PacketField: String, Sendable, Equatable, CaseIterable {
  case ipLen = "ip.len"
  case ttl = "ip.ttl"
  case syn = "tcp.flags.syn"
  case ack = "tcp.flags.ack"
  case psh = "tcp.flags.push"
  case fin = "tcp.flags.fin"
  case rst = "tcp.flags.rst"
  case ece = "tcp.flags.ece"
  case proto = "ip.proto"
  case srcPort = "srcport"
  case dstPort = "dstport"
  case ipHdrLen = "ip.hdr_len"
  case window = "tcp.window_size_value"
  case tcpHdrLen = "tcp.hdr_len"
  case udpLength = "udp.length"

  /// The field's value in training units.
  @inlinable public func value(_ p: Packet) -> Int64 {
    switch self {
    case .ipLen: return Int64(p.ipLength)
    case .ttl: return Int64(p.ttl)
    case .syn: return Int64((p.tcpFlags >> 1) & 1)
    case .ack: return Int64((p.tcpFlags >> 4) & 1)
    case .psh: return Int64((p.tcpFlags >> 3) & 1)
    case .fin: return Int64(p.tcpFlags & 1)
    case .rst: return Int64((p.tcpFlags >> 2) & 1)
    case .ece: return Int64((p.tcpFlags >> 6) & 1)
    case .proto: return Int64(p.proto)
    case .srcPort: return Int64(p.srcPort)
    case .dstPort: return Int64(p.dstPort)
    case .ipHdrLen: return Int64(p.ipHeaderLength)
    case .window: return Int64(p.tcpWindow)
    case .tcpHdrLen: return Int64(p.tcpHeaderWords)
    case .udpLength: return Int64(p.udpLength)
    }
  }
}

/// A flow-level feature kept in a per-flow register (`data-plane.md` §3.4: first packet initialises).
///
/// Values are raw (un-encoded, un-quantised) integers saturating at 2^width − 1 of the register;
/// times are nanoseconds. IAT-based features start at packet 2 (the first packet has no IAT).
public enum StatefulFeature: String, Sendable, Equatable, CaseIterable {
  case minLength = "Min Packet Length"
  case maxLength = "Max Packet Length"
  case totalLength = "Packet Length Total"
  case udpMin = "UDP Len Min"
  case udpMax = "UDP Len Max"
  case iatMin = "Flow IAT Min"
  case iatMax = "Flow IAT Max"
  case duration = "Flow Duration"
  case synCount = "SYN Flag Count"
  case ackCount = "ACK Flag Count"
  case pshCount = "PSH Flag Count"
  case finCount = "FIN Flag Count"
  case rstCount = "RST Flag Count"
  case eceCount = "ECE Flag Count"

  /// Register width in bits (`RegisterPlan.width`).
  public var width: Int { RegisterPlan.width(of: rawValue) }
  /// Largest register value.
  @inlinable public var cap: Int64 { (Int64(1) << Int64(width)) - 1 }

  /// Whether the feature needs inter-arrival times (hence the `last_ts` register).
  public var usesTime: Bool { self == .iatMin || self == .iatMax || self == .duration }

  /// The register value after the flow's first packet.
  @inlinable public func initial(_ p: Packet) -> Int64 {
    switch self {
    case .minLength, .maxLength, .totalLength: return Int64(p.ipLength)
    case .udpMin, .udpMax: return Int64(p.udpLength)
    case .iatMin, .iatMax, .duration: return 0
    case .synCount: return PacketField.syn.value(p)
    case .ackCount: return PacketField.ack.value(p)
    case .pshCount: return PacketField.psh.value(p)
    case .finCount: return PacketField.fin.value(p)
    case .rstCount: return PacketField.rst.value(p)
    case .eceCount: return PacketField.ece.value(p)
    }
  }

  /// The register value after a later packet (`index` ≥ 2 within the flow, `iat` in ns, already
  /// saturated to 32 bits).
  @inlinable public func update(_ old: Int64, _ p: Packet, index: Int, iat: Int64) -> Int64 {
    let v: Int64
    switch self {
    case .minLength: v = min(old, Int64(p.ipLength))
    case .maxLength: v = max(old, Int64(p.ipLength))
    case .totalLength: v = old + Int64(p.ipLength)
    case .udpMin: v = min(old, Int64(p.udpLength))
    case .udpMax: v = max(old, Int64(p.udpLength))
    case .iatMin: v = index == 2 ? iat : min(old, iat)
    case .iatMax: v = index == 2 ? iat : max(old, iat)
    case .duration: v = old + iat
    case .synCount, .ackCount, .pshCount, .finCount, .rstCount, .eceCount: v = old + initial(p)
    }
    return v > cap ? cap : v
  }
}

/// The per-feature plan of one switch: where every model feature comes from.
public struct SwitchFeaturePlan: Sendable {
  public let sources: [SwitchFeatureSource]
  public let stateful: [StatefulFeature]
  public let usesTime: Bool

  /// Plans the model's features; throws when a feature cannot be computed on a switch.
  public init(features: [FeatureEncoding], used: Set<Int>) throws {
    var stateful: [StatefulFeature] = []
    var sources: [SwitchFeatureSource] = []
    for (i, enc) in features.enumerated() {
      if !used.contains(i) {
        sources.append(.unused)
      } else if let f = PacketField(rawValue: enc.name) {
        sources.append(.packetField(f))
      } else if enc.name == "Packet Count" {
        sources.append(.packetCount)
      } else if let s = StatefulFeature(rawValue: enc.name) {
        if let j = stateful.firstIndex(of: s) {
          sources.append(.register(j))
        } else {
          stateful.append(s)
          sources.append(.register(stateful.count - 1))
        }
      } else {
        throw UsageError("feature '\(enc.name)' cannot be computed by a switch (no division, no such field)")
      }
    }
    self.sources = sources
    self.stateful = stateful
    self.usesTime = stateful.contains { $0.usesTime }
  }
}
