import DUNESupport

extension PairedComparison {
  /// One plain sentence about a − b (fractions shown as percentage points): the mean difference
  /// with its standard deviation, the 95 % CI and both p-values, and whether the difference is
  /// larger than the seed-to-seed noise (the t-test at `alpha`).
  public func verdict(_ a: String, versus b: String) -> String {
    func pts(_ x: Double) -> String { (x >= 0 ? "+" : "−") + NumberFormat.fixed(abs(x) * 100, 2) }
    guard count >= 2 else {
      return count == 1
        ? "\(a) − \(b): \(pts(meanDifference)) points on a single seed; no error bar and no test."
        : "\(a) − \(b): no seed."
    }
    var s = "\(a) − \(b): \(pts(meanDifference)) ± \(NumberFormat.fixed(standardDeviation * 100, 2)) points"
    s += " over \(count) seeds"
    var tests: [String] = []
    if let ci = confidenceInterval {
      tests.append("95 % CI \(pts(ci.lowerBound)) … \(pts(ci.upperBound))")
    }
    if let p = tTestP { tests.append("paired t-test p = \(Self.format(p))") }
    if let p = signFlipP { tests.append("sign-flip p = \(Self.format(p))") }
    if !tests.isEmpty { s += " (" + tests.joined(separator: "; ") + ")" }
    if significant {
      s += meanDifference > 0 ? ": \(a) is ahead" : ": \(b) is ahead"
      s += " by more than the seed-to-seed noise."
    } else if t == nil {
      s += ": every seed gives the same difference, so there is no spread to test against."
    } else {
      s += ": no difference beyond the seed-to-seed noise (the interval includes 0)."
    }
    return s
  }

  /// A p-value with three significant digits (`0.0312`, `0.25`, `< 0.0001`).
  static func format(_ p: Double) -> String {
    if p < 0.0001 { return "< 0.0001" }
    if p >= 0.1 { return NumberFormat.fixed(p, 2) }
    if p >= 0.01 { return NumberFormat.fixed(p, 3) }
    return NumberFormat.fixed(p, 4)
  }
}
