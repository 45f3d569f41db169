import Foundation
import Testing
import Traffic

/// Shared builders for the capture tests.
enum CaptureFixtures {
  static func tcp(
    _ ts: Int64, src: UInt32 = 0x0A00_0001, dst: UInt32 = 0xC0A8_0102, sport: UInt16 = 443, dport: UInt16 = 50000,
    ipLength: UInt16 = 60, ihl: UInt8 = 20, flags: UInt8 = 0x12, window: UInt16 = 29200, words: UInt8 = 5,
    ttl: UInt8 = 64
  ) -> Packet {
    Packet(
      timestampNs: ts, srcMAC: 0x0011_2233_4455, dstMAC: 0x66_7788_99AA_BB, srcIP: src, dstIP: dst, proto: 6,
      srcPort: sport, dstPort: dport, ipLength: ipLength, ipHeaderLength: ihl, ttl: ttl, tcpFlags: flags,
      tcpWindow: window, tcpHeaderWords: words)
  }

  static func udp(
    _ ts: Int64, src: UInt32 = 0xC0A8_0102, dst: UInt32 = 0x0808_0808, sport: UInt16 = 5353, dport: UInt16 = 53,
    ipLength: UInt16 = 76, ihl: UInt8 = 20, ttl: UInt8 = 255
  ) -> Packet {
    Packet(
      timestampNs: ts, srcMAC: 0x66_7788_99AA_BB, dstMAC: 0x0011_2233_4455, srcIP: src, dstIP: dst, proto: 17,
      srcPort: sport, dstPort: dport, ipLength: ipLength, ipHeaderLength: ihl, ttl: ttl,
      udpLength: ipLength - UInt16(ihl))
  }

  /// A packet as a reader without MACs (raw IP) or with only the source MAC (cooked) returns it.
  static func withMACs(_ p: Packet, src: UInt64?, dst: UInt64?) -> Packet {
    var q = p
    q.srcMAC = src
    q.dstMAC = dst
    return q
  }

  static func readAll(_ data: Data) throws -> (packets: [Packet], stats: CaptureStats) {
    let r = try CaptureReader(data: data, name: "test.pcap")
    var out: [Packet] = []
    while let p = try r.next() { out.append(p) }
    return (out, r.stats)
  }

  /// The repository root, from this file's location.
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Four real IoT Sentinel captures committed with the tests (`Fixtures/iot-sentinel`, see its README).
  static var fixtureCaptures: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/iot-sentinel")
  }

  /// The full IoT Sentinel captures folder, when the dataset is on this machine (`IoTSentinelData`).
  static var iotSentinelCaptures: URL? {
    IoTSentinelData.folder.map { URL(fileURLWithPath: $0).appendingPathComponent("captures") }
  }
}

/// Where the optional IoT Sentinel dataset is: `DUNE_IOT_SENTINEL_DATA`, else the developers' copy
/// beside the repository (`../shared/datasets/iot-sentinel`); nil when neither holds `captures/`.
/// Tests that need it are skipped with `IoTSentinelData.skipReason` when it is absent.
enum IoTSentinelData {
  static let folder: String? = {
    var candidates: [String] = []
    if let env = ProcessInfo.processInfo.environment["DUNE_IOT_SENTINEL_DATA"], !env.isEmpty { candidates.append(env) }
    candidates.append(
      CaptureFixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets/iot-sentinel")
        .path)
    return candidates.first { FileManager.default.fileExists(atPath: $0 + "/captures") }
  }()

  static let skipReason: Comment =
    "needs the IoT Sentinel captures: set DUNE_IOT_SENTINEL_DATA to a folder holding captures/<device>/*.pcap"
}
