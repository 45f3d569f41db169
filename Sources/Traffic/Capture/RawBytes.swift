/// Unaligned integer loads from raw capture bytes, in network or a chosen byte order.
extension UnsafeRawPointer {
  @inline(__always) func u8(_ at: Int) -> UInt8 { load(fromByteOffset: at, as: UInt8.self) }

  @inline(__always) func be16(_ at: Int) -> UInt16 {
    UInt16(bigEndian: loadUnaligned(fromByteOffset: at, as: UInt16.self))
  }

  @inline(__always) func be32(_ at: Int) -> UInt32 {
    UInt32(bigEndian: loadUnaligned(fromByteOffset: at, as: UInt32.self))
  }

  /// A 48-bit MAC address, first byte most significant.
  @inline(__always) func mac(_ at: Int) -> UInt64 {
    UInt64(be16(at)) << 32 | UInt64(be32(at + 2))
  }

  @inline(__always) func u16(_ at: Int, littleEndian le: Bool) -> UInt16 {
    let v = loadUnaligned(fromByteOffset: at, as: UInt16.self)
    return le ? UInt16(littleEndian: v) : UInt16(bigEndian: v)
  }

  @inline(__always) func u32(_ at: Int, littleEndian le: Bool) -> UInt32 {
    let v = loadUnaligned(fromByteOffset: at, as: UInt32.self)
    return le ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
  }
}
