import DUNESupport
import Foundation

/// One block of an SPP solution as step 4 consumes it: its id, its classes and its SPP features.
public struct ClusterDefinition: Sendable, Equatable, Codable {
  /// The `Cluster` index of the partition file.
  public var id: Int
  /// The block's classes, in `Class List` order (this order fixes the sub-model's class indices, C6).
  public var classes: [String]
  /// The block's SPP feature list φ* (candidates only with `restrictToSPPFeatures`, §6.2).
  public var sppFeatures: [String]

  public init(id: Int, classes: [String], sppFeatures: [String]) {
    self.id = id
    self.classes = classes
    self.sppFeatures = sppFeatures
  }
}

/// Reads the `Cluster,Class List,Feature List` file written by `dune partition --out` (spec §5.7).
public enum ClusterPartitionFile {
  /// Loads and validates the clusters: ids 0..<n in order, non-empty and pairwise disjoint class lists.
  public static func load(path: String) throws -> [ClusterDefinition] {
    try parse(CSVTable.read(path: path))
  }

  /// Parses an already-read table (see `load`); errors name the file, line and column.
  public static func parse(_ table: CSVTable) throws -> [ClusterDefinition] {
    let idCol = try table.column("Cluster")
    let classCol = try table.column("Class List")
    let featureCol = try table.column("Feature List")
    var out: [ClusterDefinition] = []
    var seen: [String: Int] = [:]
    for rec in table.records {
      guard let id = Int(rec.fields[idCol]), id == out.count else {
        throw LocatedError(
          file: table.path, line: rec.line, column: idCol + 1,
          "cluster index must be \(out.count) (clusters numbered 0, 1, … in order), found '\(rec.fields[idCol])'")
      }
      let classes = try PythonStringList.parse(
        rec.fields[classCol], file: table.path, line: rec.line, column: classCol + 1)
      let features = try PythonStringList.parse(
        rec.fields[featureCol], file: table.path, line: rec.line, column: featureCol + 1)
      guard !classes.isEmpty else {
        throw LocatedError(file: table.path, line: rec.line, column: classCol + 1, "cluster \(id) has no class")
      }
      for c in classes {
        if let other = seen[c] {
          throw LocatedError(
            file: table.path, line: rec.line, column: classCol + 1, "class '\(c)' is already in cluster \(other)")
        }
        seen[c] = id
      }
      out.append(ClusterDefinition(id: id, classes: classes, sppFeatures: features))
    }
    guard !out.isEmpty else { throw LocatedError(file: table.path, "no cluster rows") }
    return out
  }

  /// The partition file text for `clusters` (the reference layout, list cells as Python literals).
  public static func csv(_ clusters: [ClusterDefinition]) -> String {
    var w = CSVWriter()
    w.row(["Cluster", "Class List", "Feature List"])
    for c in clusters { w.row([String(c.id), PythonLiteral.list(c.classes), PythonLiteral.list(c.sppFeatures)]) }
    return w.text
  }
}

/// Parser for the Python `repr` of a list of strings (`['a', "b'c"]`), the inverse of `PythonLiteral.list`.
public enum PythonStringList {
  /// The strings of `text`; a syntax error is located at the cell's line and column.
  public static func parse(_ text: String, file: String = "<memory>", line: Int = 1, column: Int = 1) throws -> [String]
  {
    let s = Array(text.unicodeScalars)
    var i = 0
    func fail(_ message: String) -> LocatedError {
      LocatedError(
        file: file, line: line, column: column, "\(message) at character \(i + 1) of list cell \(text.debugDescription)"
      )
    }
    func skipSpaces() { while i < s.count, s[i] == " " { i += 1 } }
    skipSpaces()
    guard i < s.count, s[i] == "[" else { throw fail("expected '['") }
    i += 1
    var items: [String] = []
    skipSpaces()
    if i < s.count, s[i] == "]" {
      i += 1
    } else {
      while true {
        skipSpaces()
        guard i < s.count, s[i] == "'" || s[i] == "\"" else { throw fail("expected a quoted string") }
        let quote = s[i]
        i += 1
        var item = String.UnicodeScalarView()
        while true {
          guard i < s.count else { throw fail("unterminated string") }
          let ch = s[i]
          if ch == quote {
            i += 1
            break
          }
          if ch == "\\" {
            guard i + 1 < s.count else { throw fail("dangling backslash") }
            let e = s[i + 1]
            i += 2
            switch e {
            case "n": item.append("\n")
            case "r": item.append("\r")
            case "t": item.append("\t")
            case "x":
              guard i + 2 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 2)])), radix: 16),
                let u = Unicode.Scalar(v)
              else { throw fail("bad \\x escape") }
              item.append(u)
              i += 2
            default: item.append(e)
            }
            continue
          }
          item.append(ch)
          i += 1
        }
        items.append(String(item))
        skipSpaces()
        guard i < s.count else { throw fail("expected ',' or ']'") }
        if s[i] == "," {
          i += 1
          continue
        }
        if s[i] == "]" {
          i += 1
          break
        }
        throw fail("expected ',' or ']'")
      }
    }
    skipSpaces()
    guard i == s.count else { throw fail("unexpected text after ']'") }
    return items
  }
}
