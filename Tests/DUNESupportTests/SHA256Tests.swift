import DUNESupport
import Foundation
import Testing

@Suite struct SHA256Tests {
  // FIPS 180-2 / NIST example vectors.
  @Test func nistVectors() {
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func incrementalUpdatesMatchOneShot() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<50 {
      let length = Int(rng.next() % 300)
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      var h = SHA256()
      var i = 0
      while i < bytes.count {
        let n = min(Int(rng.next() % 70) + 1, bytes.count - i)
        h.update(Array(bytes[i..<(i + n)]))
        i += n
      }
      #expect(SHA256.hexString(h.finalize()) == SHA256.hex(Data(bytes)))
    }
  }

  @Test func fileHashMatchesDataHash() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
    let data = Data((0..<1_200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try data.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try SHA256.hexOfFile(atPath: url.path) == SHA256.hex(data))
  }
}
