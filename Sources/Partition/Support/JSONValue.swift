import DUNESupport

/// A minimal JSON document model with byte-stable rendering: object keys sorted by code point, numbers
/// printed with a fixed number of decimals (`NumberFormat.fixed`), two-space indentation, LF line ends.
///
/// Foundation's encoder prints doubles in shortest form; artefacts here want a fixed format so that a
/// change in the last bit of a sum does not churn the file.
public indirect enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` / `false`.
  case bool(Bool)
  /// An integer, printed exactly.
  case int(Int)
  /// A real number printed with `decimals` digits after the point (non-finite → `null`).
  case number(Double, decimals: Int)
  /// A string, escaped per RFC 8259.
  case string(String)
  /// An array; scalars-only arrays render on one line.
  case array([JSONValue])
  /// An object; keys are rendered in sorted order.
  case object([String: JSONValue])

  /// Default decimals for gains and objectives.
  public static func real(_ x: Double) -> JSONValue { .number(x, decimals: 9) }

  /// The document as text, ending with a newline.
  public func rendered() -> String {
    var out = ""
    write(to: &out, indent: 0)
    out.append("\n")
    return out
  }

  private func write(to out: inout String, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .number(let x, let d): out += x.isFinite ? NumberFormat.fixed(x, d) : "null"
    case .string(let s): Self.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      // Arrays of scalars stay on one line (orders, class lists); nested structures break lines.
      if items.allSatisfy(\.isScalar) {
        out += "["
        for (i, v) in items.enumerated() {
          if i > 0 { out += ", " }
          v.write(to: &out, indent: indent)
        }
        out += "]"
        return
      }
      out += "[\n"
      for (i, v) in items.enumerated() {
        out += String(repeating: " ", count: indent + 2)
        v.write(to: &out, indent: indent + 2)
        out += i + 1 < items.count ? ",\n" : "\n"
      }
      out += String(repeating: " ", count: indent) + "]"
    case .object(let fields):
      if fields.isEmpty {
        out += "{}"
        return
      }
      out += "{\n"
      let keys = fields.keys.sorted {
        $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value }
      }
      for (i, k) in keys.enumerated() {
        out += String(repeating: " ", count: indent + 2)
        Self.quote(k, into: &out)
        out += ": "
        fields[k]!.write(to: &out, indent: indent + 2)
        out += i + 1 < keys.count ? ",\n" : "\n"
      }
      out += String(repeating: " ", count: indent) + "}"
    }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  private static func quote(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}
