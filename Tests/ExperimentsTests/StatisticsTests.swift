import Foundation
import Testing

@testable import Experiments

/// The statistics against values computed independently (R 4.x, closed forms, hand enumeration).
@Suite struct StatisticsTests {
  @Test func incompleteBetaClosedForms() {
    for x in [0.0, 0.1, 0.37, 0.5, 0.9, 1.0] {
      #expect(abs(IncompleteBeta.regularized(x: x, a: 1, b: 1) - x) < 1e-14)
      #expect(abs(IncompleteBeta.regularized(x: x, a: 3, b: 1) - pow(x, 3)) < 1e-14)
    }
    // I_x(2, 3) = Σ_{j=2}^{4} C(4, j) x^j (1 − x)^{4−j}; at 1/2: 11/16.
    #expect(abs(IncompleteBeta.regularized(x: 0.5, a: 2, b: 3) - 0.6875) < 1e-14)
    // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a), on both sides of the switch point.
    for x in [0.05, 0.3, 0.6, 0.95] {
      let l = IncompleteBeta.regularized(x: x, a: 2.5, b: 0.5)
      let r = 1 - IncompleteBeta.regularized(x: 1 - x, a: 0.5, b: 2.5)
      #expect(abs(l - r) < 1e-13)
    }
  }

  @Test func studentTDistribution() {
    // ν = 1 is Cauchy: P(T ≤ 1) = 3/4; ν = 2: P(T ≤ t) = 1/2 + t / (2 √(2 + t²)).
    #expect(abs(StudentT.cdf(1, degreesOfFreedom: 1) - 0.75) < 1e-13)
    #expect(abs(StudentT.cdf(1, degreesOfFreedom: 2) - (0.5 + 1 / (2 * 3.0.squareRoot()))) < 1e-13)
    #expect(abs(StudentT.cdf(-1, degreesOfFreedom: 2) - (0.5 - 1 / (2 * 3.0.squareRoot()))) < 1e-13)
    // ν = 5 in closed form: F(t) = 1/2 + (θ + sin θ cos θ (1 + 2/3 cos² θ)) / π, θ = atan(t / √5).
    for t in [0.3, 1.0, 2.0, 4.5] {
      let theta = atan(t / 5.0.squareRoot())
      let c2 = cos(theta) * cos(theta)
      let closed = 0.5 + (theta + sin(theta) * cos(theta) * (1 + 2.0 / 3 * c2)) / Double.pi
      #expect(abs(StudentT.cdf(t, degreesOfFreedom: 5) - closed) < 1e-13)
      #expect(abs(StudentT.twoSidedP(t, degreesOfFreedom: 5) - 2 * (1 - closed)) < 1e-13)
    }
    // R: qt(0.975, c(1, 2, 4, 9)) and qt(0.995, 10)
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1) - 12.7062047) < 1e-6)
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 2) - 4.3026527) < 1e-6)
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4) - 2.7764451) < 1e-6)
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 9) - 2.2621572) < 1e-6)
    #expect(abs(StudentT.quantile(0.995, degreesOfFreedom: 10) - 3.1692726) < 1e-6)
    #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: 9) + 2.2621572) < 1e-6)
  }

  /// R: `with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))`:
  /// t = -4.0621, df = 9, p-value = 0.002833, 95 % CI -2.4598858 -0.7001142, mean difference -1.58.
  @Test func pairedTTestOnTheSleepData() throws {
    let g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    let g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    let c = PairedComparison(g1, g2)
    #expect(c.count == 10)
    #expect(c.degreesOfFreedom == 9)
    #expect(abs(c.meanDifference + 1.58) < 1e-12)
    #expect(abs(c.standardDeviation - 1.2299955) < 1e-6)
    #expect(abs(try #require(c.t) + 4.062128) < 1e-6)
    #expect(abs(try #require(c.tTestP) - 0.002832890) < 1e-8)
    let ci = try #require(c.confidenceInterval)
    #expect(abs(ci.lowerBound + 2.4598858) < 1e-6)
    #expect(abs(ci.upperBound + 0.7001142) < 1e-6)
    #expect(c.significant)
    // Every non-zero difference is negative: only the two extreme sign patterns (× the zero's two
    // signs) reach |Σ d| = 15.8, so p = 4 / 1024.
    #expect(c.signFlipP == 4.0 / 1024)
  }

  @Test func signFlipByHand() {
    // ±1 ±2 ±3: sums 6, 0, 2, −4, 4, −2, 0, −6 → two of eight reach |6|.
    #expect(PairedComparison.signFlipP([1, 2, 3]) == 0.25)
    // ±1 ±1: sums 2, 0, 0, −2 → two of four reach 2.
    #expect(PairedComparison.signFlipP([1, 1]) == 0.5)
    // Balanced differences: every pattern is at least as extreme as 0.
    #expect(PairedComparison.signFlipP([1, -1]) == 1)
    #expect(PairedComparison.signFlipP([]) == nil)
    // Five seeds can never go below 2/32.
    #expect(PairedComparison.signFlipP([1, 2, 3, 4, 5]) == 2.0 / 32)
  }

  @Test func degenerateSamples() {
    let one = PairedComparison([0.6], [0.5])
    #expect(one.count == 1 && one.t == nil && one.tTestP == nil && one.confidenceInterval == nil)
    #expect(!one.significant)
    #expect(abs(one.meanDifference - 0.1) < 1e-15)
    // Constant differences: sd 0, no t, the CI collapses to the point.
    let constant = PairedComparison([0.6, 0.7, 0.8], [0.5, 0.6, 0.7])
    #expect(constant.t == nil)
    #expect(constant.standardDeviation < 1e-15)
    #expect(!constant.significant)
  }

  @Test func sampleSummary() {
    let s = SampleSummary([2, 4, 4, 4, 5, 5, 7, 9])
    #expect(s.mean == 5)
    #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) < 1e-14)
    #expect(SampleSummary([3]).standardDeviation == 0)
    #expect(SampleSummary([]).mean.isNaN)
  }
}

