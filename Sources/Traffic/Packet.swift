/// One decoded IPv4 TCP or UDP packet: exactly the fields DUNE extracts (`dune-reference.md` §2.2).
///
/// Field meanings equal Wireshark's: `ipLength` is `ip.len` (IPv4 total length), `ipHeaderLength`
/// is `ip.hdr_len` in bytes, `tcpWindow` is the raw `tcp.window_size_value`, `tcpHeaderWords` is the
/// TCP data offset (`tcp.hdr_len` / 4). TCP fields are 0 for UDP packets and vice versa.
public struct Packet: Sendable, Equatable {
  /// Capture time in nanoseconds since the Unix epoch.
  public var timestampNs: Int64
  /// Source and destination MAC (48 bits); `nil` on link types without them (raw IPv4).
  public var srcMAC: UInt64?
  public var dstMAC: UInt64?
  public var srcIP: UInt32
  public var dstIP: UInt32
  /// IP protocol: 6 (TCP) or 17 (UDP).
  public var proto: UInt8
  public var srcPort: UInt16
  public var dstPort: UInt16
  public var ipLength: UInt16
  public var ipHeaderLength: UInt8
  public var ttl: UInt8
  /// The raw TCP flags byte: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80.
  public var tcpFlags: UInt8
  public var tcpWindow: UInt16
  public var tcpHeaderWords: UInt8
  public var udpLength: UInt16

  public init(
    timestampNs: Int64, srcMAC: UInt64? = nil, dstMAC: UInt64? = nil, srcIP: UInt32, dstIP: UInt32,
    proto: UInt8, srcPort: UInt16, dstPort: UInt16, ipLength: UInt16, ipHeaderLength: UInt8 = 20,
    ttl: UInt8, tcpFlags: UInt8 = 0, tcpWindow: UInt16 = 0, tcpHeaderWords: UInt8 = 0,
    udpLength: UInt16 = 0
  ) {
    self.timestampNs = timestampNs
    self.srcMAC = srcMAC
    self.dstMAC = dstMAC
    self.srcIP = srcIP
    self.dstIP = dstIP
    self.proto = proto
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.ipLength = ipLength
    self.ipHeaderLength = ipHeaderLength
    self.ttl = ttl
    self.tcpFlags = tcpFlags
    self.tcpWindow = tcpWindow
    self.tcpHeaderWords = tcpHeaderWords
    self.udpLength = udpLength
  }

  /// The unidirectional 5-tuple.
  public var fiveTuple: FiveTuple {
    FiveTuple(srcIP: srcIP, dstIP: dstIP, srcPort: srcPort, dstPort: dstPort, proto: proto)
  }
}

/// A unidirectional flow key: (source IP, destination IP, source port, destination port, protocol).
public struct FiveTuple: Hashable, Sendable {
  public var srcIP: UInt32
  public var dstIP: UInt32
  public var srcPort: UInt16
  public var dstPort: UInt16
  public var proto: UInt8

  public init(srcIP: UInt32, dstIP: UInt32, srcPort: UInt16, dstPort: UInt16, proto: UInt8) {
    self.srcIP = srcIP
    self.dstIP = dstIP
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.proto = proto
  }

  /// The reference `Flow ID` text: `"<ip.src> <ip.dst> <srcport> <dstport> <ip.proto>"`.
  public var flowID: String {
    "\(dottedQuad(srcIP)) \(dottedQuad(dstIP)) \(srcPort) \(dstPort) \(proto)"
  }
}

/// Dotted-decimal text of an IPv4 address held in host order (most significant byte first).
public func dottedQuad(_ a: UInt32) -> String {
  "\(a >> 24).\((a >> 16) & 0xff).\((a >> 8) & 0xff).\(a & 0xff)"
}
