import DUNESupport
import Foundation

/// A `${…}` reference inside a step argument.
///
/// * `${step.<id>.<output>[.<key>…]}` — an output value of an earlier step (keys index into mappings/lists);
/// * `${file.<id>.<name>}` — the path of a file an earlier step wrote (`name` may contain dots);
/// * `${params.<name>}` — a resolved chapter parameter.
///
/// A string that is exactly one reference takes the referenced value with its type; a reference inside
/// longer text is replaced by the value's text.
public enum Reference: Sendable, Hashable, CustomStringConvertible {
  case step(id: String, output: String, path: [String])
  case file(id: String, name: String)
  case parameter(String)

  /// The id of the referenced step, if any.
  public var stepID: String? {
    switch self {
    case .step(let id, _, _), .file(let id, _): return id
    case .parameter: return nil
    }
  }

  public var description: String {
    switch self {
    case .step(let id, let output, let path): return "${step.\(([id, output] + path).joined(separator: "."))}"
    case .file(let id, let name): return "${file.\(id).\(name)}"
    case .parameter(let name): return "${params.\(name)}"
    }
  }

  /// Parses the text between `${` and `}`; nil when malformed.
  static func parse(_ body: String) -> Reference? {
    let parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    switch parts[0] {
    case "step" where parts.count >= 3 && ChapterParser.isValidID(parts[1]):
      return .step(id: parts[1], output: parts[2], path: Array(parts.dropFirst(3)))
    case "file" where parts.count >= 3 && ChapterParser.isValidID(parts[1]):
      return .file(id: parts[1], name: parts.dropFirst(2).joined(separator: "."))
    case "params" where parts.count == 2:
      return .parameter(parts[1])
    default:
      return nil
    }
  }
}

/// Finding and substituting references in argument values.
public enum References {
  /// A piece of a string: literal text or a reference.
  enum Piece: Equatable {
    case text(String)
    case reference(Reference)
  }

  /// Splits `s` into literal text and references; throws the malformed `${…}` text.
  static func pieces(_ s: String) throws(MalformedReference) -> [Piece] {
    var pieces: [Piece] = []
    var rest = Substring(s)
    while let open = rest.range(of: "${") {
      if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
      guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
        throw MalformedReference(text: String(rest[open.lowerBound...]))
      }
      let body = String(rest[open.upperBound..<close])
      guard let ref = Reference.parse(body) else { throw MalformedReference(text: "${\(body)}") }
      pieces.append(.reference(ref))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { pieces.append(.text(String(rest))) }
    return pieces
  }

  /// Every reference in `value` with the argument path of the string that holds it.
  static func scan(_ value: Value, path: [String] = []) throws(LocatedMalformedReference) -> [(
    path: [String], reference: Reference
  )] {
    switch value {
    case .string(let s):
      do {
        return try pieces(s).compactMap { if case .reference(let r) = $0 { return (path, r) } else { return nil } }
      } catch {
        throw LocatedMalformedReference(path: path, text: error.text)
      }
    case .array(let items):
      var out: [(path: [String], reference: Reference)] = []
      for (i, item) in items.enumerated() { out += try scan(item, path: path + [String(i)]) }
      return out
    case .object(let members):
      var out: [(path: [String], reference: Reference)] = []
      for key in members.keys.sorted() { out += try scan(members[key]!, path: path + [key]) }
      return out
    default:
      return []
    }
  }

  /// `value` with every reference replaced through `resolve` (given each reference and its argument path).
  public static func substitute(_ value: Value, path: [String] = [], _ resolve: (Reference, [String]) throws -> Value)
    throws
    -> Value
  {
    switch value {
    case .string(let s):
      let ps = try pieces(s)
      if ps.count == 1, case .reference(let r) = ps[0] { return try resolve(r, path) }
      if !ps.contains(where: { if case .reference = $0 { return true } else { return false } }) { return value }
      var text = ""
      for p in ps {
        switch p {
        case .text(let t): text += t
        case .reference(let r): text += try resolve(r, path).displayText
        }
      }
      return .string(text)
    case .array(let items):
      return .array(
        try items.enumerated().map { try substitute($0.element, path: path + [String($0.offset)], resolve) })
    case .object(let members):
      var out: [String: Value] = [:]
      for (k, v) in members { out[k] = try substitute(v, path: path + [k], resolve) }
      return .object(out)
    default:
      return value
    }
  }
}

/// A `${…}` that is not one of the reference forms.
struct MalformedReference: Error { var text: String }

/// A malformed reference and the argument holding it.
struct LocatedMalformedReference: Error {
  var path: [String]
  var text: String
}
