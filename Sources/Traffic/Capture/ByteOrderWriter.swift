/// Appends integers to a byte array in a chosen byte order (capture file headers).
struct ByteOrderWriter {
  var bigEndian: Bool

  func append16(_ v: UInt16, to out: inout [UInt8]) {
    let x = bigEndian ? v.bigEndian : v.littleEndian
    withUnsafeBytes(of: x) { out.append(contentsOf: $0) }
  }

  func append32(_ v: UInt32, to out: inout [UInt8]) {
    let x = bigEndian ? v.bigEndian : v.littleEndian
    withUnsafeBytes(of: x) { out.append(contentsOf: $0) }
  }

  func append64(_ v: UInt64, to out: inout [UInt8]) {
    let x = bigEndian ? v.bigEndian : v.littleEndian
    withUnsafeBytes(of: x) { out.append(contentsOf: $0) }
  }

  /// Overwrites 4 bytes at `at` (block lengths known only after the body).
  func set32(_ v: UInt32, at: Int, in out: inout [UInt8]) {
    let x = bigEndian ? v.bigEndian : v.littleEndian
    withUnsafeBytes(of: x) { for (i, b) in $0.enumerated() { out[at + i] = b } }
  }
}
