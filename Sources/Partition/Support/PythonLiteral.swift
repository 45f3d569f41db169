/// Python `repr` of lists of strings, as pandas writes list-valued cells (`['a', 'b']`) in the
/// reference SPP solution CSV (spec §5.7).
public enum PythonLiteral {
  /// `repr(s)` for a Python 3 `str`: single quotes unless the text contains a single quote and no
  /// double quote; backslash, the active quote and control characters escaped.
  public static func string(_ s: String) -> String {
    let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for ch in s.unicodeScalars {
      switch ch {
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if Character(ch) == quote {
          out += "\\" + String(quote)
        } else if ch.value < 0x20 || ch.value == 0x7F {
          let hex = String(ch.value, radix: 16)
          out += "\\x" + (hex.count < 2 ? "0" : "") + hex
        } else {
          out.unicodeScalars.append(ch)
        }
      }
    }
    out.append(quote)
    return out
  }

  /// `repr(list_of_str)`: `['a', 'b']`, `[]` when empty.
  public static func list(_ items: [String]) -> String {
    "[" + items.map(string).joined(separator: ", ") + "]"
  }
}
