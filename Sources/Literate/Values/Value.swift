import DUNESupport
import Foundation

/// A JSON-like value: step arguments after YAML decoding, step outputs, resolved parameters.
///
/// Objects keep no insertion order: every textual form sorts keys, so equal values have equal bytes.
public enum Value: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([Value])
  case object([String: Value])

  /// The type name used in diagnostics ("a number", "a string", …).
  public var typeDescription: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .int: return "an integer"
    case .double: return "a number"
    case .string: return "a string"
    case .array: return "a list"
    case .object: return "a mapping"
    }
  }

  /// The numeric value of an integer or number, otherwise nil.
  public var number: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }

  /// The string payload, otherwise nil.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// Follows a path of object keys and array indices; nil when a component does not exist.
  public func value(at path: [String]) -> Value? {
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

extension Value {
  /// Compact canonical JSON: sorted keys, no whitespace, shortest round-trip numbers. Hash input.
  public var canonicalJSON: String {
    var out = ""
    writeJSON(into: &out, indent: nil, level: 0)
    return out
  }

  /// Human-readable JSON with two-space indentation and sorted keys (for files and reports).
  public var prettyJSON: String {
    var out = ""
    writeJSON(into: &out, indent: "  ", level: 0)
    return out
  }

  /// A short single-line rendering for diagnostics and tables: strings unquoted, others as JSON.
  public var displayText: String {
    if case .string(let s) = self { return s }
    return canonicalJSON
  }

  private func writeJSON(into out: inout String, indent: String?, level: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d):
      // JSON has no NaN/infinity: write them as strings so the text stays valid JSON.
      if d.isFinite {
        out += Self.formatDouble(d)
      } else {
        Value.string(NumberFormat.shortest(d)).writeJSON(into: &out, indent: indent, level: level)
      }
    case .string(let s): Self.writeString(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (n, item) in items.enumerated() {
        if n > 0 { out += "," }
        if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
        item.writeJSON(into: &out, indent: indent, level: level + 1)
      }
      if let indent { out += "\n" + String(repeating: indent, count: level) }
      out += "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (n, key) in members.keys.sorted().enumerated() {
        if n > 0 { out += "," }
        if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
        Self.writeString(key, into: &out)
        out += indent == nil ? ":" : ": "
        members[key]!.writeJSON(into: &out, indent: indent, level: level + 1)
      }
      if let indent { out += "\n" + String(repeating: indent, count: level) }
      out += "}"
    }
  }

  /// Doubles always carry a fraction or exponent so they read back as doubles, not integers.
  static func formatDouble(_ d: Double) -> String {
    let s = "\(d)"
    if s.contains(".") || s.contains("e") { return s }
    return s + ".0"
  }

  private static func writeString(_ s: String, into out: inout String) {
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
          out +=
            "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
            + String(scalar.value, radix: 16)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: Value...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, Value)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
  public init(nilLiteral: ()) { self = .null }
}

extension Value {
  /// A command-line value (`-P n=3`, `-P useCase=ton`, `-P grid=[1,2]`) read as YAML; text that is not valid YAML stays a string.
  public static func parsingCommandLine(_ text: String) -> Value {
    (try? YAMLValue.parse(text, file: "<command line>", lineOffset: 0, columnOffset: 0).value) ?? .string(text)
  }
}
