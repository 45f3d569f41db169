/// Reading a `Flow ID` text back into a 5-tuple (flow-ID label files, sample tables).
extension FiveTuple {
  /// Parses `"<ip.src> <ip.dst> <srcport> <dstport> <ip.proto>"` (§2.3). The ToN CSV variant
  /// with `-` between the five parts is accepted too, so either file style joins.
  public init?<S: StringProtocol>(flowID text: S) {
    let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" })
    guard parts.count == 5, let s = parseIPv4(parts[0]), let d = parseIPv4(parts[1]),
      let sp = UInt16(parts[2]), let dp = UInt16(parts[3]), let pr = UInt8(parts[4])
    else { return nil }
    self.init(srcIP: s, dstIP: d, srcPort: sp, dstPort: dp, proto: pr)
  }
}

/// Dotted-decimal IPv4 text → address in host order, or nil.
public func parseIPv4<S: StringProtocol>(_ text: S) -> UInt32? {
  let parts = text.split(separator: ".", omittingEmptySubsequences: false)
  guard parts.count == 4 else { return nil }
  var v: UInt32 = 0
  for p in parts {
    guard !p.isEmpty, p.count <= 3, let b = UInt8(p) else { return nil }
    v = v << 8 | UInt32(b)
  }
  return v
}
