import DUNESupport
import Foundation
import Testing
import Traffic

@Suite struct CapturePcapTests {
  let packets = [
    CaptureFixtures.tcp(1_471_525_300_314_222_123),
    CaptureFixtures.udp(1_471_525_301_000_000_999, ipLength: 120),
    CaptureFixtures.tcp(1_471_525_302_999_999_001, ipLength: 1500, ihl: 32, flags: 0x18, window: 65535, words: 8),
  ]

  @Test(arguments: [false, true], [false, true])
  func roundTripsBothByteOrdersAndResolutions(bigEndian: Bool, nanosecond: Bool) throws {
    var w = PcapWriter(nanosecond: nanosecond, bigEndian: bigEndian)
    for p in packets { try w.write(p) }
    let (read, stats) = try CaptureFixtures.readAll(w.data)
    let expected = packets.map { p -> Packet in
      var q = p
      if !nanosecond { q.timestampNs -= q.timestampNs % 1000 }
      return q
    }
    #expect(read == expected)
    #expect(stats.packetsRead == 3 && stats.decoded == 3 && stats.skipped == 0)
    let r = try CaptureReader(data: w.data)
    #expect(r.format == .pcap(nanosecond: nanosecond, bigEndian: bigEndian))
  }

  @Test func writesConsistentFrameBytes() throws {
    let p = CaptureFixtures.udp(0, ipLength: 40, ihl: 24)
    let frame = try FrameEncoder.ethernetFrame(for: p)
    #expect(frame.count == 14 + 40)
    #expect(Array(frame[12..<14]) == [0x08, 0x00])
    #expect(frame[14] == 0x46)
    // A valid IPv4 header sums to 0xFFFF (its checksum complements the rest).
    var sum: UInt32 = 0
    for i in stride(from: 14, to: 14 + 24, by: 2) { sum += UInt32(frame[i]) << 8 | UInt32(frame[i + 1]) }
    while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
    #expect(sum == 0xFFFF)
    // UDP length field.
    #expect(UInt16(frame[14 + 24 + 4]) << 8 | UInt16(frame[14 + 24 + 5]) == 16)
  }

  @Test func rejectsInconsistentPackets() {
    var w = PcapWriter()
    #expect(throws: UsageError.self) { try w.write(CaptureFixtures.tcp(0, ipLength: 30)) }
    #expect(throws: UsageError.self) { try w.write(CaptureFixtures.tcp(0, ihl: 22)) }
    #expect(throws: UsageError.self) { try w.write(CaptureFixtures.tcp(-5)) }
    var udp = CaptureFixtures.udp(0, ipLength: 40)
    udp.udpLength = 21
    #expect(throws: UsageError.self) { try w.write(udp) }
    var cooked = PcapWriter(linkType: 113)
    #expect(throws: UsageError.self) { try cooked.write(CaptureFixtures.tcp(0)) }
    // A rejected packet leaves no partial record behind.
    #expect(w.packetCount == 0 && w.data.count == 24)
  }
}