@Suite struct VerdictTests {
  @Test func saysWhoIsAheadAndWhetherItIsNoise() {
    let ahead = PairedComparison([0.62, 0.64, 0.63, 0.65, 0.61], [0.58, 0.59, 0.60, 0.60, 0.57])
    let v = ahead.verdict("DUNE", versus: "monolithic")
    #expect(v.hasPrefix("DUNE − monolithic: +4.20 ± "))
    #expect(v.contains("over 5 seeds"))
    #expect(v.contains("sign-flip p = 0.062"))
    #expect(v.hasSuffix("DUNE is ahead by more than the seed-to-seed noise."))
    let behind = PairedComparison([0.58, 0.59, 0.60, 0.60, 0.57], [0.62, 0.64, 0.63, 0.65, 0.61])
    #expect(
      behind.verdict("DUNE", versus: "monolithic").hasSuffix("monolithic is ahead by more than the seed-to-seed noise.")
    )
    let noise = PairedComparison([0.60, 0.64, 0.58, 0.63], [0.61, 0.60, 0.62, 0.61])
    #expect(noise.verdict("DUNE", versus: "monolithic").hasSuffix("(the interval includes 0)."))
    #expect(
      PairedComparison([0.6], [0.5]).verdict("a", versus: "b")
        == "a − b: +10.00 points on a single seed; no error bar and no test.")
  }

  @Test func pValueFormat() {
    #expect(PairedComparison.format(0.00002) == "< 0.0001")
    #expect(PairedComparison.format(0.0028329) == "0.0028")
    #expect(PairedComparison.format(0.0123) == "0.012")
    #expect(PairedComparison.format(0.25) == "0.25")
  }
}
