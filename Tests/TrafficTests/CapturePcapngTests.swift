import DUNESupport
import Foundation
import Testing
import Traffic

/// pcapng: interfaces with their own link type and resolution, sections, block kinds, both byte orders.
@Suite struct CapturePcapngTests {
  typealias F = CaptureFixtures
  typealias L = CaptureLinkTypeTests

  @Test(arguments: [false, true])
  func interfacesWithOwnLinkTypeAndResolution(bigEndian: Bool) throws {
    let a = F.tcp(1_700_000_000_123_456_789)
    let b = F.udp(1_700_000_001_500_000_000)
    let c = F.tcp(1_700_000_002_250_000_000, flags: 0x02)
    let d = F.udp(1_700_000_003_042_000_000)
    var w = PcapngWriter(bigEndian: bigEndian)
    let eth = w.addInterface(linkType: 1, tsresol: 9)  // ns
    let cooked = w.addInterface(linkType: 276, tsresol: 0x80 | 20)  // 2^-20 s
    let raw = w.addInterface(linkType: 101)  // default µs
    let milli = w.addInterface(linkType: 1, tsresol: 3)  // ms
    w.writeEnhancedPacket(
      interface: eth, timestampUnits: UInt64(a.timestampNs), frame: try L.ethernet(a, tags: [0x8100]))
    // 1_700_000_001.5 s = seconds × 2^20 + 2^19 units.
    w.writeEnhancedPacket(interface: cooked, timestampUnits: 1_700_000_001 << 20 | 1 << 19, frame: try L.sll2(b))
    w.writeEnhancedPacket(
      interface: raw, timestampUnits: UInt64(c.timestampNs / 1000), frame: try FrameEncoder.ipv4Datagram(for: c))
    w.writeEnhancedPacket(interface: milli, timestampUnits: 1_700_000_003_042, frame: try L.ethernet(d, tags: []))
    let (packets, stats) = try F.readAll(w.data)
    #expect(
      packets == [
        a, F.withMACs(b, src: b.srcMAC, dst: nil), F.withMACs(c, src: nil, dst: nil), d,
      ])
    #expect(stats.packetsRead == 4 && stats.decoded == 4)
    #expect(try CaptureReader(data: w.data).format == .pcapng)
  }

  @Test func newSectionSwitchesByteOrderAndForgetsInterfaces() throws {
    let a = F.tcp(1_000_000_000)
    let b = F.udp(2_000_000_000)
    var w = PcapngWriter(bigEndian: false)
    w.addInterface(linkType: 1, tsresol: 9)
    w.addInterface(linkType: 1, tsresol: 9)
    w.writeEnhancedPacket(interface: 1, timestampUnits: 1_000_000_000, frame: try L.ethernet(a, tags: []))
    w.startSection(bigEndian: true)
    w.addInterface(linkType: 228, tsresol: 6)
    w.writeEnhancedPacket(interface: 0, timestampUnits: 2_000_000, frame: try FrameEncoder.ipv4Datagram(for: b))
    let (packets, _) = try F.readAll(w.data)
    #expect(packets == [a, F.withMACs(b, src: nil, dst: nil)])

    // Interface 1 existed only in the first section.
    let good = w.data.count
    w.writeEnhancedPacket(interface: 1, timestampUnits: 3, frame: try FrameEncoder.ipv4Datagram(for: b))
    #expect(throws: LocatedError(file: "test.pcap", offset: good + 8, "packet names interface 1, only 1 defined")) {
      try F.readAll(w.data)
    }
  }

  @Test func otherBlockKindsAndUnknownBlocks() throws {
    let a = F.tcp(7_000_000_000)
    let b = F.udp(9_000_000_000)
    var w = PcapngWriter(bigEndian: true)
    w.writeBlock(type: 0x4000_0BAD, body: [1, 2, 3, 4, 5])  // custom block before any interface
    w.addInterface(linkType: 1, snapLength: 0, tsresol: 6, tsoffsetSeconds: 5)
    w.writeBlock(type: 4, body: [0, 0, 0, 0])  // name resolution
    w.writeSimplePacket(frame: try L.ethernet(a, tags: []))
    w.writeObsoletePacket(interface: 0, timestampUnits: 4_000_000, frame: try L.ethernet(b, tags: []))
    w.writeBlock(type: 5, body: [UInt8](repeating: 0, count: 12))  // interface statistics
    w.writeBlock(type: 0x0BAD, body: [UInt8](repeating: 0xFF, count: 40))
    let (packets, stats) = try F.readAll(w.data)
    // A simple packet block has no timestamp; tsoffset (5 s) shifts the obsolete block's 4 s.
    #expect(packets == [a.retimed(0), b])
    #expect(stats.packetsRead == 2)
  }

  @Test func unsupportedInterfaceIsSkippedOthersDecoded() throws {
    let a = F.tcp(1_000)
    var w = PcapngWriter()
    w.addInterface(linkType: 147, tsresol: 9)  // LINKTYPE_USER0
    w.addInterface(linkType: 1, tsresol: 9)
    w.writeEnhancedPacket(interface: 0, timestampUnits: 1, frame: [1, 2, 3, 4, 5, 6, 7])
    w.writeEnhancedPacket(interface: 1, timestampUnits: 1_000, frame: try L.ethernet(a, tags: []))
    let (packets, stats) = try F.readAll(w.data)
    #expect(packets == [a])
    #expect(stats.skipped(.unsupportedLinkType) == 1)
  }

  @Test func snapLengthOfSimplePacketBlockLimitsCapturedBytes() throws {
    var w = PcapngWriter()
    w.addInterface(linkType: 1, snapLength: 40)
    w.writeSimplePacket(frame: try L.ethernet(F.tcp(0), tags: []))
    let (packets, stats) = try F.readAll(w.data)
    #expect(packets.isEmpty && stats.skipped(.truncatedHeaders) == 1)
  }

  /// Files are streamed through a refillable buffer: a buffer far smaller than the records (which
  /// forces growth, refills and seeks over skipped blocks) gives the same packets as memory.
  @Test(arguments: [16, 61, 256, 1 << 20])
  func smallReadBufferGivesSamePackets(bufferSize: Int) throws {
    var ng = PcapngWriter(bigEndian: true)
    ng.addInterface(linkType: 1, tsresol: 9)
    var pcap = PcapWriter(nanosecond: true)
    var expected: [Packet] = []
    for i in 0..<300 {
      let p =
        i % 3 == 0
        ? F.udp(Int64(i) * 1_000_003, ipLength: UInt16(28 + i))
        : F.tcp(Int64(i) * 999_331, ipLength: UInt16(40 + i * 3))
      expected.append(p)
      try pcap.write(p)
      ng.writeEnhancedPacket(
        interface: 0, timestampUnits: UInt64(p.timestampNs), frame: try FrameEncoder.ethernetFrame(for: p))
      if i % 50 == 0 { ng.writeBlock(type: 0x0BAD, body: [UInt8](repeating: 7, count: 3000)) }
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capture-buffer-\(getpid())-\(bufferSize)")
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, data) in [("a.pcapng", ng.data), ("b.pcap", pcap.data)] {
      let path = dir.appendingPathComponent(name).path
      try AtomicFile.write(data, to: path)
      let reader = try CaptureReader(path: path, bufferSize: bufferSize)
      var got: [Packet] = []
      while let p = try reader.next() { got.append(p) }
      #expect(got == expected, "\(name)")
    }
  }
}
