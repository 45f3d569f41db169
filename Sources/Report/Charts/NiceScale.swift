import DUNESupport
import Foundation

/// An axis range with "nice" tick marks: steps of 1, 2 or 5 × 10^k (Heckbert's rule).
///
/// The range is widened outward to whole steps, so bars and points never touch the frame by
/// accident and tick labels are round numbers. Tick values are computed from integers
/// (`k × mantissa × 10^exponent`), never by repeated addition, so labels are exact.
public struct NiceScale: Sendable, Equatable {
  /// Lowest tick (≤ the data minimum).
  public let lower: Double
  /// Highest tick (≥ the data maximum).
  public let upper: Double
  /// Distance between ticks.
  public let step: Double
  /// Tick values from `lower` to `upper`.
  public let ticks: [Double]
  /// Digits after the point needed to print every tick exactly.
  public let decimals: Int

  /// A scale covering `min...max` with at most about `maxTicks` ticks; `integerSteps` keeps the
  /// step ≥ 1 (counts, block numbers). Non-finite bounds fall back to 0...1; an empty range is
  /// widened around its value.
  public init(min: Double, max: Double, maxTicks: Int = 6, integerSteps: Bool = false) {
    // Magnitudes are clamped and the span kept ≥ 1e-9 of them, so tick indices always fit an Int.
    var lo = min.isFinite ? Swift.min(Swift.max(min, -Self.limit), Self.limit) : 0
    var hi = max.isFinite ? Swift.min(Swift.max(max, -Self.limit), Self.limit) : 1
    if lo > hi { swap(&lo, &hi) }
    let minSpan = Swift.max(abs(lo), abs(hi)) * 1e-9
    if lo != hi && hi - lo < minSpan {
      lo -= minSpan
      hi += minSpan
    }
    if lo == hi {
      if lo == 0 {
        hi = 1
      } else {
        let pad = Swift.max(abs(lo) * 0.1, integerSteps ? 1 : 0)
        lo -= pad
        hi += pad
      }
    }
    let (mantissa, exponent) = Self.niceStep(
      (hi - lo) / Double(Swift.max(1, maxTicks - 1)), integer: integerSteps)
    let step = Self.value(1, mantissa, exponent)
    // Division can land just off an integer (0.3 / 0.1 = 2.9999999999999996); the guesses are
    // corrected against the exact tick values, so lower ≤ min and upper ≥ max always hold.
    var first = Int((lo / step).rounded(.down))
    if Self.value(first + 1, mantissa, exponent) <= lo { first += 1 }
    var last = Int((hi / step).rounded(.up))
    if Self.value(last - 1, mantissa, exponent) >= hi { last -= 1 }
    self.ticks = (first...Swift.max(first + 1, last)).map { Self.value($0, mantissa, exponent) }
    self.lower = ticks.first!
    self.upper = ticks.last!
    self.step = step
    self.decimals = Swift.max(0, -exponent)
  }

  /// Largest magnitude a scale covers; chart values beyond it are nonsense and are clamped.
  public static let limit = 1e15

  /// The nice step ≥ `raw` as (mantissa ∈ {1, 2, 5}, power of ten).
  static func niceStep(_ raw: Double, integer: Bool) -> (Int, Int) {
    guard raw.isFinite, raw > 0 else { return (1, 0) }
    var exponent = Int(log10(raw).rounded(.down))
    let residual = raw / pow(10, Double(exponent))
    var mantissa: Int
    if residual <= 1 + 1e-9 {
      mantissa = 1
    } else if residual <= 2 + 1e-9 {
      mantissa = 2
    } else if residual <= 5 + 1e-9 {
      mantissa = 5
    } else {
      mantissa = 1
      exponent += 1
    }
    if integer && exponent < 0 { (mantissa, exponent) = (1, 0) }
    return (mantissa, exponent)
  }

  /// `k × mantissa × 10^exponent`, divided rather than multiplied for negative exponents so that
  /// e.g. 3 × 0.1 is exactly 0.3.
  static func value(_ k: Int, _ mantissa: Int, _ exponent: Int) -> Double {
    let n = Double(k * mantissa)
    return exponent >= 0 ? n * pow(10, Double(exponent)) : n / pow(10, Double(-exponent))
  }

  /// Position of `v` in `0...1` along the scale.
  public func fraction(_ v: Double) -> Double {
    upper == lower ? 0 : (v - lower) / (upper - lower)
  }

  /// The tick label for `v`, with `decimals` digits.
  public func label(_ v: Double) -> String { NumberFormat.fixed(v, decimals) }
}
