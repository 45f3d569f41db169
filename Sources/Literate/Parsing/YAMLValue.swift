import DUNESupport
import Foundation
import Yams

/// YAML text → `Value`, remembering where every mapping key and list element starts.
///
/// Positions are shifted by `origin` so they point into the chapter file, not into the block body.
struct YAMLValue {
  var value: Value
  /// Dotted argument path (`expect.1.value`) → position of the key (or list element) in the chapter.
  var positions: [String: SourcePosition]

  /// Parses `text`; an empty document is an empty mapping. Errors name `file` at the YAML problem's position.
  static func parse(_ text: String, file: String, lineOffset: Int, columnOffset: Int) throws -> YAMLValue {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let e as YamlError {
      throw located(e, file: file, lineOffset: lineOffset, columnOffset: columnOffset)
    } catch {
      throw LocatedError(file: file, line: lineOffset + 1, column: columnOffset + 1, "bad YAML: \(error)")
    }
    guard let node else { return YAMLValue(value: .object([:]), positions: [:]) }
    var positions: [String: SourcePosition] = [:]
    let value = try convert(
      node, path: [], positions: &positions, file: file, lineOffset: lineOffset, columnOffset: columnOffset)
    return YAMLValue(value: value, positions: positions)
  }

  private static func position(_ mark: Mark?, _ lineOffset: Int, _ columnOffset: Int) -> SourcePosition {
    guard let mark else { return SourcePosition(line: lineOffset + 1, column: columnOffset + 1) }
    return SourcePosition(line: mark.line + lineOffset, column: mark.column + columnOffset)
  }

  private static func convert(
    _ node: Node, path: [String], positions: inout [String: SourcePosition], file: String,
    lineOffset: Int, columnOffset: Int
  ) throws -> Value {
    switch node {
    case .scalar(let scalar):
      return scalarValue(scalar)
    case .alias:
      let p = position(node.mark, lineOffset, columnOffset)
      throw LocatedError(
        file: file, line: p.line, column: p.column, "bad YAML: aliases are not supported in step arguments")
    case .sequence(let seq):
      var items: [Value] = []
      for (i, child) in seq.enumerated() {
        let childPath = path + [String(i)]
        positions[childPath.joined(separator: ".")] = position(child.mark, lineOffset, columnOffset)
        items.append(
          try convert(
            child, path: childPath, positions: &positions, file: file, lineOffset: lineOffset,
            columnOffset: columnOffset))
      }
      return .array(items)
    case .mapping(let mapping):
      var members: [String: Value] = [:]
      for (key, child) in mapping {
        let keyPosition = position(key.mark, lineOffset, columnOffset)
        guard case .scalar(let keyScalar) = key else {
          throw LocatedError(
            file: file, line: keyPosition.line, column: keyPosition.column, "bad YAML: mapping keys must be plain text")
        }
        let name = keyScalar.string
        if members[name] != nil {
          throw LocatedError(
            file: file, line: keyPosition.line, column: keyPosition.column, "bad YAML: duplicate key '\(name)'")
        }
        let childPath = path + [name]
        positions[childPath.joined(separator: ".")] = keyPosition
        members[name] = try convert(
          child, path: childPath, positions: &positions, file: file, lineOffset: lineOffset, columnOffset: columnOffset)
      }
      return .object(members)
    }
  }

  /// Plain scalars resolve to null, booleans and numbers (YAML 1.2 core schema); quoted ones stay strings.
  static func scalarValue(_ scalar: Node.Scalar) -> Value {
    let node = Node.scalar(scalar)
    guard scalar.style == .plain else { return .string(scalar.string) }
    if scalar.string.isEmpty || node.null != nil { return .null }
    if let b = node.bool { return .bool(b) }
    if let i = node.int { return .int(i) }
    if let d = node.float, looksNumeric(scalar.string) { return .double(d) }
    return .string(scalar.string)
  }

  /// Guards against YAML 1.1 oddities: only digits, signs, points, exponents and `.inf`/`.nan` count as numbers.
  private static func looksNumeric(_ s: String) -> Bool {
    let lower = s.lowercased()
    if [".inf", "+.inf", "-.inf", ".nan"].contains(lower) { return true }
    return !s.isEmpty && s.allSatisfy { "0123456789+-.eE_".contains($0) } && s.contains(where: \.isNumber)
  }

  private static func located(_ e: YamlError, file: String, lineOffset: Int, columnOffset: Int) -> LocatedError {
    switch e {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let p = position(mark, lineOffset, columnOffset)
      let detail = context.map { "\(problem) (\($0.text))" } ?? problem
      return LocatedError(file: file, line: p.line, column: p.column, "bad YAML: \(detail)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      let p = position(context.mark, lineOffset, columnOffset)
      return LocatedError(
        file: file, line: p.line, column: p.column,
        "bad YAML: duplicate keys \(duplicates.sorted().joined(separator: ", "))")
    default:
      return LocatedError(file: file, line: lineOffset + 1, column: columnOffset + 1, "bad YAML: \(e)")
    }
  }
}
