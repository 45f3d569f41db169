/// The CRC hashes P4 targets offer for flow indexing (`data-plane.md` §3.1).
///
/// `crc16` is bmv2's `HashAlgorithm.crc16`: polynomial 0x8005, initial value 0, no final XOR, input
/// and output reflected (CRC-16/ARC; check value of "123456789" = 0xBB3D). `crc32` is bmv2's
/// `HashAlgorithm.crc32` = IEEE 802.3 CRC-32 (polynomial 0x04C11DB7 reflected, init and final XOR
/// 0xFFFFFFFF; check value 0xCBF43926). Both are table driven in reflected form.
public enum CRC {
  @usableFromInline static let table16: [UInt16] = (0..<256).map { i in
    var c = UInt16(i)
    for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xA001 : c >> 1 }
    return c
  }

  @usableFromInline static let table32: [UInt32] = (0..<256).map { i in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
    return c
  }

  /// CRC-16/ARC of `bytes` (bmv2 `crc16`).
  @inlinable public static func crc16<S: Sequence>(_ bytes: S) -> UInt16 where S.Element == UInt8 {
    var crc: UInt16 = 0
    for b in bytes { crc = (crc >> 8) ^ table16[Int((crc ^ UInt16(b)) & 0xff)] }
    return crc
  }

  /// CRC-16/CCITT-FALSE of `bytes` (bmv2 `crcCCITT`: polynomial 0x1021, init 0xFFFF, not
  /// reflected, no final XOR; check value 0x29B1).
  public static func crcCCITT<S: Sequence>(_ bytes: S) -> UInt16 where S.Element == UInt8 {
    var crc: UInt16 = 0xFFFF
    for b in bytes {
      crc ^= UInt16(b) << 8
      for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
    }
    return crc
  }

  /// IEEE CRC-32 of `bytes` (bmv2 `crc32`).
  @inlinable public static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes { crc = (crc >> 8) ^ table32[Int((crc ^ UInt32(b)) & 0xff)] }
    return crc ^ 0xFFFF_FFFF
  }
}

/// The hash that picks a flow's register slot (`data-plane.md` §3.1 leaves it target-dependent).
public enum SlotHash: String, Codable, Sendable, Equatable, CaseIterable {
  /// bmv2 `crc16` (CRC-16/ARC), the default.
  case crc16
  /// bmv2 `crcCCITT` (CRC-16/CCITT-FALSE).
  case crcCCITT
  /// The low 16 bits of the IEEE CRC-32.
  case crc32Low16

  /// The 16-bit slot hash of the hash input.
  public func hash(_ bytes: [UInt8]) -> UInt16 {
    switch self {
    case .crc16: return CRC.crc16(bytes)
    case .crcCCITT: return CRC.crcCCITT(bytes)
    case .crc32Low16: return UInt16(truncatingIfNeeded: CRC.crc32(bytes))
    }
  }
}
