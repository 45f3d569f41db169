import Foundation
import Testing

@testable import Report

@Suite struct NiceScaleTests {
  @Test func unitIntervalUsesStepsOfTwoTenths() {
    let s = NiceScale(min: 0, max: 0.93)
    #expect(s.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    #expect(s.step == 0.2)
    #expect(s.decimals == 1)
    #expect(s.ticks.map(s.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  @Test func largeAndNegativeRanges() {
    #expect(NiceScale(min: 0, max: 100).ticks == [0, 20, 40, 60, 80, 100])
    #expect(NiceScale(min: -3, max: 7).ticks == [-4, -2, 0, 2, 4, 6, 8])
    #expect(NiceScale(min: 0, max: 4321).ticks == [0, 1000, 2000, 3000, 4000, 5000])
    #expect(NiceScale(min: 0.3, max: 0.7).ticks == [0.3, 0.4, 0.5, 0.6, 0.7])
  }

  @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
    var rng = DemoRandom(seed: 3)
    for _ in 0..<500 {
      let a = (rng.unit() - 0.5) * pow10(Int(rng.unit() * 12) - 6)
      let b = a + rng.unit() * pow10(Int(rng.unit() * 12) - 6)
      let s = NiceScale(min: a, max: b)
      let e = (log10(s.step)).rounded(.down)
      let m = (s.step / pow10(Int(e))).rounded()
      #expect([1, 2, 5].contains(m), "step \(s.step)")
      #expect(s.lower <= a && s.upper >= b)
      #expect(s.ticks.count >= 2 && s.ticks.count <= 8, "\(a)…\(b): \(s.ticks)")
      // Every tick prints exactly with the scale's decimals.
      for t in s.ticks { #expect(abs(Double(s.label(t))! - t) <= s.step * 1e-6) }
    }
  }

  @Test func degenerateRanges() {
    #expect(NiceScale(min: 0, max: 0).ticks.first == 0)
    #expect(NiceScale(min: 0, max: 0).upper > 0)
    let five = NiceScale(min: 5, max: 5)
    #expect(five.lower < 5 && five.upper > 5)
    let bad = NiceScale(min: .nan, max: .infinity)
    #expect(bad.lower == 0 && bad.upper == 1)
    #expect(NiceScale(min: 3, max: 1).lower <= 1)
  }

  @Test func extremeValuesDoNotTrap() {
    for (a, b) in [
      (1e20, 1e20 + 1), (-1e308, 1e308), (1e300, 1e300), (-.greatestFiniteMagnitude, 0),
      (1e15, 1e15 + 1e-3),
    ] {
      let s = NiceScale(min: a, max: b)
      #expect(s.ticks.count >= 2 && s.ticks.count <= 12, "\(a)…\(b): \(s.ticks.count)")
      #expect(s.lower < s.upper)
    }
    let svg = ChartRenderer.standaloneSVG(
      .bar(
        BarChart(
          labels: ChartLabels(title: "t"), categories: ["a", "b"],
          series: [BarSeries("s", [1e300, -1e300])])), id: "x")
    #expect(XMLCheck.wellFormed(svg).isEmpty)
  }

  @Test func integerStepsForCounts() {
    #expect(
      NiceScale(min: 1, max: 7, maxTicks: 8, integerSteps: true).ticks == [1, 2, 3, 4, 5, 6, 7])
    #expect(NiceScale(min: 1, max: 2, maxTicks: 8, integerSteps: true).step == 1)
  }

  private func pow10(_ e: Int) -> Double { e >= 0 ? pow(10, Double(e)) : 1 / pow(10, Double(-e)) }
}
