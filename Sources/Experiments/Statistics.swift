import Foundation

/// Mean and sample standard deviation of a list of numbers.
public struct SampleSummary: Sendable, Equatable, Codable {
  public var count: Int
  public var mean: Double
  /// Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
  public var standardDeviation: Double

  /// Summarises `values` (summed in order, so the result is deterministic).
  public init(_ values: [Double]) {
    count = values.count
    mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    if values.count < 2 {
      standardDeviation = 0
    } else {
      let m = mean
      standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
  }
}

/// A paired comparison of two systems measured on the same units (here: the same seeds), on the
/// per-unit differences d_i = a_i − b_i.
///
/// Two tests, because with a handful of seeds neither is enough alone:
/// * the **paired t-test** (two-sided, df = n − 1) assumes the differences are roughly normal —
///   plausible for macro F1 differences, which average over many flows and classes — and gives a
///   confidence interval for the mean difference; it is the verdict's test;
/// * the **sign-flip permutation test** (exact: all 2^n sign patterns of the differences, statistic
///   |Σ d_i|) assumes only that the differences are symmetric about 0 under the null; it cannot go
///   below 2/2^n (0.0625 for five seeds), so it backs the t-test rather than replacing it.
public struct PairedComparison: Sendable, Equatable, Codable {
  /// n, the number of pairs.
  public var count: Int
  /// Mean of the differences a − b.
  public var meanDifference: Double
  /// Sample standard deviation of the differences.
  public var standardDeviation: Double
  /// t = mean / (sd / √n); nil when n < 2 or every difference is equal (sd = 0, t undefined).
  public var t: Double?
  /// Degrees of freedom n − 1.
  public var degreesOfFreedom: Int
  /// Two-sided p-value of the paired t-test (nil with t).
  public var tTestP: Double?
  /// The 95 % confidence interval of the mean difference (nil when n < 2).
  public var confidenceInterval: ClosedRange<Double>?
  /// Exact two-sided p-value of the sign-flip permutation test (nil when n = 0 or n > 20).
  public var signFlipP: Double?

  /// The level the verdict uses.
  public static let alpha = 0.05

  /// Compares `a` and `b` pairwise (equal lengths).
  public init(_ a: [Double], _ b: [Double]) {
    precondition(a.count == b.count, "paired samples must have equal lengths")
    let d = zip(a, b).map { $0 - $1 }
    let s = SampleSummary(d)
    count = d.count
    meanDifference = s.mean
    standardDeviation = s.standardDeviation
    degreesOfFreedom = max(0, d.count - 1)
    if d.count >= 2 {
      let se = s.standardDeviation / Double(d.count).squareRoot()
      let q = StudentT.quantile(1 - Self.alpha / 2, degreesOfFreedom: Double(d.count - 1))
      confidenceInterval = (s.mean - q * se)...(s.mean + q * se)
      // Differences equal up to rounding leave no spread to test against.
      if s.standardDeviation > 1e-12 * max(1, abs(s.mean)) {
        let tv = s.mean / se
        t = tv
        tTestP = StudentT.twoSidedP(tv, degreesOfFreedom: Double(d.count - 1))
      }
    }
    signFlipP = Self.signFlipP(d)
  }

  /// Whether the t-test rejects "no difference" at `alpha` (the CI excludes 0).
  public var significant: Bool { (tTestP ?? 1) < Self.alpha }

  /// Exact two-sided sign-flip p-value: the share of the 2^n sign patterns whose |Σ ± d_i| is at
  /// least the observed |Σ d_i| (ties within 1e-9 relative count as "at least"). nil for n = 0 or n > 20.
  public static func signFlipP(_ d: [Double]) -> Double? {
    guard !d.isEmpty, d.count <= 20 else { return nil }
    let observed = abs(d.reduce(0, +))
    let tolerance = 1e-9 * max(1, d.reduce(0) { $0 + abs($1) })
    let patterns = 1 << d.count
    var extreme = 0
    for mask in 0..<patterns {
      var sum = 0.0
      for (i, x) in d.enumerated() { sum += mask & (1 << i) != 0 ? -x : x }
      if abs(sum) >= observed - tolerance { extreme += 1 }
    }
    return Double(extreme) / Double(patterns)
  }
}

/// Student's t distribution: CDF through the regularised incomplete beta function, quantiles by
/// bisection on it.
public enum StudentT {
  /// P(|T| ≥ |t|) for T with ν degrees of freedom.
  public static func twoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    guard t.isFinite else { return 0 }
    return IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
  }

  /// P(T ≤ t).
  public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    let tail = twoSidedP(t, degreesOfFreedom: nu) / 2
    return t >= 0 ? 1 - tail : tail
  }

  /// The p-quantile (0 < p < 1), to about 1e-12.
  public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
    precondition(p > 0 && p < 1, "quantile needs 0 < p < 1")
    if p == 0.5 { return 0 }
    if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
    var lo = 0.0
    var hi = 1.0
    while cdf(hi, degreesOfFreedom: nu) < p { hi *= 2 }
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if cdf(mid, degreesOfFreedom: nu) < p { lo = mid } else { hi = mid }
      if hi - lo <= 1e-13 * max(1, hi) { break }
    }
    return (lo + hi) / 2
  }
}

/// The regularised incomplete beta function I_x(a, b) (Lentz's continued fraction).
public enum IncompleteBeta {
  /// I_x(a, b) for 0 ≤ x ≤ 1, a, b > 0.
  public static func regularized(x: Double, a: Double, b: Double) -> Double {
    precondition(a > 0 && b > 0, "a and b must be positive")
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let lnBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
    let lnPowers: Double = a * log(x) + b * log(1 - x)
    let lnFront = lnPowers - lnBeta
    let front = exp(lnFront)
    // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
    if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x: x, a: a, b: b) / a }
    return 1 - front * continuedFraction(x: 1 - x, a: b, b: a) / b
  }

  static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...300 {
      let m = Double(m)
      let m2 = 2 * m
      var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return h
  }
}
