import Traffic

/// Packet bytes from header values and back, as a P4 parser extracts and a deparser emits them:
/// the fields of a header in declaration order, most significant bit first, no padding.
public enum P4Frame {
  /// Appends `header` filled from `values` (absent fields 0, values cut to their field width).
  public static func append(_ header: P4Header, _ values: [String: UInt64], to bytes: inout [UInt8]) {
    var acc: UInt8 = 0
    var bits = 0
    for f in header.fields {
      let v = values[f.name] ?? 0
      for i in stride(from: f.width - 1, through: 0, by: -1) {
        acc = acc << 1 | (i >= 64 ? 0 : UInt8(truncatingIfNeeded: v >> UInt64(i)) & 1)
        bits += 1
        if bits == 8 {
          bytes.append(acc)
          acc = 0
          bits = 0
        }
      }
    }
    precondition(bits == 0, "header \(header.typeName) is not a whole number of bytes")
  }

  /// The fields of `header` read at byte `offset`; nil when `bytes` ends before the header does.
  public static func read(_ header: P4Header, from bytes: [UInt8], at offset: Int) -> [String: UInt64]? {
    guard offset >= 0, offset + header.bitWidth / 8 <= bytes.count else { return nil }
    var out: [String: UInt64] = [:]
    var bit = offset * 8
    for f in header.fields {
      var v: UInt64 = 0
      for _ in 0..<f.width {
        v = (v << 1) | UInt64((bytes[bit >> 3] >> UInt8(7 - (bit & 7))) & 1)
        bit += 1
      }
      out[f.name] = v
    }
    return out
  }
}

extension ProgramReplay {
  /// The bytes of `p` entering the first switch of a replay build (`V1ModelEmitter.replayDefine`):
  /// the replay-time header (the capture's ns timestamp, as the interpreter's clock reads it), the
  /// headers of `wire(p)` laid out by the program's `headers` declarations, and zero payload up to
  /// the IPv4 total length. Checksums and other fields the capture reader does not keep are zero,
  /// as in `wire` (the programs read none of them).
  public static func frame(_ p: Packet, headers: [P4Header]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + 14 + Int(p.ipLength))
    P4Frame.append(V1ModelEmitter.replayTime, ["ns": UInt64(max(p.timestampNs, 0))], to: &bytes)
    let declared = Dictionary(headers.map { ($0.instance, $0) }, uniquingKeysWith: { a, _ in a })
    for h in wire(p) {
      guard let header = declared[h.instance] else { continue }
      P4Frame.append(header, h.fields, to: &bytes)
    }
    // Payload: zeros up to the IPv4 total length (after the 8-byte time and 14-byte Ethernet headers).
    let end = 8 + 14 + Int(p.ipLength)
    if bytes.count < end { bytes += [UInt8](repeating: 0, count: end - bytes.count) }
    return bytes
  }
}
