import DUNESupport
import Foundation

/// Streams IPv4 TCP/UDP `Packet`s out of a classic pcap or pcapng capture, in capture order.
///
/// The file is read through a fixed-size refillable buffer (memory does not grow with the capture)
/// and frames are decoded in place with raw pointers, with no allocation per packet. Frames that are
/// not IPv4 TCP/UDP are skipped and counted in `stats`.
///
/// Decoding (field meanings equal Wireshark's, see `Packet`): Ethernet with any stack of 802.1Q /
/// 802.1ad / QinQ tags (0x8100, 0x88a8, 0x9100), Linux cooked v1 (113) and v2 (276), raw IP (101, 12,
/// 14), raw IPv4 (228); raw IPv6 (229) is read and counted as IPv6. MACs: Ethernet fills both;
/// Linux cooked captures carry only the sender's link-layer address, so `srcMAC` is filled when that
/// address is 6 bytes long and `dstMAC` is nil; raw IP fills neither. IPv4 options are skipped by
/// IHL; a fragment with offset > 0 is skipped (`nonFirstFragment`), a first fragment is decoded from
/// the transport header it carries (as tshark does with `ip.defragment:FALSE`). Timestamps are exact
/// nanoseconds for µs, ns and every decimal resolution down to 1 ns, floor for finer or power-of-2
/// pcapng resolutions.
///
/// Errors: a structurally broken file (empty, not a capture, truncated record or block, corrupt block
/// length, unsupported link type of a classic pcap, unknown pcapng interface) throws a
/// `LocatedError` naming the path and the byte offset of the offending header. A frame that is merely
/// cut short by the snap length is skipped as `truncatedHeaders`. Packets returned before an error
/// stay valid. In pcapng, frames of an interface with an unsupported link type are skipped and
/// counted (other interfaces of the same file may be fine); a simple packet block has no timestamp
/// and yields `timestampNs == 0`.
///
/// A reader is a reference type because it owns a file descriptor; use one reader per thread.
public final class CaptureReader {
  /// The input path (or the name given for in-memory data), used in error messages.
  public let path: String
  /// What has been read and skipped so far.
  public private(set) var stats = CaptureStats()
  /// The container format, known after `init`.
  public let format: CaptureFormat

  let source: ByteSource
  // Classic pcap state.
  var littleEndian = true
  var nanosecond = false
  var link: LinkType = .ethernet
  // pcapng state (the byte order is `littleEndian`, per section).
  var interfaces: [PcapngInterface] = []

  /// Records or blocks longer than this are treated as corruption rather than buffered.
  static let maxRecordLength = 64 << 20

  /// Opens `path` and reads its file header. Throws a `LocatedError` if it is not a readable capture.
  ///
  /// `bufferSize` is the read buffer (smaller files get a buffer of their own size); it grows only
  /// for a single record larger than itself.
  public convenience init(path: String, bufferSize: Int = 1 << 20) throws {
    try self.init(source: ByteSource(path: path, chunk: max(bufferSize, 16)))
  }

  /// Reads a capture held in memory; `name` stands for the path in errors.
  public convenience init(data: Data, name: String = "<memory>") throws {
    try self.init(source: ByteSource(data: data, name: name))
  }

  private init(source: ByteSource) throws {
    self.source = source
    path = source.path
    guard try source.ensure(4) else {
      throw LocatedError(
        file: path, offset: 0,
        source.available == 0
          ? "empty file, not a capture" : "file of \(source.available) bytes is too short to be a capture")
    }
    let magic = source.cursor.u32(0, littleEndian: true)
    switch magic {
    case 0x0A0D_0D0A:
      format = .pcapng
      try readSectionHeader()
    case 0xA1B2_C3D4, 0xA1B2_3C4D, 0xD4C3_B2A1, 0x4D3C_B2A1:
      littleEndian = magic == 0xA1B2_C3D4 || magic == 0xA1B2_3C4D
      nanosecond = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
      format = .pcap(nanosecond: nanosecond, bigEndian: !littleEndian)
      try readPcapHeader()
    default:
      throw LocatedError(
        file: path, offset: 0,
        "not a pcap or pcapng file (first 4 bytes 0x\(String(magic.byteSwapped, radix: 16)))")
    }
  }

  /// The next IPv4 TCP/UDP packet, or nil at the end of the capture.
  public func next() throws -> Packet? {
    switch format {
    case .pcap: return try nextPcapPacket()
    case .pcapng: return try nextPcapngPacket()
    }
  }

  /// Reads every packet of the capture at `path`.
  public static func readAll(path: String) throws -> [Packet] {
    try readAllWithStats(path: path).packets
  }

  /// Reads every packet of the capture at `path`, with the read's counters.
  public static func readAllWithStats(path: String) throws -> (packets: [Packet], stats: CaptureStats) {
    let reader = try CaptureReader(path: path)
    var packets: [Packet] = []
    while let p = try reader.next() { packets.append(p) }
    return (packets, reader.stats)
  }

  /// Counts one record and decodes its frame; nil when the frame is skipped.
  @inline(__always)
  func decodeRecord(_ frame: UnsafeRawPointer, count: Int, link: LinkType, timestampNs: Int64) -> Packet? {
    stats.packetsRead += 1
    stats.capturedBytes += count
    switch FrameDecoder.decode(frame, count: count, link: link, timestampNs: timestampNs) {
    case .packet(let p):
      stats.decoded += 1
      return p
    case .skipped(let reason):
      stats.countSkip(reason)
      return nil
    }
  }

  func error(at offset: Int, _ message: String) -> LocatedError {
    LocatedError(file: path, offset: offset, message)
  }
}

/// The container format of a capture file.
public enum CaptureFormat: Sendable, Equatable {
  /// Classic libpcap: timestamp resolution and byte order from the magic number.
  case pcap(nanosecond: Bool, bigEndian: Bool)
  /// pcapng: per-section byte order, per-interface link type and timestamp resolution.
  case pcapng
}
