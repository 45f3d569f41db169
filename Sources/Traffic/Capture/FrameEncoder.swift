import DUNESupport

/// Builds wire-format frames from `Packet`s: Ethernet II → IPv4 → TCP or UDP, zero-filled payload.
///
/// The frame is consistent with the packet: IPv4 total length = `ipLength`, IHL = `ipHeaderLength`/4
/// (extra header bytes are NOP options), TCP data offset = `tcpHeaderWords` (extra bytes are NOP
/// options; 0 means 5), UDP length = `udpLength` (0 means "the rest of the datagram"). The IPv4
/// header checksum and the TCP/UDP checksums are valid; identification, sequence and acknowledgement
/// numbers are 0, so equal packets give equal bytes.
public enum FrameEncoder {
  /// The Ethernet II frame of `packet`; nil MAC addresses are written as 00:00:00:00:00:00.
  public static func ethernetFrame(for packet: Packet) throws -> [UInt8] {
    var out: [UInt8] = []
    try appendEthernetFrame(for: packet, to: &out)
    return out
  }

  /// The IPv4 datagram of `packet` (what raw-IP link types carry).
  public static func ipv4Datagram(for packet: Packet) throws -> [UInt8] {
    var out: [UInt8] = []
    try appendIPv4Datagram(for: packet, to: &out)
    return out
  }

  /// Appends the Ethernet II frame of `packet` to `out`.
  public static func appendEthernetFrame(for packet: Packet, to out: inout [UInt8]) throws {
    appendMAC(packet.dstMAC ?? 0, to: &out)
    appendMAC(packet.srcMAC ?? 0, to: &out)
    out.append(0x08)
    out.append(0x00)
    try appendIPv4Datagram(for: packet, to: &out)
  }

  /// Appends the IPv4 datagram of `packet` to `out`; throws a `UsageError` when its lengths contradict.
  public static func appendIPv4Datagram(for packet: Packet, to out: inout [UInt8]) throws {
    let ihl = Int(packet.ipHeaderLength)
    guard ihl >= 20, ihl <= 60, ihl % 4 == 0 else {
      throw UsageError("IPv4 header length \(ihl) is not a multiple of 4 in 20...60")
    }
    let total = Int(packet.ipLength)
    let transportLength: Int
    switch packet.proto {
    case 6:
      let words = packet.tcpHeaderWords == 0 ? 5 : Int(packet.tcpHeaderWords)
      guard words >= 5, words <= 15 else { throw UsageError("TCP data offset \(words) is not in 5...15") }
      transportLength = words * 4
    case 17:
      transportLength = 8
      if packet.udpLength != 0 {
        guard packet.udpLength >= 8, Int(packet.udpLength) <= total - ihl else {
          throw UsageError(
            "UDP length \(packet.udpLength) does not fit IPv4 length \(total) with header \(ihl)")
        }
      }
    default:
      throw UsageError("IP protocol \(packet.proto) is neither TCP (6) nor UDP (17)")
    }
    guard total >= ihl + transportLength else {
      throw UsageError("IPv4 length \(total) is shorter than its headers (\(ihl) + \(transportLength))")
    }

    let ip = out.count
    out.append(UInt8(0x40 | ihl / 4))
    out.append(0)  // TOS
    appendBE16(UInt16(total), to: &out)
    appendBE16(0, to: &out)  // identification
    appendBE16(0, to: &out)  // flags + fragment offset
    out.append(packet.ttl)
    out.append(packet.proto)
    appendBE16(0, to: &out)  // checksum, patched below
    appendBE32(packet.srcIP, to: &out)
    appendBE32(packet.dstIP, to: &out)
    out.append(contentsOf: repeatElement(1, count: ihl - 20))  // NOP options
    let ipChecksum = internetChecksum(out[ip..<(ip + ihl)], initial: 0)
    out[ip + 10] = UInt8(ipChecksum >> 8)
    out[ip + 11] = UInt8(ipChecksum & 0xFF)

    let t = out.count
    let segmentLength = total - ihl
    appendBE16(packet.srcPort, to: &out)
    appendBE16(packet.dstPort, to: &out)
    let checksumAt: Int
    let checkedLength: Int
    if packet.proto == 6 {
      appendBE32(0, to: &out)  // sequence
      appendBE32(0, to: &out)  // acknowledgement
      out.append(UInt8(transportLength / 4) << 4)
      out.append(packet.tcpFlags)
      appendBE16(packet.tcpWindow, to: &out)
      appendBE16(0, to: &out)  // checksum
      appendBE16(0, to: &out)  // urgent pointer
      out.append(contentsOf: repeatElement(1, count: transportLength - 20))  // NOP options
      checksumAt = t + 16
      checkedLength = segmentLength
    } else {
      let udpLength = packet.udpLength == 0 ? segmentLength : Int(packet.udpLength)
      appendBE16(UInt16(udpLength), to: &out)
      appendBE16(0, to: &out)
      checksumAt = t + 6
      checkedLength = udpLength
    }
    out.append(contentsOf: repeatElement(0, count: segmentLength - transportLength))

    // Pseudo-header: source, destination, zero + protocol, transport length.
    var pseudo = UInt32(packet.srcIP >> 16) + UInt32(packet.srcIP & 0xFFFF)
    pseudo += UInt32(packet.dstIP >> 16) + UInt32(packet.dstIP & 0xFFFF)
    pseudo += UInt32(packet.proto) + UInt32(checkedLength)
    var sum = internetChecksum(out[t..<(t + checkedLength)], initial: pseudo)
    if packet.proto == 17 && sum == 0 { sum = 0xFFFF }  // 0 means "no checksum" in UDP
    out[checksumAt] = UInt8(sum >> 8)
    out[checksumAt + 1] = UInt8(sum & 0xFF)
  }

  /// RFC 1071 ones'-complement checksum of `bytes`, starting from a partial sum.
  static func internetChecksum(_ bytes: ArraySlice<UInt8>, initial: UInt32) -> UInt16 {
    var sum = UInt64(initial)
    var i = bytes.startIndex
    while i + 1 < bytes.endIndex {
      sum += UInt64(bytes[i]) << 8 | UInt64(bytes[i + 1])
      i += 2
    }
    if i < bytes.endIndex { sum += UInt64(bytes[i]) << 8 }
    while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
    return ~UInt16(sum)
  }

  static func appendMAC(_ mac: UInt64, to out: inout [UInt8]) {
    for shift in stride(from: 40, through: 0, by: -8) { out.append(UInt8((mac >> UInt64(shift)) & 0xFF)) }
  }

  static func appendBE16(_ v: UInt16, to out: inout [UInt8]) {
    out.append(UInt8(v >> 8))
    out.append(UInt8(v & 0xFF))
  }

  static func appendBE32(_ v: UInt32, to out: inout [UInt8]) {
    out.append(UInt8(v >> 24))
    out.append(UInt8((v >> 16) & 0xFF))
    out.append(UInt8((v >> 8) & 0xFF))
    out.append(UInt8(v & 0xFF))
  }
}
