import DUNESupport
import Foundation
import Testing
import Traffic

/// Cross-checks the reader against tshark's field extraction on real IoT Sentinel captures.
///
/// The committed fixture (`Fixtures/tshark/tshark-fields.csv`, made by `make-fixture.sh` next to it)
/// holds tshark's view of every frame of four captures; the test decodes the same files and compares
/// every field of every IPv4 TCP/UDP row, and that all other rows were skipped.
@Suite struct CaptureTsharkTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/tshark/tshark-fields.csv")

  @Test func matchesTsharkOnFixtureCaptures() throws {
    let root = CaptureFixtures.fixtureCaptures
    let result = try TsharkComparison.compare(csvPath: Self.fixture.path, capturesRoot: root)
    #expect(result.files == 4)
    #expect(result.comparedPackets > 150)
    #expect(result.mismatches == [], "\(result.mismatches.prefix(10))")
  }

  /// The full comparison over every capture: set `DUNE_TSHARK_CSV` to a CSV made by `make-fixture.sh`
  /// for all files (it takes minutes of tshark time, so it is not part of the normal run).
  @Test(
    .enabled(
      if: ProcessInfo.processInfo.environment["DUNE_TSHARK_CSV"] != nil,
      "set DUNE_TSHARK_CSV to a make-fixture.sh CSV of every capture"),
    .enabled(if: IoTSentinelData.folder != nil, IoTSentinelData.skipReason))
  func matchesTsharkOnAllCaptures() throws {
    let csv = ProcessInfo.processInfo.environment["DUNE_TSHARK_CSV"]!
    let root = try #require(CaptureFixtures.iotSentinelCaptures)
    let result = try TsharkComparison.compare(csvPath: csv, capturesRoot: root)
    print(
      "tshark comparison: \(result.files) files, \(result.rows) frames, \(result.comparedPackets) packets compared, \(result.mismatches.count) mismatches"
    )
    #expect(result.mismatches == [], "\(result.mismatches.prefix(20))")
  }
}

/// Compares reader output with a tshark fields CSV, file by file, in capture order.
enum TsharkComparison {
  struct Result {
    var files = 0
    var rows = 0
    var comparedPackets = 0
    var mismatches: [String] = []
  }

  static func compare(csvPath: String, capturesRoot: URL) throws -> Result {
    let table = try CSVTable.read(path: csvPath)
    func col(_ name: String) throws -> Int { try table.column(name) }
    let c = try (
      file: col("file"), frame: col("frame.number"), time: col("frame.time_epoch"), ethSrc: col("eth.src"),
      ethDst: col("eth.dst"), ipSrc: col("ip.src"), ipDst: col("ip.dst"), proto: col("ip.proto"),
      tcpSrc: col("tcp.srcport"), tcpDst: col("tcp.dstport"), udpSrc: col("udp.srcport"),
      udpDst: col("udp.dstport"), ipLen: col("ip.len"), ipHdr: col("ip.hdr_len"), ttl: col("ip.ttl"),
      flags: col("tcp.flags"), window: col("tcp.window_size_value"), tcpHdr: col("tcp.hdr_len"),
      udpLen: col("udp.length"), frag: col("ip.frag_offset")
    )

    var byFile: [(String, [[String]])] = []
    for record in table.records {
      let f = record.fields
      if byFile.last?.0 != f[c.file] { byFile.append((f[c.file], [])) }
      byFile[byFile.count - 1].1.append(f)
    }
    var result = Result()
    for (file, rows) in byFile {
      result.files += 1
      result.rows += rows.count
      let reader = try CaptureReader(path: capturesRoot.appendingPathComponent(file).path)
      var expectedCount = 0
      for f in rows {
        let proto = f[c.proto]
        let isTCP = proto == "6" && !f[c.tcpSrc].isEmpty
        let isUDP = proto == "17" && !f[c.udpSrc].isEmpty
        guard (isTCP || isUDP) && f[c.frag] == "0" else { continue }
        expectedCount += 1
        guard let p = try reader.next() else {
          result.mismatches.append("\(file) frame \(f[c.frame]): reader ended early")
          break
        }
        result.comparedPackets += 1
        let expected = Packet(
          timestampNs: nanoseconds(f[c.time]), srcMAC: mac(f[c.ethSrc]), dstMAC: mac(f[c.ethDst]),
          srcIP: ipv4(f[c.ipSrc]), dstIP: ipv4(f[c.ipDst]), proto: UInt8(proto)!,
          srcPort: UInt16(isTCP ? f[c.tcpSrc] : f[c.udpSrc])!, dstPort: UInt16(isTCP ? f[c.tcpDst] : f[c.udpDst])!,
          ipLength: UInt16(f[c.ipLen])!, ipHeaderLength: UInt8(f[c.ipHdr])!, ttl: UInt8(f[c.ttl])!,
          tcpFlags: isTCP ? UInt8(UInt16(f[c.flags].dropFirst(2), radix: 16)! & 0xFF) : 0,
          tcpWindow: isTCP ? UInt16(f[c.window])! : 0, tcpHeaderWords: isTCP ? UInt8(f[c.tcpHdr])! / 4 : 0,
          udpLength: isUDP ? UInt16(f[c.udpLen])! : 0)
        if p != expected {
          result.mismatches.append("\(file) frame \(f[c.frame]): reader \(p) tshark \(expected)")
        }
      }
      if let extra = try reader.next() {
        result.mismatches.append("\(file): reader has more packets than tshark, first \(extra)")
      }
      let s = reader.stats
      if s.packetsRead != rows.count || s.decoded != expectedCount {
        result.mismatches.append(
          "\(file): stats \(s) but tshark has \(rows.count) frames, \(expectedCount) IPv4 TCP/UDP")
      }
    }
    return result
  }

  static func nanoseconds(_ s: String) -> Int64 {
    let parts = s.split(separator: ".")
    let frac = parts.count > 1 ? String(parts[1]).padding(toLength: 9, withPad: "0", startingAt: 0) : "0"
    return Int64(parts[0])! * 1_000_000_000 + Int64(frac)!
  }

  static func mac(_ s: String) -> UInt64? {
    s.isEmpty ? nil : UInt64(s.replacingOccurrences(of: ":", with: ""), radix: 16)!
  }

  static func ipv4(_ s: String) -> UInt32 {
    s.split(separator: ".").reduce(UInt32(0)) { $0 << 8 | UInt32($1)! }
  }
}
