import DUNESupport
import Foundation

/// Writes a classic libpcap file in memory: Ethernet (or raw IPv4) frames built from `Packet`s.
///
/// Little endian by default, micro- or nanosecond timestamps (the magic number records which).
/// The output opens in Wireshark/tshark; `write(to:)` stores it atomically.
public struct PcapWriter: Sendable {
  /// LINKTYPE_ number written in the header.
  public let linkType: UInt32
  public let nanosecond: Bool
  public let bigEndian: Bool
  public let snapLength: UInt32
  /// Records written so far.
  public private(set) var packetCount = 0
  private var bytes: [UInt8] = []

  /// Starts a file. `write(_ packet:)` supports link types 1 (Ethernet) and 101, 228, 12, 14 (raw IP);
  /// `writeFrame` accepts frames of any link type.
  public init(linkType: UInt32 = 1, nanosecond: Bool = false, bigEndian: Bool = false, snapLength: UInt32 = 262_144) {
    self.linkType = linkType
    self.nanosecond = nanosecond
    self.bigEndian = bigEndian
    self.snapLength = snapLength
    let w = ByteOrderWriter(bigEndian: bigEndian)
    w.append32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4, to: &bytes)
    w.append16(2, to: &bytes)
    w.append16(4, to: &bytes)
    w.append32(0, to: &bytes)  // thiszone
    w.append32(0, to: &bytes)  // sigfigs
    w.append32(snapLength, to: &bytes)
    w.append32(linkType, to: &bytes)
  }

  /// Appends the frame of `packet` with its timestamp; throws a `UsageError` for inconsistent
  /// lengths, a negative timestamp or a link type without a `Packet` encoding (nothing is appended then).
  public mutating func write(_ packet: Packet) throws {
    let recordAt = bytes.count
    try appendRecordHeader(timestampNs: packet.timestampNs)
    do {
      switch linkType {
      case 1: try FrameEncoder.appendEthernetFrame(for: packet, to: &bytes)
      case 101, 228, 12, 14: try FrameEncoder.appendIPv4Datagram(for: packet, to: &bytes)
      default: throw UsageError("cannot encode packets for link type \(linkType)")
      }
    } catch {
      bytes.removeSubrange(recordAt...)
      throw error
    }
    finishRecord(at: recordAt, originalLength: bytes.count - recordAt - 16)
  }

  /// Appends one raw frame; `originalLength` defaults to the frame length, and the frame is cut to
  /// the snap length as a capture would.
  public mutating func writeFrame(_ frame: [UInt8], timestampNs: Int64, originalLength: Int? = nil) throws {
    let recordAt = bytes.count
    try appendRecordHeader(timestampNs: timestampNs)
    bytes.append(contentsOf: frame)
    finishRecord(at: recordAt, originalLength: originalLength ?? frame.count)
  }

  /// Appends a record header whose lengths `finishRecord` fills in once the frame is appended.
  private mutating func appendRecordHeader(timestampNs: Int64) throws {
    guard timestampNs >= 0, timestampNs / 1_000_000_000 <= Int64(UInt32.max) else {
      throw UsageError("timestamp \(timestampNs) ns is outside the pcap range (1970…2106)")
    }
    let w = ByteOrderWriter(bigEndian: bigEndian)
    w.append32(UInt32(timestampNs / 1_000_000_000), to: &bytes)
    let fraction = timestampNs % 1_000_000_000
    w.append32(UInt32(nanosecond ? fraction : fraction / 1000), to: &bytes)
    w.append32(0, to: &bytes)
    w.append32(0, to: &bytes)
  }

  /// Cuts the frame after the record header at `recordAt` to the snap length and sets its lengths.
  private mutating func finishRecord(at recordAt: Int, originalLength: Int) {
    let frameLength = bytes.count - recordAt - 16
    let captured = min(frameLength, Int(snapLength))
    if captured < frameLength { bytes.removeSubrange((recordAt + 16 + captured)...) }
    let w = ByteOrderWriter(bigEndian: bigEndian)
    w.set32(UInt32(captured), at: recordAt + 8, in: &bytes)
    w.set32(UInt32(originalLength), at: recordAt + 12, in: &bytes)
    packetCount += 1
  }

  /// The file so far.
  public var data: Data { Data(bytes) }

  /// Writes the file to `path` atomically (temporary file + rename).
  public func write(to path: String) throws {
    try AtomicFile.write(data, to: path)
  }
}
