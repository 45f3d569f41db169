import DUNESupport
import Foundation

/// Writes a small pcapng file in memory, block by block: enough to produce every case the reader
/// handles (several interfaces with their own link type and `if_tsresol`, either byte order, new
/// sections, EPB/SPB/OPB and unknown blocks). Meant for tests and fixtures, not for bulk output.
public struct PcapngWriter: Sendable {
  private var bytes: [UInt8] = []
  private var order: ByteOrderWriter
  /// Interfaces defined in the current section.
  public private(set) var interfaceCount = 0

  /// Starts a file with a section header in the given byte order.
  public init(bigEndian: Bool = false) {
    order = ByteOrderWriter(bigEndian: bigEndian)
    startSection(bigEndian: bigEndian)
  }

  /// Starts a new section (SHB), which may switch the byte order and forgets all interfaces.
  public mutating func startSection(bigEndian: Bool) {
    order = ByteOrderWriter(bigEndian: bigEndian)
    var body: [UInt8] = []
    order.append32(0x1A2B_3C4D, to: &body)
    order.append16(1, to: &body)
    order.append16(0, to: &body)
    order.append64(UInt64.max, to: &body)  // section length unknown
    writeBlock(type: 0x0A0D_0D0A, body: body)
    interfaceCount = 0
  }

  /// Adds an interface (IDB) and returns its index. `tsresol` is the raw `if_tsresol` byte
  /// (e.g. 9 for ns, 0x80 | 20 for 2^-20 s); nil leaves the default (µs).
  @discardableResult
  public mutating func addInterface(
    linkType: UInt16, snapLength: UInt32 = 0, tsresol: UInt8? = nil, tsoffsetSeconds: Int64? = nil
  ) -> Int {
    var body: [UInt8] = []
    order.append16(linkType, to: &body)
    order.append16(0, to: &body)
    order.append32(snapLength, to: &body)
    if let r = tsresol {
      order.append16(9, to: &body)
      order.append16(1, to: &body)
      body.append(contentsOf: [r, 0, 0, 0])
    }
    if let s = tsoffsetSeconds {
      order.append16(14, to: &body)
      order.append16(8, to: &body)
      order.append64(UInt64(bitPattern: s), to: &body)
    }
    if tsresol != nil || tsoffsetSeconds != nil {
      order.append32(0, to: &body)  // opt_endofopt
    }
    writeBlock(type: 1, body: body)
    interfaceCount += 1
    return interfaceCount - 1
  }

  /// Adds an enhanced packet block; `timestampUnits` counts the interface's `if_tsresol` units.
  public mutating func writeEnhancedPacket(
    interface: Int, timestampUnits: UInt64, frame: [UInt8], originalLength: Int? = nil
  ) {
    var body: [UInt8] = []
    order.append32(UInt32(interface), to: &body)
    order.append32(UInt32(timestampUnits >> 32), to: &body)
    order.append32(UInt32(timestampUnits & 0xFFFF_FFFF), to: &body)
    order.append32(UInt32(frame.count), to: &body)
    order.append32(UInt32(originalLength ?? frame.count), to: &body)
    appendPadded(frame, to: &body)
    writeBlock(type: 6, body: body)
  }

  /// Adds an obsolete packet block (type 2): 16-bit interface id, drop count, then as an EPB.
  public mutating func writeObsoletePacket(interface: Int, timestampUnits: UInt64, frame: [UInt8]) {
    var body: [UInt8] = []
    order.append16(UInt16(interface), to: &body)
    order.append16(0, to: &body)
    order.append32(UInt32(timestampUnits >> 32), to: &body)
    order.append32(UInt32(timestampUnits & 0xFFFF_FFFF), to: &body)
    order.append32(UInt32(frame.count), to: &body)
    order.append32(UInt32(frame.count), to: &body)
    appendPadded(frame, to: &body)
    writeBlock(type: 2, body: body)
  }

  /// Adds a simple packet block (interface 0, no timestamp).
  public mutating func writeSimplePacket(frame: [UInt8], originalLength: Int? = nil) {
    var body: [UInt8] = []
    order.append32(UInt32(originalLength ?? frame.count), to: &body)
    appendPadded(frame, to: &body)
    writeBlock(type: 3, body: body)
  }

  /// Adds a block of any type with `body` padded to 4 bytes (e.g. an unknown block to be skipped).
  public mutating func writeBlock(type: UInt32, body: [UInt8]) {
    let padded = (body.count + 3) & ~3
    let length = UInt32(12 + padded)
    order.append32(type, to: &bytes)
    order.append32(length, to: &bytes)
    bytes.append(contentsOf: body)
    bytes.append(contentsOf: repeatElement(0, count: padded - body.count))
    order.append32(length, to: &bytes)
  }

  private func appendPadded(_ frame: [UInt8], to body: inout [UInt8]) {
    body.append(contentsOf: frame)
    body.append(contentsOf: repeatElement(0, count: ((frame.count + 3) & ~3) - frame.count))
  }

  /// The file so far.
  public var data: Data { Data(bytes) }

  /// Writes the file to `path` atomically.
  public func write(to path: String) throws {
    try AtomicFile.write(data, to: path)
  }
}
