import DUNESupport
import Foundation
import Testing

@Suite struct UnitFormatTests {
  @Test func valuesFollowTheirUnit() {
    #expect(UnitFormat.text(65.62390997668, unit: "%") == "65.62 %")
    #expect(UnitFormat.text(0.656239099766893, unit: "fraction") == "65.62 %")
    #expect(UnitFormat.text(0.9422163618440441, unit: "gain") == "0.94222")
    #expect(UnitFormat.text(2.346, unit: "s") == "2.35 s")
    #expect(UnitFormat.text(12825, unit: "rows") == "12,825")
    #expect(UnitFormat.text(1, unit: "bool") == "yes")
    #expect(UnitFormat.text(2.102194611725, unit: "") == "2.1022")
    #expect(UnitFormat.text(-1_234_567, unit: "") == "-1,234,567")
    #expect(UnitFormat.text(999, unit: "packets") == "999")
    #expect(UnitFormat.text(.nan, unit: "%") == "nan")
  }

  @Test func noFormattedNumberHasMoreThanSixDecimals() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<2000 {
      let x = Double(rng.next() % 1_000_000_007) / 997.0 * (rng.next() % 2 == 0 ? 1 : -1e-6)
      for unit in ["%", "fraction", "gain", "s", "", "rows"] {
        let text = UnitFormat.text(x, unit: unit)
        let decimals = text.split(separator: ".").dropFirst().first.map { $0.prefix(while: \.isNumber).count } ?? 0
        #expect(decimals <= 6, "\(x) \(unit) → \(text)")
      }
    }
  }
}
