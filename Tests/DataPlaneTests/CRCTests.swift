import DataPlane
import Testing

@Suite struct CRCTests {
  let check = Array("123456789".utf8)

  @Test func crc16ArcCheckValue() {
    // bmv2 crc16 = CRC-16/ARC (poly 0x8005, reflected, init 0, xorout 0): check 0xBB3D.
    #expect(CRC.crc16(check) == 0xBB3D)
    #expect(CRC.crc16([UInt8]()) == 0)
  }

  @Test func crcCCITTCheckValue() {
    #expect(CRC.crcCCITT(check) == 0x29B1)
    #expect(SlotHash.crcCCITT.hash(check) == 0x29B1)
    #expect(SlotHash.crc16.hash(check) == 0xBB3D)
    #expect(SlotHash.crc32Low16.hash(check) == 0x3926)
  }

  @Test func crc32IeeeCheckValue() {
    #expect(CRC.crc32(check) == 0xCBF4_3926)
    #expect(CRC.crc32([UInt8]()) == 0)
    // "The quick brown fox jumps over the lazy dog" → 0x414FA339 (widely published).
    #expect(CRC.crc32(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
  }
}
