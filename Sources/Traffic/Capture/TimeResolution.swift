/// A pcapng `if_tsresol` value: timestamps count units of 10^-e or 2^-e seconds.
struct TimeResolution: Sendable, Equatable {
  var powerOfTwo: Bool
  var exponent: UInt8

  /// The pcapng default when `if_tsresol` is absent: microseconds.
  static let microseconds = TimeResolution(powerOfTwo: false, exponent: 6)

  /// Decodes the option byte: high bit set means a power of 2, the other 7 bits are the exponent.
  init(optionByte b: UInt8) {
    self.init(powerOfTwo: b & 0x80 != 0, exponent: b & 0x7F)
  }

  init(powerOfTwo: Bool, exponent: UInt8) {
    self.powerOfTwo = powerOfTwo
    self.exponent = exponent
  }

  /// Converts a unit count to nanoseconds, truncating toward zero (exact whenever the resolution is
  /// a whole number of nanoseconds); nil if the result does not fit an `Int64`.
  func nanoseconds(_ units: UInt64) -> Int64? {
    let e = Int(exponent)
    if powerOfTwo {
      // units × 10^9 as 128 bits, then shift right by e: exact floor for every exponent.
      let (high, low) = units.multipliedFullWidth(by: 1_000_000_000)
      let result: UInt64
      if e == 0 {
        guard high == 0 else { return nil }
        result = low
      } else if e < 64 {
        guard high >> e == 0 else { return nil }
        result = (high << (64 - e)) | (low >> e)
      } else {
        result = e < 128 ? high >> (e - 64) : 0
      }
      return result <= UInt64(Int64.max) ? Int64(result) : nil
    }
    if e <= 9 {
      let (product, overflow) = units.multipliedReportingOverflow(by: Self.powersOfTen[9 - e])
      return !overflow && product <= UInt64(Int64.max) ? Int64(product) : nil
    }
    if e - 9 > 19 { return 0 }
    let q = units / Self.powersOfTen[e - 9]
    return q <= UInt64(Int64.max) ? Int64(q) : nil
  }

  private static let powersOfTen: [UInt64] = (0...19).map { k in
    (0..<k).reduce(UInt64(1)) { acc, _ in acc * 10 }
  }
}
