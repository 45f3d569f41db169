import Foundation

/// Deterministic number formatting for artifacts (CSV, JSON, HTML, SVG): no locale, fixed rules.
public enum NumberFormat {
  /// `x` with exactly `decimals` digits after the point ("-0.000" is printed as "0.000").
  public static func fixed(_ x: Double, _ decimals: Int) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    var s = String(format: "%.\(decimals)f", x)
    if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
    return s
  }

  /// The shortest text that reads back as exactly `x`; integral values print without a fraction.
  public static func shortest(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
  }
}
