/// Decodes one captured frame into a `Packet`: link layer → IPv4 → TCP/UDP header fields.
///
/// Rules (they match what tshark shows with `ip.defragment:FALSE`):
/// - VLAN tags 0x8100, 0x88a8 and 0x9100 are peeled in any number (802.1Q, 802.1ad, QinQ).
/// - IPv4 options are skipped using IHL; `ipHeaderLength` is IHL × 4 (`ip.hdr_len`).
/// - A fragment with offset > 0 has no transport header and is skipped; a first fragment is decoded
///   from the transport header it carries.
/// - The frame must hold the whole IPv4 header and the fixed TCP (20 bytes) or UDP (8 bytes) header;
///   a frame cut shorter by the snap length is skipped as `truncatedHeaders`, not an error.
/// - Linux cooked captures carry only the sender's link-layer address: `srcMAC` is filled when it is
///   6 bytes long; `dstMAC` is always nil. Raw-IP link types fill neither.
enum FrameDecoder {
  enum Outcome {
    case packet(Packet)
    case skipped(CaptureSkipReason)
  }

  @inline(__always)
  static func decode(_ p: UnsafeRawPointer, count n: Int, link: LinkType, timestampNs: Int64) -> Outcome {
    switch link {
    case .ethernet:
      guard n >= 14 else { return .skipped(.truncatedHeaders) }
      return network(
        p.be16(12), p + 14, count: n - 14, srcMAC: p.mac(6), dstMAC: p.mac(0), timestampNs: timestampNs)
    case .linuxCooked:
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      guard n >= 16 else { return .skipped(.truncatedHeaders) }
      let src: UInt64? = p.be16(4) == 6 ? p.mac(6) : nil
      return network(p.be16(14), p + 16, count: n - 16, srcMAC: src, dstMAC: nil, timestampNs: timestampNs)
    case .linuxCooked2:
      // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) address length(1) address(8)
      guard n >= 20 else { return .skipped(.truncatedHeaders) }
      let src: UInt64? = p.u8(11) == 6 ? p.mac(12) : nil
      return network(p.be16(0), p + 20, count: n - 20, srcMAC: src, dstMAC: nil, timestampNs: timestampNs)
    case .rawIP:
      guard n >= 1 else { return .skipped(.truncatedHeaders) }
      switch p.u8(0) >> 4 {
      case 4: return ipv4(p, count: n, srcMAC: nil, dstMAC: nil, timestampNs: timestampNs)
      case 6: return .skipped(.ipv6)
      default: return .skipped(.otherNetworkProtocol)
      }
    case .rawIPv4:
      return ipv4(p, count: n, srcMAC: nil, dstMAC: nil, timestampNs: timestampNs)
    case .rawIPv6:
      return .skipped(.ipv6)
    case .unsupported:
      return .skipped(.unsupportedLinkType)
    }
  }

  /// Dispatches on an EtherType; `p` points just after it. VLAN tags (TCI + next EtherType) are
  /// peeled in a loop so any stacking depth works on every link type.
  @inline(__always)
  private static func network(
    _ etherType: UInt16, _ p: UnsafeRawPointer, count n: Int, srcMAC: UInt64?, dstMAC: UInt64?,
    timestampNs: Int64
  ) -> Outcome {
    var type = etherType
    var at = 0
    while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
      guard n >= at + 4 else { return .skipped(.truncatedHeaders) }
      type = p.be16(at + 2)
      at += 4
    }
    switch type {
    case 0x0800:
      return ipv4(p + at, count: n - at, srcMAC: srcMAC, dstMAC: dstMAC, timestampNs: timestampNs)
    case 0x86DD: return .skipped(.ipv6)
    case 0x0806: return .skipped(.arp)
    default: return .skipped(.otherNetworkProtocol)
    }
  }

  @inline(__always)
  private static func ipv4(
    _ p: UnsafeRawPointer, count n: Int, srcMAC: UInt64?, dstMAC: UInt64?, timestampNs: Int64
  ) -> Outcome {
    guard n >= 20 else { return .skipped(.truncatedHeaders) }
    let versionIHL = p.u8(0)
    guard versionIHL >> 4 == 4 else { return .skipped(.malformedIPv4) }
    let headerLength = Int(versionIHL & 0x0F) &* 4
    guard headerLength >= 20 else { return .skipped(.malformedIPv4) }
    guard n >= headerLength else { return .skipped(.truncatedHeaders) }
    let totalLength = p.be16(2)
    // Total length 0 is what TSO senders capture; Wireshark still decodes those, so do we.
    guard totalLength == 0 || Int(totalLength) >= headerLength else { return .skipped(.malformedIPv4) }
    guard p.be16(6) & 0x1FFF == 0 else { return .skipped(.nonFirstFragment) }
    let proto = p.u8(9)
    let t = p + headerLength
    let tn = n &- headerLength
    var packet = Packet(
      timestampNs: timestampNs, srcMAC: srcMAC, dstMAC: dstMAC, srcIP: p.be32(12), dstIP: p.be32(16),
      proto: proto, srcPort: 0, dstPort: 0, ipLength: totalLength, ipHeaderLength: UInt8(headerLength),
      ttl: p.u8(8))
    switch proto {
    case 6:
      guard tn >= 20 else { return .skipped(.truncatedHeaders) }
      packet.srcPort = t.be16(0)
      packet.dstPort = t.be16(2)
      packet.tcpHeaderWords = t.u8(12) >> 4
      packet.tcpFlags = t.u8(13)
      packet.tcpWindow = t.be16(14)
    case 17:
      guard tn >= 8 else { return .skipped(.truncatedHeaders) }
      packet.srcPort = t.be16(0)
      packet.dstPort = t.be16(2)
      packet.udpLength = t.be16(4)
    default:
      return .skipped(.notTCPOrUDP)
    }
    return .packet(packet)
  }
}
