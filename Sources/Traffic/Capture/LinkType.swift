/// The link-layer framings the capture reader decodes, keyed by their LINKTYPE_ number.
///
/// Numbers are the tcpdump.org LINKTYPE registry values, the ones stored in pcap and pcapng headers.
public enum LinkType: Sendable, Equatable {
  /// LINKTYPE_ETHERNET (1), with any number of 802.1Q / 802.1ad / QinQ tags.
  case ethernet
  /// LINKTYPE_LINUX_SLL (113): Linux cooked capture v1, 16-byte header.
  case linuxCooked
  /// LINKTYPE_LINUX_SLL2 (276): Linux cooked capture v2, 20-byte header.
  case linuxCooked2
  /// Raw IP, version taken from the first nibble: LINKTYPE_RAW (101) and the DLT values 12 and 14.
  case rawIP
  /// LINKTYPE_IPV4 (228): raw IPv4 only.
  case rawIPv4
  /// LINKTYPE_IPV6 (229): raw IPv6 only (every frame is counted as IPv6 and skipped).
  case rawIPv6
  /// Anything else; carries the number for messages.
  case unsupported(UInt32)

  /// Maps a header's link-type field (low 16 bits; the upper bits carry FCS information).
  public init(number: UInt32) {
    switch number & 0xFFFF {
    case 1: self = .ethernet
    case 113: self = .linuxCooked
    case 276: self = .linuxCooked2
    case 101, 12, 14: self = .rawIP
    case 228: self = .rawIPv4
    case 229: self = .rawIPv6
    default: self = .unsupported(number & 0xFFFF)
    }
  }

  /// True when frames of this type can be decoded.
  public var isSupported: Bool {
    if case .unsupported = self { return false }
    return true
  }
}
