import DUNESupport
import Foundation
import Traffic

/// Keying 32-bit nanosecond time features on a high bit slice (`data-plane.md` §3.5, B2).
///
/// The slice is part of the feature definition: `quantise(table:)` is applied to the sample table
/// BEFORE training, so the trained thresholds are exact on the quantised value and the compiler needs
/// no hand-tuned threshold shifts. Quantised value q = ⌊min(x, 2^32 − 1) / 2^shift⌋ for x ≥ 0;
/// −1 ("unavailable") stays −1. The emulator computes the same q from its saturating 32-bit ns
/// registers (a real 32-bit register wraps after ≈ 4.29 s — use saturating `|+|` in P4 to match).
public struct TimeQuantisation: Codable, Sendable, Equatable {
  /// Right shift per feature name; features not listed are not quantised.
  public var shifts: [String: Int]

  public init(shifts: [String: Int]) { self.shifts = shifts }

  /// No quantisation.
  public static let none = TimeQuantisation(shifts: [:])

  /// The four time features (ns, 32-bit) → bits [31:16]: 16-bit keys in units of 65.536 µs.
  public static let default16 = uniform(shift: 16)

  /// The same shift for all four time features.
  public static func uniform(shift: Int) -> TimeQuantisation {
    TimeQuantisation(shifts: Dictionary(uniqueKeysWithValues: timeFeatures.map { ($0, shift) }))
  }

  /// The nanosecond time features of the catalog.
  public static let timeFeatures = ["Flow IAT Min", "Flow IAT Max", "Flow IAT Mean", "Flow Duration"]

  /// The shift applied to a feature (0 when not quantised).
  public func shift(for name: String) -> Int { shifts[name] ?? 0 }

  /// Quantises one training value: −1 stays −1, x ≥ 0 → ⌊min(x, 2^32 − 1) / 2^shift⌋.
  public static func quantise(_ x: Double, shift: Int, sourceWidth: Int = 32) -> Double {
    guard x >= 0, shift > 0 else { return x }
    let cap = Double((UInt64(1) << UInt64(sourceWidth)) - 1)
    let v = UInt64(min(x, cap).rounded(.down))
    return Double(v >> UInt64(shift))
  }

  /// Returns `table` with every listed time column quantised (columns absent from the table are skipped).
  public func quantise(table: SampleTable) -> SampleTable {
    var out = table
    for (name, shift) in shifts.sorted(by: { $0.key < $1.key }) where shift > 0 {
      guard let c = table.columnIndex(name) else { continue }
      let w = FeatureCatalog.bitWidth(name) ?? 32
      out.values[c] = table.values[c].map { TimeQuantisation.quantise($0, shift: shift, sourceWidth: w) }
    }
    return out
  }
}
