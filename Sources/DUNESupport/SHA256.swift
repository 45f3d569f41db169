import Foundation

/// SHA-256 (FIPS 180-4), incremental, dependency-free: the runner's cache keys and artifact hashes.
///
/// Checked against the NIST example vectors in `DUNESupportTests`. Feed bytes with `update`, then
/// call `finalize()` once. `SHA256.hex(_:)` and `SHA256.hexOfFile(atPath:)` cover the common cases.
public struct SHA256: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// Bytes not yet forming a full 64-byte block.
  private var pending: [UInt8] = []
  private var totalBytes: UInt64 = 0

  /// A fresh hasher.
  public init() { pending.reserveCapacity(64) }

  /// Adds `bytes` to the message.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    totalBytes &+= UInt64(bytes.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, bytes.count)
      pending.append(contentsOf: bytes[0..<take])
      offset = take
      if pending.count == 64 {
        pending.withUnsafeBytes { compress(blocks: $0.baseAddress!, count: 1) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    let whole = (bytes.count - offset) / 64
    if whole > 0 {
      compress(blocks: bytes.baseAddress! + offset, count: whole)
      offset += whole * 64
    }
    if offset < bytes.count { pending.append(contentsOf: bytes[offset...]) }
  }

  /// Adds `data` to the message.
  public mutating func update(_ data: Data) { data.withUnsafeBytes { update($0) } }

  /// Adds the bytes of `array` to the message.
  public mutating func update(_ array: [UInt8]) { array.withUnsafeBytes { update($0) } }

  /// Adds the UTF-8 bytes of `text` to the message.
  public mutating func update(_ text: String) {
    var text = text
    text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
  }

  /// Pads the message and returns the 32-byte digest.
  public mutating func finalize() -> [UInt8] {
    let bitLength = totalBytes &* 8
    var tail: [UInt8] = pending
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) {
      tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    tail.withUnsafeBytes { raw in compress(blocks: raw.baseAddress!, count: raw.count / 64) }
    pending.removeAll()
    let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    var out: [UInt8] = []
    out.reserveCapacity(32)
    for w in words {
      out.append(UInt8(w >> 24))
      out.append(UInt8((w >> 16) & 0xff))
      out.append(UInt8((w >> 8) & 0xff))
      out.append(UInt8(w & 0xff))
    }
    return out
  }

  /// Lower-case hexadecimal SHA-256 of `data`.
  public static func hex(_ data: Data) -> String {
    var h = SHA256()
    h.update(data)
    return hexString(h.finalize())
  }

  /// Lower-case hexadecimal SHA-256 of the UTF-8 bytes of `text`.
  public static func hex(_ text: String) -> String {
    var h = SHA256()
    h.update(text)
    return hexString(h.finalize())
  }

  /// Lower-case hexadecimal SHA-256 of a file's bytes, read in 1 MiB chunks (captures can be large).
  public static func hexOfFile(atPath path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw LocatedError(file: path, "cannot open file for hashing")
    }
    defer { try? handle.close() }
    var h = SHA256()
    while true {
      let chunk: Data
      do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
        throw LocatedError(file: path, "cannot read file: \(error.localizedDescription)")
      }
      if chunk.isEmpty { break }
      h.update(chunk)
    }
    return hexString(h.finalize())
  }

  /// Lower-case hexadecimal text of `bytes`.
  public static func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The compression function over `count` consecutive 64-byte blocks. The message schedule and the
  /// round constants stay in raw buffers and the state in locals, so the loop has no ARC or bounds checks.
  private mutating func compress(blocks: UnsafeRawPointer, count: Int) {
    var (h0, h1, h2, h3, h4, h5, h6, h7) = state
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      SHA256Constants.k.withUnsafeBufferPointer { k in
        for n in 0..<count {
          let block = blocks + n * 64
          for i in 0..<16 {
            w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
          }
          for i in 16..<64 {
            let x = w[i - 15]
            let y = w[i - 2]
            let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
            let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
          }
          var a = h0
          var b = h1
          var c = h2
          var d = h3
          var e = h4
          var f = h5
          var g = h6
          var h = h7
          for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
          }
          h0 = h0 &+ a
          h1 = h1 &+ b
          h2 = h2 &+ c
          h3 = h3 &+ d
          h4 = h4 &+ e
          h5 = h5 &+ f
          h6 = h6 &+ g
          h7 = h7 &+ h
        }
      }
    }
    state = (h0, h1, h2, h3, h4, h5, h6, h7)
  }
}

@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

/// The 64 round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
private enum SHA256Constants {
  static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]
}
