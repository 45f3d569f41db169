import DataPlane
import Foundation
import Testing
import Traffic

@testable import P4

/// The frames `dune p4 bmv2` sends into the first switch: the replay-time header, then the headers
/// the interpreter's replay puts on the wire (`ProgramReplay.wire`), as bytes.
@Suite struct ReplayFrameTests {
  let headers: [P4Header]
  init() throws { headers = try DuneProgramBuilder.build(try flowCompiled(), name: "flow").program.headers }

  @Test func aTCPPacketByteForByte() {
    let p = Packet(
      timestampNs: 0x0102_0304_0506_0708, srcMAC: 0xAABB_CCDD_EEFF, dstMAC: 0x1122_3344_5566, srcIP: 0x0A00_0001,
      dstIP: 0xC0A8_0102, proto: 6, srcPort: 443, dstPort: 51_000, ipLength: 52, ttl: 64, tcpFlags: 0x12,
      tcpWindow: 0xFAF0, tcpHeaderWords: 8)
    let f = ProgramReplay.frame(p, headers: headers)
    let expected: [UInt8] =
      [1, 2, 3, 4, 5, 6, 7, 8]  // capture time (ns), big-endian
      + [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x08, 0x00]
      + [0x45, 0, 0, 52, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 192, 168, 1, 2]
      + [0x01, 0xBB, 0xC7, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x12, 0xFA, 0xF0, 0, 0, 0, 0]
      + [UInt8](repeating: 0, count: 12)  // TCP options and payload: zeros up to ip.len
    #expect(f == expected)
  }

  @Test func aUDPPacketWithOptionWords() throws {
    let p = Packet(
      timestampNs: 5, srcIP: 1, dstIP: 2, proto: 17, srcPort: 53, dstPort: 5353, ipLength: 60, ipHeaderLength: 28,
      ttl: 1, udpLength: 32)
    let f = ProgramReplay.frame(p, headers: headers)
    #expect(f.count == 8 + 14 + 60)
    #expect(f[22] == 0x47)  // IHL 7: two option words, zero
    #expect(f[42..<50].allSatisfy { $0 == 0 })
    let udp = try #require(headers.first { $0.instance == "udp" })
    #expect(P4Frame.read(udp, from: f, at: 50) == ["src_port": 53, "dst_port": 5353, "length": 32, "checksum": 0])
  }

  @Test func headersReadBackAsTheInterpreterSeesThem() throws {
    let classes = ["a", "b"]
    let captures = SyntheticTraffic(classes: classes, flowsPerCapture: 10, maxFlowLength: 6, seed: 3).generate()
    let declared = Dictionary(headers.map { ($0.instance, $0) }, uniquingKeysWith: { a, _ in a })
    for p in captures.flatMap(\.packets) {
      let f = ProgramReplay.frame(p, headers: headers)
      #expect(P4Frame.read(V1ModelEmitter.replayTime, from: f, at: 0)?["ns"] == UInt64(p.timestampNs))
      var offset = 8
      for h in ProgramReplay.wire(p) {
        let header = try #require(declared[h.instance])
        let read = try #require(P4Frame.read(header, from: f, at: offset))
        for (name, value) in h.fields { #expect(read[name] == value, "\(h.instance).\(name)") }
        offset += header.bitWidth / 8
      }
    }
  }
}
