import DUNESupport
import Foundation

/// Fixed, locale-free text for durations, sizes, cells and timestamps on report pages.
enum Formatting {
  /// `0.22 s`, `12.3 s`, `245 s`.
  static func duration(_ s: Double) -> String {
    guard s.isFinite, s >= 0 else { return "–" }
    if s < 10 { return NumberFormat.fixed(s, 2) + " s" }
    if s < 100 { return NumberFormat.fixed(s, 1) + " s" }
    return NumberFormat.fixed(s, 0) + " s"
  }

  /// `512 B`, `3.0 KiB`, `1.2 MiB`, `4.5 GiB`.
  static func size(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var v = Double(bytes) / 1024
    var i = 0
    while v >= 1024 && i < units.count - 1 {
      v /= 1024
      i += 1
    }
    return NumberFormat.fixed(v, 1) + " " + units[i]
  }

  /// A cell's display text.
  static func cell(_ c: Cell) -> String {
    switch c {
    case .text(let s): return s
    case .integer(let i): return String(i)
    case .number(let v, let d): return NumberFormat.fixed(v, max(0, d))
    case .measure(let v, let unit): return UnitFormat.text(v, unit: unit)
    case .link(let s, _): return s
    case .empty: return "–"
    }
  }
}

extension Provenance {
  /// `SOURCE_DATE_EPOCH` from `environment` (pass `ProcessInfo.processInfo.environment`), or nil
  /// when unset or not a non-negative whole number up to the year 9999 (the reproducible-builds
  /// definition): the report then shows no time at all rather than the clock.
  public static func sourceDateEpoch(from environment: [String: String]) -> Int64? {
    guard let raw = environment["SOURCE_DATE_EPOCH"]?.trimmingCharacters(in: .whitespaces),
      !raw.isEmpty
    else { return nil }
    guard let v = Int64(raw), v >= 0, v <= 253_402_300_799 else { return nil }
    return v
  }
}
