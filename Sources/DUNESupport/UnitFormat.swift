/// Numbers for people: a value's display text follows its unit, with fixed rules and no locale.
///
/// | unit | text |
/// |---|---|
/// | `%` | 2 decimals and ` %` (`65.62 %`) |
/// | `fraction` | as a percentage: ×100, 2 decimals, ` %` |
/// | `gain` | 5 decimals (`0.94222`), the precision the reference's SPP gains are compared at |
/// | `s` | 2 decimals and ` s` |
/// | `bool` | `yes` / `no` |
/// | a count (`rows`, `packets`, `blocks`, …) or none | whole numbers with thousands separators (`12,825`); other values with 4 decimals |
///
/// Full precision belongs in the store, the CSV/JSON outputs and the page's tooltips, not here.
public enum UnitFormat {
  /// The display text of `value` in `unit` (the unit word itself is not repeated, except `%` and `s`).
  public static func text(_ value: Double, unit: String) -> String {
    guard value.isFinite else { return NumberFormat.shortest(value) }
    switch unit {
    case "%": return NumberFormat.fixed(value, 2) + " %"
    case "fraction": return NumberFormat.fixed(value * 100, 2) + " %"
    case "gain": return NumberFormat.fixed(value, 5)
    case "s": return NumberFormat.fixed(value, 2) + " s"
    case "bool": return value != 0 ? "yes" : "no"
    default: return plain(value)
    }
  }

  /// A count with thousands separators when whole (`1,234,567`), else 4 decimals.
  public static func plain(_ value: Double) -> String {
    guard value.isFinite else { return NumberFormat.shortest(value) }
    if value == value.rounded(), abs(value) < 1e15 { return count(value) }
    return NumberFormat.fixed(value, 4)
  }

  /// `value` rounded to a whole number, with a comma every three digits (`-12,825`).
  public static func count(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e15 else { return NumberFormat.shortest(value) }
    let n = Int64(value.rounded())
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return n < 0 ? "-" + out : out
  }
}
