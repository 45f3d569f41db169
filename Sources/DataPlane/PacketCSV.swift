import DUNESupport
import Foundation
import Traffic

/// The packet CSV the emulator CLI replays: one file per capture, one row per IPv4 TCP/UDP packet.
///
/// Header (exact order):
/// `timestamp_ns,src_ip,dst_ip,src_port,dst_port,proto,ip_len,ip_hdr_len,ttl,tcp_flags,tcp_window,tcp_hdr_words,udp_length,label`
///
/// IPs dotted decimal; `ip_hdr_len` in bytes, `tcp_hdr_words` the TCP data offset, `tcp_flags` the
/// raw flags byte (decimal). `label` may be empty (unlabelled). A flow's label is the label of its
/// first packet in the file (`dune-reference.md` §2.4).
public enum PacketCSV {
  public static let header = [
    "timestamp_ns", "src_ip", "dst_ip", "src_port", "dst_port", "proto", "ip_len", "ip_hdr_len", "ttl", "tcp_flags",
    "tcp_window", "tcp_hdr_words", "udp_length", "label",
  ]

  /// Reads one capture.
  public static func read(path: String) throws -> ReplayCapture {
    let table = try CSVTable.read(path: path)
    return try parse(table, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
  }

  /// Parses a CSV table with the packet header.
  public static func parse(_ table: CSVTable, name: String) throws -> ReplayCapture {
    guard table.header == header else {
      throw LocatedError(file: table.path, line: 1, column: 1, "expected header \(header.joined(separator: ","))")
    }
    var packets: [Packet] = []
    var labels: [FiveTuple: String] = [:]
    var seen = Set<FiveTuple>()
    for r in table.records {
      func field(_ c: Int) -> String { c < r.fields.count ? r.fields[c] : "" }
      func int<T: FixedWidthInteger>(_ c: Int, _: T.Type) throws -> T {
        guard let v = T(field(c)) else {
          throw LocatedError(file: table.path, line: r.line, column: c + 1, "'\(field(c))' is not a valid \(header[c])")
        }
        return v
      }
      func ip(_ c: Int) throws -> UInt32 {
        let parts = field(c).split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil }) else {
          throw LocatedError(file: table.path, line: r.line, column: c + 1, "'\(field(c))' is not an IPv4 address")
        }
        return parts.reduce(0) { ($0 << 8) | UInt32($1!) }
      }
      guard r.fields.count == header.count else {
        throw LocatedError(file: table.path, line: r.line, "expected \(header.count) fields, found \(r.fields.count)")
      }
      let p = Packet(
        timestampNs: try int(0, Int64.self), srcIP: try ip(1), dstIP: try ip(2), proto: try int(5, UInt8.self),
        srcPort: try int(3, UInt16.self), dstPort: try int(4, UInt16.self), ipLength: try int(6, UInt16.self),
        ipHeaderLength: try int(7, UInt8.self), ttl: try int(8, UInt8.self), tcpFlags: try int(9, UInt8.self),
        tcpWindow: try int(10, UInt16.self), tcpHeaderWords: try int(11, UInt8.self),
        udpLength: try int(12, UInt16.self))
      packets.append(p)
      let t = p.fiveTuple
      if !seen.contains(t) {
        seen.insert(t)
        if !field(13).isEmpty { labels[t] = field(13) }
      }
    }
    return ReplayCapture(name: name, packets: packets, labels: labels)
  }

  /// Writes a capture in this format (labels from the flow label map).
  public static func write(_ capture: ReplayCapture) -> String {
    var w = CSVWriter()
    w.row(header)
    for p in capture.packets {
      w.row([
        String(p.timestampNs), dottedQuad(p.srcIP), dottedQuad(p.dstIP), String(p.srcPort), String(p.dstPort),
        String(p.proto), String(p.ipLength), String(p.ipHeaderLength), String(p.ttl), String(p.tcpFlags),
        String(p.tcpWindow), String(p.tcpHeaderWords), String(p.udpLength), capture.labels[p.fiveTuple] ?? "",
      ])
    }
    return w.text
  }
}
