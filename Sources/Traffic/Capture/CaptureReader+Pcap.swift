import DUNESupport

/// Classic libpcap: a 24-byte file header, then 16-byte record headers each followed by the frame.
extension CaptureReader {
  func readPcapHeader() throws {
    guard try source.ensure(24) else {
      throw error(at: 0, "truncated pcap file header: \(source.available) of 24 bytes")
    }
    let h = source.cursor
    let major = h.u16(4, littleEndian: littleEndian)
    guard major == 2 else { throw error(at: 4, "unsupported pcap version \(major) (expected 2)") }
    let linkNumber = h.u32(20, littleEndian: littleEndian)
    link = LinkType(number: linkNumber)
    guard link.isSupported else {
      throw error(at: 20, "unsupported link type \(linkNumber & 0xFFFF)")
    }
    source.consume(24)
  }

  func nextPcapPacket() throws -> Packet? {
    let le = littleEndian
    let fractionScale: Int64 = nanosecond ? 1 : 1000
    while true {
      guard try source.ensure(16) else {
        if source.available == 0 { return nil }
        throw error(at: source.offset, "truncated record header: \(source.available) of 16 bytes")
      }
      let h = source.cursor
      let seconds = Int64(h.u32(0, littleEndian: le))
      let fraction = Int64(h.u32(4, littleEndian: le))
      let captured = Int(h.u32(8, littleEndian: le))
      guard captured <= Self.maxRecordLength else {
        throw error(at: source.offset + 8, "record captured length \(captured) is implausible (corrupt file?)")
      }
      guard try source.ensure(16 + captured) else {
        throw error(
          at: source.offset,
          "truncated record: header says \(captured) captured bytes, only \(source.available - 16) left")
      }
      let frame = source.cursor + 16
      source.consume(16 + captured)
      let ts = seconds &* 1_000_000_000 &+ fraction &* fractionScale
      if let p = decodeRecord(frame, count: captured, link: link, timestampNs: ts) { return p }
    }
  }
}
