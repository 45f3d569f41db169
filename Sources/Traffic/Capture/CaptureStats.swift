/// Why a captured frame produced no `Packet`.
public enum CaptureSkipReason: String, Sendable, CaseIterable {
  /// An Ethernet/SLL payload that is neither IPv4, IPv6 nor ARP (LLC, LLDP, EAPOL, …).
  case otherNetworkProtocol
  case ipv6
  case arp
  /// IPv4 whose protocol is not TCP (6) or UDP (17): ICMP, IGMP, GRE, …
  case notTCPOrUDP
  /// An IPv4 fragment with a non-zero fragment offset: it carries no transport header.
  case nonFirstFragment
  /// The captured bytes end inside a link, IPv4, TCP (20 bytes) or UDP (8 bytes) header (snap length).
  case truncatedHeaders
  /// A header whose fields contradict themselves: IPv4 version ≠ 4, IHL < 5, total length < IHL.
  case malformedIPv4
  /// The frame came from a pcapng interface whose link type this reader does not decode.
  case unsupportedLinkType
}

/// Counters of one capture read: every packet record ends up either decoded or in exactly one skip bucket.
public struct CaptureStats: Sendable, Equatable, CustomStringConvertible {
  /// Packet records met (classic records, pcapng EPB/SPB/OPB).
  public var packetsRead = 0
  /// Records that produced a `Packet` (IPv4 TCP or UDP).
  public var decoded = 0
  /// Captured bytes of all packet records (frame data only, no record headers).
  public var capturedBytes = 0
  /// Skipped records, indexed by `CaptureSkipReason` declaration order.
  public private(set) var skippedCounts = [Int](repeating: 0, count: CaptureSkipReason.allCases.count)

  public init() {}

  /// Counts one skipped record.
  mutating func countSkip(_ reason: CaptureSkipReason) { skippedCounts[reason.index] += 1 }

  /// Records skipped for `reason`.
  public func skipped(_ reason: CaptureSkipReason) -> Int { skippedCounts[reason.index] }

  /// All skipped records.
  public var skipped: Int { skippedCounts.reduce(0, +) }

  /// Adds another read's counters (e.g. to total a folder of captures).
  public mutating func add(_ other: CaptureStats) {
    packetsRead += other.packetsRead
    decoded += other.decoded
    capturedBytes += other.capturedBytes
    for i in skippedCounts.indices { skippedCounts[i] += other.skippedCounts[i] }
  }

  public var description: String {
    var parts = ["read \(packetsRead)", "decoded \(decoded)"]
    for r in CaptureSkipReason.allCases where skipped(r) > 0 { parts.append("\(r.rawValue) \(skipped(r))") }
    return parts.joined(separator: ", ")
  }
}

extension CaptureSkipReason {
  /// Position in `allCases`; the counters array is indexed by it.
  @inline(__always) var index: Int {
    switch self {
    case .otherNetworkProtocol: 0
    case .ipv6: 1
    case .arp: 2
    case .notTCPOrUDP: 3
    case .nonFirstFragment: 4
    case .truncatedHeaders: 5
    case .malformedIPv4: 6
    case .unsupportedLinkType: 7
    }
  }
}
