/// A 1-based line and column in a chapter file (columns count Unicode scalars, as cmark and libyaml do).
public struct SourcePosition: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }

  public var description: String { "\(line):\(column)" }
}
