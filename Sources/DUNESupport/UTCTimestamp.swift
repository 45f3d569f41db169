/// ISO 8601 UTC timestamps computed by integer arithmetic, so no locale, time zone or shared
/// (non-`Sendable`) date formatter leaks in.
public enum UTCTimestamp {
  /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch (proleptic Gregorian, UTC; Howard
  /// Hinnant's civil-from-days). Years are clamped to 0000–9999, which also keeps the arithmetic
  /// from overflowing.
  public static func iso(_ epochIn: Int64) -> String {
    let epoch = min(max(epochIn, -62_167_219_200), 253_402_300_799)
    let days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400
    let secs = epoch - days * 86400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let year = String(repeating: "0", count: 4 - String(y).count) + String(y)
    return "\(year)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
  }
}
