import Foundation

/// Parsing and printing 48-bit MAC addresses held as `UInt64` (as in `Packet.srcMAC`).
public enum MACAddress {
  /// `aa:bb:cc:dd:ee:ff` (also `-` separated, any case, single-digit groups allowed) → 48-bit value.
  public static func parse<S: StringProtocol>(_ text: S) -> UInt64? {
    let groups = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == ":" || $0 == "-" })
    guard groups.count == 6 else { return nil }
    var v: UInt64 = 0
    for g in groups {
      guard g.count <= 2, let b = UInt8(g, radix: 16) else { return nil }
      v = v << 8 | UInt64(b)
    }
    return v
  }

  /// Lower-case colon-separated text of a 48-bit MAC.
  public static func text(_ mac: UInt64) -> String {
    (0..<6).map { i -> String in
      let b = UInt8((mac >> UInt64(8 * (5 - i))) & 0xff)
      return (b < 16 ? "0" : "") + String(b, radix: 16)
    }.joined(separator: ":")
  }
}
