import Foundation

@testable import Traffic

/// A TCP or UDP packet with just the fields a test cares about.
func pkt(
  _ tNs: Int64, src: UInt32 = 0x0A00_0001, dst: UInt32 = 0x0A00_0002, sport: UInt16 = 1000, dport: UInt16 = 80,
  proto: UInt8 = 6, len: UInt16 = 60, ttl: UInt8 = 64, flags: UInt8 = 0x10, window: UInt16 = 1000,
  words: UInt8 = 5, udpLen: UInt16 = 0, srcMAC: UInt64? = 0xA, dstMAC: UInt64? = 0xB
) -> Packet {
  Packet(
    timestampNs: tNs, srcMAC: srcMAC, dstMAC: dstMAC, srcIP: src, dstIP: dst, proto: proto, srcPort: sport,
    dstPort: dport, ipLength: len, ttl: ttl, tcpFlags: proto == 6 ? flags : 0, tcpWindow: proto == 6 ? window : 0,
    tcpHeaderWords: proto == 6 ? words : 0, udpLength: proto == 17 ? udpLen : 0)
}

/// A fresh temporary folder, removed by the caller with `removeTemp`.
func makeTempDir(_ tag: String = "traffic") -> String {
  let p = NSTemporaryDirectory() + "dune-\(tag)-\(UUID().uuidString)"
  try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
  return p
}

func removeTemp(_ p: String) { try? FileManager.default.removeItem(atPath: p) }

func writeText(_ text: String, _ path: String) {
  try! FileManager.default.createDirectory(
    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
  try! text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Writes `packets` as a classic Ethernet pcap with the capture helper's writer.
func writePcap(_ packets: [Packet], _ path: String) throws {
  var w = PcapWriter()
  for p in packets { try w.write(p) }
  try w.write(to: path)
}

/// The repository root (tests reach `../shared` only relative to it).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

/// Column `name` of row `r`.
func value(_ t: SampleTable, _ name: String, _ r: Int) -> Double { t.values[t.columnIndex(name)!][r] }
