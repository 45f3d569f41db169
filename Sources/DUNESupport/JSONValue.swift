import Foundation

/// A JSON value with byte-stable text: the one JSON model and writer of the project (the runner's
/// step arguments and outputs, the partition and cluster-analysis documents).
///
/// Objects keep no insertion order: every textual form sorts keys, so equal values have equal bytes.
/// Numbers come in two kinds: `.double` prints in shortest round-trip form (and reads back as a
/// double), `.fixed` with a fixed number of decimals, so that a change in the last bit of a sum does
/// not churn a published file.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  /// A number in shortest round-trip form; JSON has no NaN or infinity, so those print as strings.
  case double(Double)
  /// A number printed with `decimals` digits after the point (`NumberFormat.fixed`); non-finite → `null`.
  case fixed(Double, decimals: Int)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The type name used in diagnostics ("a number", "a string", …).
  public var typeDescription: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .int: return "an integer"
    case .double, .fixed: return "a number"
    case .string: return "a string"
    case .array: return "a list"
    case .object: return "a mapping"
    }
  }

  /// The numeric value of an integer or number, otherwise nil.
  public var number: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d), .fixed(let d, _): return d
    default: return nil
    }
  }

  /// The string payload, otherwise nil.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// Follows a path of object keys and array indices; nil when a component does not exist.
  public func value(at path: [String]) -> JSONValue? {
    var current = self
    for component in path {
      switch current {
      case .object(let o):
        guard let next = o[component] else { return nil }
        current = next
      case .array(let a):
        guard let i = Int(component), a.indices.contains(i) else { return nil }
        current = a[i]
      default: return nil
      }
    }
    return current
  }
}

// MARK: - Text

extension JSONValue {
  /// How arrays and objects are laid out.
  enum Layout {
    /// No whitespace at all.
    case compact
    /// Two-space indentation, one element per line.
    case pretty
    /// As `pretty`, but arrays of scalars on one line (`[1, 2]`, class lists, orders).
    case document
  }

  /// Compact canonical JSON: sorted keys, no whitespace. Hash input of the runner's cache keys.
  public var canonicalJSON: String { text(.compact) }

  /// Human-readable JSON with two-space indentation and sorted keys (for files and reports).
  public var prettyJSON: String { text(.pretty) }

  /// A document file: as `prettyJSON` with arrays of scalars on one line, ending with a newline.
  public func rendered() -> String { text(.document) + "\n" }

  /// A short single-line rendering for diagnostics and tables: strings unquoted, others as JSON.
  public var displayText: String {
    if case .string(let s) = self { return s }
    return canonicalJSON
  }

  func text(_ layout: Layout) -> String {
    var out = ""
    write(into: &out, layout, level: 0)
    return out
  }

  private func write(into out: inout String, _ layout: Layout, level: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d):
      if d.isFinite {
        out += Self.formatDouble(d)
      } else {
        Self.writeString(NumberFormat.shortest(d), into: &out)
      }
    case .fixed(let x, let decimals): out += x.isFinite ? NumberFormat.fixed(x, decimals) : "null"
    case .string(let s): Self.writeString(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      if layout == .document, items.allSatisfy(\.isScalar) {
        out += "["
        for (n, item) in items.enumerated() {
          if n > 0 { out += ", " }
          item.write(into: &out, layout, level: level + 1)
        }
        out += "]"
        return
      }
      out += "["
      for (n, item) in items.enumerated() {
        if n > 0 { out += "," }
        Self.newline(into: &out, layout, level: level + 1)
        item.write(into: &out, layout, level: level + 1)
      }
      Self.newline(into: &out, layout, level: level)
      out += "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (n, key) in members.keys.sorted().enumerated() {
        if n > 0 { out += "," }
        Self.newline(into: &out, layout, level: level + 1)
        Self.writeString(key, into: &out)
        out += layout == .compact ? ":" : ": "
        members[key]!.write(into: &out, layout, level: level + 1)
      }
      Self.newline(into: &out, layout, level: level)
      out += "}"
    }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  private static func newline(into out: inout String, _ layout: Layout, level: Int) {
    guard layout != .compact else { return }
    out += "\n" + String(repeating: "  ", count: level)
  }

  /// Doubles always carry a fraction or exponent so they read back as doubles, not integers.
  static func formatDouble(_ d: Double) -> String {
    let s = "\(d)"
    if s.contains(".") || s.contains("e") { return s }
    return s + ".0"
  }

  /// `s` as a JSON string literal (RFC 8259 escapes; other control characters as `\u00XX`).
  static func writeString(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

// MARK: - Literals and Codable

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
  public init(nilLiteral: ()) { self = .null }
}

/// JSON round trip (the runner's cache entries): integers stay integers, numbers with a fraction
/// stay doubles; `.fixed` numbers read back as `.double`.
extension JSONValue: Codable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
      return
    }
    if let b = try? c.decode(Bool.self) {
      self = .bool(b)
      return
    }
    if let i = try? c.decode(Int.self) {
      self = .int(i)
      return
    }
    if let d = try? c.decode(Double.self) {
      self = .double(d)
      return
    }
    if let s = try? c.decode(String.self) {
      self = .string(s)
      return
    }
    if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
      return
    }
    self = .object(try c.decode([String: JSONValue].self))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .int(let i): try c.encode(i)
    case .double(let d), .fixed(let d, _): try c.encode(d)
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }

  /// Parses JSON text into a value.
  public static func parseJSON(_ data: Data) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: data)
  }
}
