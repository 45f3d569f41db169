/// An unsigned value of a declared bit width, possibly wider than 64 bits (codewords of big trees).
///
/// `style` only affects printing: code slices and ternary values/masks read best in binary
/// (`0b011`, as in `data-plane.md` §8.4), classes, ports and range bounds in decimal.
public struct P4Value: Sendable, Hashable, CustomStringConvertible {
  public enum Style: Sendable, Hashable { case decimal, binary }
  public private(set) var width: Int
  /// Little-endian 64-bit words; bits at and above `width` are zero.
  public private(set) var words: [UInt64]
  public var style: Style

  /// A value of at most 64 bits. Bits above `width` are dropped (callers check `fits` first).
  public init(_ value: UInt64, width: Int, style: Style = .decimal) {
    self.width = width
    self.style = style
    words = [UInt64](repeating: 0, count: max(1, (width + 63) / 64))
    words[0] = width >= 64 ? value : value & ((UInt64(1) << UInt64(width)) - 1)
  }

  /// A value from little-endian words (extra bits are masked off).
  public init(words: [UInt64], width: Int, style: Style = .binary) {
    self.width = width
    self.style = style
    let n = max(1, (width + 63) / 64)
    var w = Array(words.prefix(n))
    while w.count < n { w.append(0) }
    let top = width % 64
    if top != 0 { w[n - 1] &= (UInt64(1) << UInt64(top)) - 1 }
    self.words = w
  }

  /// Parses a Python-style integer literal (`42`, `0x2a`, `0b101`) into `width` bits; nil if the
  /// text is malformed or the value does not fit.
  public init?(literal text: String, width: Int) {
    var digits = Substring(text)
    var radix = 10
    var style = Style.decimal
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
      radix = 16
      digits = digits.dropFirst(2)
    } else if digits.hasPrefix("0b") || digits.hasPrefix("0B") {
      radix = 2
      style = .binary
      digits = digits.dropFirst(2)
    }
    guard !digits.isEmpty else { return nil }
    var v = P4Value(0, width: width, style: style)
    for ch in digits where ch != "_" {
      guard let d = ch.hexDigitValue, d < radix else { return nil }
      guard v.multiplyAdd(UInt64(radix), UInt64(d)) else { return nil }
    }
    self = v
  }

  /// v = v·m + a; false on overflow of `width` bits.
  private mutating func multiplyAdd(_ m: UInt64, _ a: UInt64) -> Bool {
    var carry = a
    for i in words.indices {
      let (hi, lo) = words[i].multipliedFullWidth(by: m)
      let (sum, o) = lo.addingReportingOverflow(carry)
      words[i] = sum
      carry = hi + (o ? 1 : 0)
    }
    if carry != 0 { return false }
    let top = width % 64
    if top != 0, words[words.count - 1] >> UInt64(top) != 0 { return false }
    return true
  }

  /// The value when it fits in 64 bits.
  public var uint64: UInt64? { words.dropFirst().allSatisfy { $0 == 0 } ? words[0] : nil }

  public var isZero: Bool { words.allSatisfy { $0 == 0 } }

  /// Bit `i` (0 = least significant).
  public func bit(_ i: Int) -> Bool { (words[i >> 6] >> UInt64(i & 63)) & 1 == 1 }

  /// True if `value & mask == self` when `self` is a ternary value and `mask` its mask.
  public static func masked(_ key: P4Value, _ mask: P4Value, equals value: P4Value) -> Bool {
    for i in 0..<max(key.words.count, mask.words.count, value.words.count) {
      let k = i < key.words.count ? key.words[i] : 0
      let m = i < mask.words.count ? mask.words[i] : 0
      let v = i < value.words.count ? value.words[i] : 0
      if k & m != v { return false }
    }
    return true
  }

  /// Numeric order (width-independent).
  public static func compare(_ a: P4Value, _ b: P4Value) -> Int {
    for i in (0..<max(a.words.count, b.words.count)).reversed() {
      let x = i < a.words.count ? a.words[i] : 0
      let y = i < b.words.count ? b.words[i] : 0
      if x != y { return x < y ? -1 : 1 }
    }
    return 0
  }

  /// Number of significant bits (0 for zero).
  public var bitLength: Int {
    for i in (0..<words.count).reversed() where words[i] != 0 {
      return i * 64 + (64 - words[i].leadingZeroBitCount)
    }
    return 0
  }

  /// `0b` + exactly `width` digits.
  public var binaryLiteral: String {
    "0b" + String((0..<max(width, 1)).reversed().map { $0 < width && bit($0) ? "1" : "0" })
  }

  /// `0x` + hexadecimal digits (no leading zeros beyond one digit).
  public var hexLiteral: String {
    var s = ""
    var started = false
    for i in (0..<words.count).reversed() {
      if started {
        let h = String(words[i], radix: 16)
        s += String(repeating: "0", count: 16 - h.count) + h
      } else if words[i] != 0 || i == 0 {
        s += String(words[i], radix: 16)
        started = true
      }
    }
    return "0x" + s
  }

  /// Decimal text (any width).
  public var decimal: String {
    if let v = uint64 { return String(v) }
    var digits: [Character] = []
    var w = words
    while w.contains(where: { $0 != 0 }) {
      var rem: UInt64 = 0
      for i in w.indices.reversed() {
        let (q, r) = UInt64(10).dividingFullWidth((high: rem, low: w[i]))
        w[i] = q
        rem = r
      }
      digits.append(Character(String(rem)))
    }
    return String(digits.reversed())
  }

  /// The literal in the value's style: binary up to 64 bits (hex beyond, to keep lines short).
  public var literal: String {
    switch style {
    case .decimal: return decimal
    case .binary: return width <= 64 ? binaryLiteral : hexLiteral
    }
  }

  public var description: String { literal }

  public static func == (a: P4Value, b: P4Value) -> Bool { compare(a, b) == 0 && a.width == b.width }
  public func hash(into h: inout Hasher) {
    h.combine(width)
    h.combine(words)
  }
}
