import Foundation

/// A seeded SplitMix64 generator: small, fast and identical on every platform (results must never
/// depend on `SystemRandomNumberGenerator`). The one generator of the project: synthetic data, the
/// forest's every random choice, test fixtures.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// A generator started at `seed`.
  public init(seed: UInt64) { state = seed }

  /// A generator for a sub-stream, e.g. one capture file: mixes `seed` with the stream labels.
  public init(seed: UInt64, stream: UInt64...) {
    var s = seed
    for x in stream {
      var g = SplitMix64(seed: s ^ (x &* 0x9E37_79B9_7F4A_7C15))
      s = g.next()
    }
    state = s
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return Self.mix(state)
  }

  /// The SplitMix64 output finaliser: a bijective avalanche of `value`, also used to derive seeds.
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `low..<high` (`high > low`), unbiased: Lemire's multiply-shift with rejection.
  @inlinable
  public mutating func int(in low: Int, _ high: Int) -> Int {
    let range = UInt64(high - low)
    var m = next().multipliedFullWidth(by: range)
    if m.low < range {
      let threshold = (0 &- range) % range
      while m.low < threshold { m = next().multipliedFullWidth(by: range) }
    }
    return low + Int(m.high)
  }

  /// Uniform in [0, 1) with 53 bits.
  public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Standard normal (Box–Muller; one value per call keeps the stream simple).
  public mutating func normal() -> Double {
    let u1 = max(unit(), 0x1p-53)
    let u2 = unit()
    return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// Exponential with the given mean.
  public mutating func exponential(mean: Double) -> Double { -mean * Foundation.log(max(1 - unit(), 0x1p-53)) }

  /// Uniform integer in `range` (by modulo: slightly biased, kept for the synthetic data's streams).
  public mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(below: range.count) }

  /// Uniform integer in `0..<n` by modulo (slightly biased; see `int(in:_:)` for the unbiased draw).
  public mutating func int(below n: Int) -> Int { Int(next() % UInt64(n)) }

  /// An index drawn with probability proportional to `weights`.
  public mutating func pick(weights: [Double]) -> Int {
    let total = weights.reduce(0, +)
    var x = unit() * total
    for (i, w) in weights.enumerated() {
      x -= w
      if x < 0 { return i }
    }
    return weights.count - 1
  }
}
