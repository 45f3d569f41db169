/// A fixed-width bit vector for codewords, code slices and ternary values/masks.
///
/// Bit 0 is the least significant bit. Codewords are wider than 64 bits for trees with more than 65
/// leaves, hence the word array. In JSON a `BitString` is a string of '0'/'1' characters, most
/// significant bit first, exactly `width` characters long (`""` for width 0) — the natural form for
/// `0b…` literals in runtime entry files.
public struct BitString: Hashable, Sendable, CustomStringConvertible {
  public private(set) var width: Int
  /// Little-endian 64-bit words; bits above `width` are always zero.
  public private(set) var words: [UInt64]

  /// All-zero bits of the given width.
  public init(width: Int) {
    precondition(width >= 0)
    self.width = width
    self.words = [UInt64](repeating: 0, count: max(1, (width + 63) / 64))
  }

  /// A value of at most 64 bits.
  public init(width: Int, value: UInt64) {
    self.init(width: width)
    precondition(width >= 64 || value >> UInt64(width) == 0, "value does not fit width")
    words[0] = value
  }

  /// Parses a string of '0'/'1', most significant bit first.
  public init?(binary: String) {
    self.init(width: binary.count)
    for (i, ch) in binary.enumerated() {
      switch ch {
      case "0": break
      case "1": self[binary.count - 1 - i] = true
      default: return nil
      }
    }
  }

  /// Bit `i` (0 = least significant).
  public subscript(i: Int) -> Bool {
    get { (words[i >> 6] >> UInt64(i & 63)) & 1 == 1 }
    set {
      precondition(i >= 0 && i < width)
      if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
    }
  }

  /// The value as an integer when the width is at most 64 bits.
  public var uint64: UInt64? { width <= 64 ? words[0] : nil }

  /// Number of one bits.
  public var popCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  /// '0'/'1' text, most significant bit first.
  public var binary: String {
    String((0..<width).reversed().map { self[$0] ? "1" : "0" })
  }

  /// Hexadecimal text without prefix (at least one digit), most significant digit first.
  public var hex: String {
    let digits = max(1, (width + 3) / 4)
    var s = ""
    for d in (0..<digits).reversed() {
      var nibble = 0
      for b in 0..<4 where d * 4 + b < width && self[d * 4 + b] { nibble |= 1 << b }
      s.append(String(nibble, radix: 16))
    }
    return s
  }

  public var description: String { binary }

  /// Writes `slice` into bits `[lsb, lsb + slice.width)`.
  /// The `width` bits starting at bit `lsb` (LSB = 0), as a string of that width.
  public func extracting(lsb: Int, width w: Int) -> BitString {
    precondition(lsb >= 0 && w >= 0 && lsb + w <= width, "slice [\(lsb + w - 1):\(lsb)] outside \(width) bits")
    var out = BitString(width: w)
    for i in 0..<w where self[lsb + i] {
      out.words[i >> 6] |= UInt64(1) << UInt64(i & 63)
    }
    return out
  }

  public mutating func insert(_ slice: BitString, atLSB lsb: Int) {
    for i in 0..<slice.width { self[lsb + i] = slice[i] }
  }
}

extension BitString: Codable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    let s = try c.decode(String.self)
    guard let b = BitString(binary: s) else {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a string of 0/1 bits")
    }
    self = b
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(binary)
  }
}
