import Foundation
import Testing
import Traffic

/// Link layers, VLAN stacking, IPv4 options, fragments and the skip rules.
@Suite struct CaptureLinkTypeTests {
  typealias F = CaptureFixtures
  let tcp = F.tcp(1_600_000_000_123_456_789, ipLength: 52, flags: 0x10, window: 501, words: 8)
  let udp = F.udp(1_600_000_001_000_000_000, ipLength: 33)

  static func bytes(_ mac: UInt64) -> [UInt8] { (0..<6).map { UInt8((mac >> UInt64(40 - 8 * $0)) & 0xFF) } }
  static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }

  /// Ethernet header with the given VLAN tag protocol identifiers before the IPv4 EtherType.
  static func ethernet(_ p: Packet, tags: [UInt16], etherType: UInt16 = 0x0800, payload: [UInt8]? = nil) throws
    -> [UInt8]
  {
    var f = bytes(p.dstMAC!) + bytes(p.srcMAC!)
    for (i, tpid) in tags.enumerated() { f += be16(tpid) + be16(UInt16(100 + i)) }
    return try f + be16(etherType) + (payload ?? FrameEncoder.ipv4Datagram(for: p))
  }

  static func sll(_ p: Packet, addressLength: UInt16 = 6, proto: UInt16 = 0x0800) throws -> [UInt8] {
    try be16(4) + be16(1) + be16(addressLength) + bytes(p.srcMAC!) + [0, 0] + be16(proto)
      + FrameEncoder.ipv4Datagram(for: p)
  }

  static func sll2(_ p: Packet, proto: UInt16 = 0x0800) throws -> [UInt8] {
    try be16(proto) + [0, 0] + [0, 0, 0, 3] + be16(1) + [0, 6] + bytes(p.srcMAC!) + [0, 0]
      + FrameEncoder.ipv4Datagram(for: p)
  }

  func read(linkType: UInt32, frames: [[UInt8]], snapLength: UInt32 = 262_144) throws -> ([Packet], CaptureStats) {
    var w = PcapWriter(linkType: linkType, nanosecond: true, snapLength: snapLength)
    for (i, f) in frames.enumerated() { try w.writeFrame(f, timestampNs: [tcp, udp][i % 2].timestampNs) }
    return try F.readAll(w.data)
  }

  @Test(arguments: [[], [0x8100], [0x88A8, 0x8100], [0x9100, 0x8100], [0x88A8, 0x88A8, 0x8100]] as [[UInt16]])
  func ethernetWithVLANTags(tags: [UInt16]) throws {
    let (packets, stats) = try read(
      linkType: 1, frames: [try Self.ethernet(tcp, tags: tags), try Self.ethernet(udp, tags: tags)])
    #expect(packets == [tcp, udp])
    #expect(stats.decoded == 2)
  }

  @Test func linuxCookedV1FillsSourceMACOnly() throws {
    let (packets, _) = try read(linkType: 113, frames: [try Self.sll(tcp), try Self.sll(udp)])
    #expect(packets == [F.withMACs(tcp, src: tcp.srcMAC, dst: nil), F.withMACs(udp, src: udp.srcMAC, dst: nil)])
    // An address that is not 6 bytes long is not a MAC.
    let (other, _) = try read(linkType: 113, frames: [try Self.sll(tcp, addressLength: 4)])
    #expect(other == [F.withMACs(tcp, src: nil, dst: nil)])
  }

  @Test func linuxCookedV2FillsSourceMACOnly() throws {
    let (packets, _) = try read(linkType: 276, frames: [try Self.sll2(tcp), try Self.sll2(udp)])
    #expect(packets == [F.withMACs(tcp, src: tcp.srcMAC, dst: nil), F.withMACs(udp, src: udp.srcMAC, dst: nil)])
  }

  @Test(arguments: [101, 228, 12, 14] as [UInt32])
  func rawIPv4(linkType: UInt32) throws {
    var w = PcapWriter(linkType: linkType, nanosecond: true)
    try w.write(tcp)
    try w.write(udp)
    let (packets, _) = try F.readAll(w.data)
    #expect(packets == [F.withMACs(tcp, src: nil, dst: nil), F.withMACs(udp, src: nil, dst: nil)])
  }

  @Test func rawIPv6IsSkipped() throws {
    let v6 = [UInt8(0x60)] + [UInt8](repeating: 0, count: 39)
    let (p101, s101) = try read(linkType: 101, frames: [v6])
    let (p229, s229) = try read(linkType: 229, frames: [v6])
    #expect(p101.isEmpty && p229.isEmpty)
    #expect(s101.skipped(.ipv6) == 1 && s229.skipped(.ipv6) == 1)
  }

  @Test(arguments: [24, 40, 60] as [UInt8])
  func ipv4Options(headerLength: UInt8) throws {
    let p = F.tcp(5, ipLength: 200 + UInt16(headerLength), ihl: headerLength, words: 5)
    let q = F.udp(6, ipLength: 100, ihl: headerLength)
    let (packets, _) = try read(linkType: 1, frames: [try Self.ethernet(p, tags: []), try Self.ethernet(q, tags: [])])
    #expect(packets.map(\.ipHeaderLength) == [headerLength, headerLength])
    #expect(packets.map(\.srcPort) == [p.srcPort, q.srcPort])
    #expect(packets[1].udpLength == 100 - UInt16(headerLength))
  }

  @Test func fragments() throws {
    func fragment(_ p: Packet, offsetUnits: UInt16, moreFragments: Bool) throws -> [UInt8] {
      var f = try Self.ethernet(p, tags: [])
      let v = (moreFragments ? 0x2000 : 0) | offsetUnits
      f[14 + 6] = UInt8(v >> 8)
      f[14 + 7] = UInt8(v & 0xFF)
      return f
    }
    let first = try fragment(udp, offsetUnits: 0, moreFragments: true)
    let middle = try fragment(udp, offsetUnits: 185, moreFragments: true)
    let last = try fragment(udp, offsetUnits: 370, moreFragments: false)
    let (packets, stats) = try read(linkType: 1, frames: [first, middle, last])
    #expect(packets.count == 1)
    #expect(packets.first?.udpLength == udp.udpLength)
    #expect(stats.skipped(.nonFirstFragment) == 2)
  }

  @Test func nonIPv4AndNonTransportAreSkippedAndCounted() throws {
    let arp = try Self.ethernet(tcp, tags: [], etherType: 0x0806, payload: [UInt8](repeating: 0, count: 28))
    let ipv6 = try Self.ethernet(
      tcp, tags: [0x8100], etherType: 0x86DD, payload: [0x60] + [UInt8](repeating: 0, count: 39))
    let lldp = try Self.ethernet(tcp, tags: [], etherType: 0x88CC, payload: [UInt8](repeating: 0, count: 30))
    var icmpDatagram = try FrameEncoder.ipv4Datagram(for: udp)
    icmpDatagram[9] = 1
    let icmp = try Self.ethernet(udp, tags: [], payload: icmpDatagram)
    var badVersion = try FrameEncoder.ipv4Datagram(for: tcp)
    badVersion[0] = 0x55
    let malformed = try Self.ethernet(tcp, tags: [], payload: badVersion)
    let (packets, stats) = try read(
      linkType: 1, frames: [arp, ipv6, lldp, icmp, malformed, try Self.ethernet(tcp, tags: [])])
    #expect(packets == [F.withMACs(tcp, src: tcp.srcMAC, dst: tcp.dstMAC).retimed(udp.timestampNs)])
    #expect(stats.packetsRead == 6 && stats.decoded == 1 && stats.skipped == 5)
    #expect(stats.skipped(.arp) == 1)
    #expect(stats.skipped(.ipv6) == 1)
    #expect(stats.skipped(.otherNetworkProtocol) == 1)
    #expect(stats.skipped(.notTCPOrUDP) == 1)
    #expect(stats.skipped(.malformedIPv4) == 1)
  }

  /// Frames cut by the snap length inside a header are skipped as truncated, not errors; a cut
  /// exactly after the needed header still decodes.
  @Test func snapLengthCuts() throws {
    let frames = [try Self.ethernet(tcp, tags: []), try Self.ethernet(udp, tags: [])]
    let (cut40, s40) = try read(linkType: 1, frames: frames, snapLength: 40)
    #expect(cut40.isEmpty && s40.skipped(.truncatedHeaders) == 2)
    let (cut42, s42) = try read(linkType: 1, frames: frames, snapLength: 42)
    #expect(cut42.map(\.proto) == [17] && s42.skipped(.truncatedHeaders) == 1)
    let (cut54, _) = try read(linkType: 1, frames: frames, snapLength: 54)
    #expect(cut54.map(\.proto) == [6, 17])
    let (cut10, s10) = try read(linkType: 1, frames: frames, snapLength: 10)
    #expect(cut10.isEmpty && s10.skipped(.truncatedHeaders) == 2)
    let (qinq, sq) = try read(linkType: 1, frames: [try Self.ethernet(tcp, tags: [0x88A8, 0x8100])], snapLength: 17)
    #expect(qinq.isEmpty && sq.skipped(.truncatedHeaders) == 1)
  }
}

extension Packet {
  func retimed(_ t: Int64) -> Packet {
    var p = self
    p.timestampNs = t
    return p
  }
}
