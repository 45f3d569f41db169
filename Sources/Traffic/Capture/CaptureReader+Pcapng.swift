import DUNESupport

/// One pcapng interface (IDB): how to decode and timestamp its packets.
struct PcapngInterface {
  var link: LinkType
  var snapLength: Int
  var resolution: TimeResolution
  /// `if_tsoffset`, seconds added to every timestamp.
  var offsetSeconds: Int64
}

/// pcapng: blocks of `type, length, body, length`; a section header (SHB) fixes the byte order and
/// resets the interface list; packets name their interface (IDB) by index.
extension CaptureReader {
  private static let sectionHeader: UInt32 = 0x0A0D_0D0A

  /// Reads the SHB at the cursor; it may switch the byte order.
  func readSectionHeader() throws {
    let at = source.offset
    guard try source.ensure(12) else {
      throw error(at: at, "truncated section header block: \(source.available) of 12 bytes")
    }
    switch source.cursor.u32(8, littleEndian: true) {
    case 0x1A2B_3C4D: littleEndian = true
    case 0x4D3C_2B1A: littleEndian = false
    case let m: throw error(at: at + 8, "bad pcapng byte-order magic 0x\(String(m, radix: 16))")
    }
    let length = try checkedBlockLength(at: at, minimum: 28)
    let b = source.cursor
    let major = b.u16(12, littleEndian: littleEndian)
    guard major == 1 else { throw error(at: at + 12, "unsupported pcapng major version \(major)") }
    interfaces.removeAll(keepingCapacity: true)
    source.consume(length)
  }

  /// Validates the length of the block at the cursor and buffers it whole, trailing length included.
  private func checkedBlockLength(at: Int, minimum: Int) throws -> Int {
    let length = Int(source.cursor.u32(4, littleEndian: littleEndian))
    guard length >= minimum, length % 4 == 0, length <= Self.maxRecordLength else {
      throw error(at: at + 4, "corrupt block length \(length)")
    }
    guard try source.ensure(length) else {
      throw error(at: at, "truncated block: length \(length), only \(source.available) bytes left")
    }
    let trailing = Int(source.cursor.u32(length - 4, littleEndian: littleEndian))
    guard trailing == length else {
      throw error(at: at + length - 4, "trailing block length \(trailing) differs from leading \(length)")
    }
    return length
  }

  func nextPcapngPacket() throws -> Packet? {
    while true {
      let at = source.offset
      guard try source.ensure(8) else {
        if source.available == 0 { return nil }
        throw error(at: at, "truncated block header: \(source.available) of 8 bytes")
      }
      let type = source.cursor.u32(0, littleEndian: littleEndian)
      switch type {
      case Self.sectionHeader:
        try readSectionHeader()
      case 1:
        try readInterfaceDescription(at: at)
      case 6, 2:
        // Enhanced (6) and obsolete (2) packet blocks differ only in the interface-id width.
        let length = try checkedBlockLength(at: at, minimum: 32)
        let b = source.cursor
        let le = littleEndian
        let id = type == 6 ? Int(b.u32(8, littleEndian: le)) : Int(b.u16(8, littleEndian: le))
        guard id < interfaces.count else {
          throw error(at: at + 8, "packet names interface \(id), only \(interfaces.count) defined")
        }
        let captured = Int(b.u32(20, littleEndian: le))
        guard captured <= length - 32 else {
          throw error(at: at + 20, "captured length \(captured) overruns block of \(length) bytes")
        }
        let units = UInt64(b.u32(12, littleEndian: le)) << 32 | UInt64(b.u32(16, littleEndian: le))
        let ts = try timestamp(units, interface: interfaces[id], at: at + 12)
        source.consume(length)
        if let p = decodeRecord(b + 28, count: captured, link: interfaces[id].link, timestampNs: ts) {
          return p
        }
      case 3:
        let length = try checkedBlockLength(at: at, minimum: 16)
        guard let interface = interfaces.first else {
          throw error(at: at, "simple packet block before any interface description")
        }
        let b = source.cursor
        var captured = min(Int(b.u32(8, littleEndian: littleEndian)), length - 16)
        if interface.snapLength > 0 { captured = min(captured, interface.snapLength) }
        source.consume(length)
        if let p = decodeRecord(b + 12, count: captured, link: interface.link, timestampNs: 0) { return p }
      default:
        // Unknown or uninteresting blocks (NRB, ISB, DSB, custom…) are skipped by their length
        // without buffering them, so their trailing length is not checked.
        let length = Int(source.cursor.u32(4, littleEndian: littleEndian))
        guard length >= 12, length % 4 == 0 else {
          throw error(at: at + 4, "corrupt block length \(length)")
        }
        guard try source.skip(length) else {
          throw error(at: at, "truncated block of type 0x\(String(type, radix: 16)): length \(length)")
        }
      }
    }
  }

  private func readInterfaceDescription(at: Int) throws {
    let length = try checkedBlockLength(at: at, minimum: 20)
    let b = source.cursor
    let le = littleEndian
    var interface = PcapngInterface(
      link: LinkType(number: UInt32(b.u16(8, littleEndian: le))),
      snapLength: Int(b.u32(12, littleEndian: le)), resolution: .microseconds, offsetSeconds: 0)
    var o = 16
    let optionsEnd = length - 4
    while o + 4 <= optionsEnd {
      let code = b.u16(o, littleEndian: le)
      let size = Int(b.u16(o + 2, littleEndian: le))
      if code == 0 { break }
      guard o + 4 + size <= optionsEnd else {
        throw error(at: at + o, "interface option \(code) of \(size) bytes overruns its block")
      }
      if code == 9, size >= 1 { interface.resolution = TimeResolution(optionByte: b.u8(o + 4)) }
      if code == 14, size == 8 {
        let first = UInt64(b.u32(o + 4, littleEndian: le))
        let second = UInt64(b.u32(o + 8, littleEndian: le))
        interface.offsetSeconds = Int64(bitPattern: le ? second << 32 | first : first << 32 | second)
      }
      o += 4 + (size + 3) & ~3
    }
    interfaces.append(interface)
    source.consume(length)
  }

  @inline(__always)
  private func timestamp(_ units: UInt64, interface: PcapngInterface, at: Int) throws -> Int64 {
    guard var ns = interface.resolution.nanoseconds(units) else {
      throw error(at: at, "timestamp \(units) does not fit in 64-bit nanoseconds")
    }
    if interface.offsetSeconds != 0 {
      let (shift, o1) = interface.offsetSeconds.multipliedReportingOverflow(by: 1_000_000_000)
      let (sum, o2) = ns.addingReportingOverflow(shift)
      guard !o1, !o2 else { throw error(at: at, "timestamp with if_tsoffset does not fit in 64 bits") }
      ns = sum
    }
    return ns
  }
}
