import DUNESupport
import Foundation
import Yams

/// Markdown chapter text → `Chapter`. Pure: the caller reads the file.
///
/// Front matter is blanked out (each of its lines replaced by an empty line) before cmark sees the
/// text, which keeps every cmark position equal to the line in the file.
public enum ChapterParser {
  /// Options allowed in `#| key: value` lines at the top of a step body.
  public static let knownOptions: Set<String> = ["id", "expect-error", "cache"]

  /// Parses `text` of the chapter at `path` (relative to the project root). Throws `Diagnostics`.
  public static func parse(_ text: String, path: String) throws -> Chapter {
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
    var errors: [LocatedError] = []
    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension

    // Front matter.
    var lines = normalized.components(separatedBy: "\n")
    var frontMatter: Value = .object([:])
    if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
      if let end = lines.indices.dropFirst().first(where: {
        let t = lines[$0].trimmingCharacters(in: .whitespaces)
        return t == "---" || t == "..."
      }) {
        let yaml = lines[1..<end].joined(separator: "\n")
        do {
          frontMatter = try YAMLValue.parse(yaml, file: path, lineOffset: 1, columnOffset: 0).value
          if case .object = frontMatter {
          } else if frontMatter != .null {
            errors.append(LocatedError(file: path, line: 2, column: 1, "front matter must be a mapping"))
            frontMatter = .object([:])
          } else {
            frontMatter = .object([:])
          }
        } catch let e as LocatedError { errors.append(e) }
        for i in 0...end { lines[i] = "" }
      } else {
        errors.append(LocatedError(file: path, line: 1, column: 1, "front matter is not closed by a '---' line"))
      }
    }

    var parameters: [String: Value] = [:]
    switch frontMatter.value(at: ["params"]) {
    case .object(let o)?: parameters = o
    case nil, .null?: break
    default:
      errors.append(
        LocatedError(file: path, line: 1, column: 1, "front matter 'params' must be a mapping of name: default"))
    }
    var title = frontMatter.value(at: ["title"])?.stringValue

    let document = MarkdownDocument.parse(lines.joined(separator: "\n"))
    var blocks: [ChapterBlock] = []
    var ordinals: [String: Int] = [:]
    var seenIDs: [String: SourcePosition] = [:]
    for block in document.blocks {
      switch block {
      case .html(let html, let position, let level, let plain):
        if title == nil, level == 1, !plain.isEmpty { title = plain }
        if case .prose(let previous, let start)? = blocks.last {
          blocks[blocks.count - 1] = .prose(html: previous + html, position: start)
        } else {
          blocks.append(.prose(html: html, position: position))
        }
      case .fencedCode(let info, let literal, let position, let html):
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.first == "dune" else {
          // An ordinary code listing: keep it as prose.
          if case .prose(let previous, let start)? = blocks.last {
            blocks[blocks.count - 1] = .prose(html: previous + html, position: start)
          } else {
            blocks.append(.prose(html: html, position: position))
          }
          continue
        }
        guard words.count >= 2 else {
          errors.append(
            LocatedError(
              file: path, line: position.line, column: position.column, "step block needs a kind: ```dune <kind>"))
          continue
        }
        do {
          let step = try parseStep(
            kind: words[1], literal: literal, position: position, path: path, ordinals: &ordinals)
          if let first = seenIDs[step.id] {
            errors.append(
              LocatedError(
                file: path, line: position.line, column: position.column,
                "duplicate step id '\(step.id)' (first used at line \(first.line))"))
          } else {
            seenIDs[step.id] = position
          }
          blocks.append(.step(step))
        } catch let e as LocatedError {
          errors.append(e)
        }
      }
    }
    if !errors.isEmpty { throw Diagnostics(errors) }
    return Chapter(
      path: path, name: name, title: title ?? name, parameters: parameters, frontMatter: frontMatter, blocks: blocks)
  }

  /// Whether `id` is usable in `${step.<id>.<output>}` references.
  public static func isValidID(_ id: String) -> Bool {
    !id.isEmpty && id.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
  }

  private static func parseStep(
    kind: String, literal: String, position: SourcePosition, path: String, ordinals: inout [String: Int]
  ) throws -> StepBlock {
    let bodyLines = literal.components(separatedBy: "\n")
    var options: [String: (Value, SourcePosition)] = [:]
    for (i, line) in bodyLines.enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix("#|") else { break }
      let linePosition = SourcePosition(line: position.line + 1 + i, column: position.column)
      let rest = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
      guard let colon = rest.firstIndex(of: ":") else {
        throw LocatedError(
          file: path, line: linePosition.line, column: linePosition.column, "step option must read '#| name: value'")
      }
      let key = rest[..<colon].trimmingCharacters(in: .whitespaces)
      let rawValue = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard knownOptions.contains(key) else {
        throw LocatedError(
          file: path, line: linePosition.line, column: linePosition.column,
          "unknown step option '\(key)' (known: \(knownOptions.sorted().joined(separator: ", ")))")
      }
      let value =
        (try? YAMLValue.parse(rawValue, file: path, lineOffset: 0, columnOffset: 0).value) ?? .string(rawValue)
      options[key] = (value, linePosition)
    }

    var id: String
    let explicit: Bool
    if let (value, p) = options["id"] {
      guard case .string(let s) = value, isValidID(s) else {
        throw LocatedError(file: path, line: p.line, column: p.column, "step id must be letters, digits, '-' or '_'")
      }
      id = s
      explicit = true
    } else {
      ordinals[kind, default: 0] += 1
      id = kind.replacingOccurrences(of: ".", with: "-") + "-\(ordinals[kind]!)"
      explicit = false
    }

    var expectedError: String?
    if let (value, p) = options["expect-error"] {
      switch value {
      case .bool(true), .null: expectedError = ""
      case .bool(false): expectedError = nil
      case .string(let s): expectedError = s
      default:
        throw LocatedError(
          file: path, line: p.line, column: p.column, "expect-error must be true or a message fragment")
      }
    }
    var cacheEnabled = true
    if let (value, p) = options["cache"] {
      guard case .bool(let b) = value else {
        throw LocatedError(file: path, line: p.line, column: p.column, "cache must be true or false")
      }
      cacheEnabled = b
    }

    // `#|` lines are YAML comments, so the whole body parses as is and positions need no correction.
    let parsed = try YAMLValue.parse(literal, file: path, lineOffset: position.line, columnOffset: position.column - 1)
    var arguments = parsed.value
    if arguments == .null { arguments = .object([:]) }
    guard case .object = arguments else {
      throw LocatedError(
        file: path, line: position.line + 1, column: position.column,
        "step arguments must be a YAML mapping of name: value")
    }
    return StepBlock(
      kind: kind, id: id, hasExplicitID: explicit, expectedError: expectedError, cacheEnabled: cacheEnabled,
      arguments: arguments, argumentPositions: parsed.positions, source: literal, position: position)
  }
}
