/// A fenced ```` ```dune <kind> ```` block: the step kind, its id, options and YAML arguments.
public struct StepBlock: Sendable {
  /// The step kind named after `dune` in the info string (`train-forest`, `check`).
  public var kind: String
  /// `#| id:` if given, else `<kind with dots as dashes>-<ordinal of that kind in the chapter>`.
  public var id: String
  /// Whether the id came from an `#| id:` line.
  public var hasExplicitID: Bool
  /// `#| expect-error:` — nil when the step must succeed; otherwise a message fragment ("" accepts any error).
  public var expectedError: String?
  /// `#| cache: false` makes the step run every time.
  public var cacheEnabled: Bool
  /// The decoded YAML body (a mapping; empty when the body is empty).
  public var arguments: Value
  /// Dotted argument path → position of its key in the chapter file.
  public var argumentPositions: [String: SourcePosition]
  /// The block body as written (options and arguments), for reports.
  public var source: String
  /// Position of the opening fence.
  public var position: SourcePosition

  public init(
    kind: String, id: String, hasExplicitID: Bool, expectedError: String?, cacheEnabled: Bool, arguments: Value,
    argumentPositions: [String: SourcePosition], source: String, position: SourcePosition
  ) {
    self.kind = kind
    self.id = id
    self.hasExplicitID = hasExplicitID
    self.expectedError = expectedError
    self.cacheEnabled = cacheEnabled
    self.arguments = arguments
    self.argumentPositions = argumentPositions
    self.source = source
    self.position = position
  }

  /// Where to point a diagnostic about argument `path`: the nearest recorded ancestor, else the fence.
  public func position(ofArgument path: [String]) -> SourcePosition {
    var p = path
    while !p.isEmpty {
      if let pos = argumentPositions[p.joined(separator: ".")] { return pos }
      p.removeLast()
    }
    return position
  }
}
