/// The validated step graph of a set of chapters: every step with its kind, upstream edges, parameters and inputs.
public struct Plan: Sendable {
  /// The chapters, in file-name order.
  public var chapters: [Chapter]
  /// Every step of every chapter, in execution order.
  public var steps: [PlannedStep]
  /// Indices (into `steps`) the user asked for.
  public var targets: [Int]
  /// Indices to visit: the targets plus every step they transitively read, in order.
  public var closure: [Int]
  /// Resolved parameters per chapter name (defaults overridden by `-P`).
  public var parameters: [String: [String: Value]]

  /// The step with `id` in chapter `chapter`.
  public func step(chapter: String, id: String) -> PlannedStep? {
    steps.first { $0.chapter.name == chapter && $0.block.id == id }
  }
}

/// One step in a plan.
public struct PlannedStep: Sendable {
  /// Position in `Plan.steps`.
  public var index: Int
  public var chapter: ChapterRef
  public var block: StepBlock
  public var kind: AnyStepKind
  /// Each referenced step id → its index in `Plan.steps` (the nearest earlier step with that id).
  public var upstream: [String: Int]
  /// Values of the parameters this step references.
  public var parameters: [String: Value]
  /// Argument paths naming input files (top-level `inputArguments` present in the block).
  public var inputArguments: [String]
  /// Module → source digest of the code that computes the step (see `CodeFingerprints`).
  public var code: [String: String]

  /// `chapters/01-intro.md` : `count` — for messages.
  public var label: String { "\(chapter.name)/\(block.id)" }
}

/// The chapter a step belongs to.
public struct ChapterRef: Sendable, Hashable {
  public var path: String
  public var name: String
}

/// What to run: chapter names (or name prefixes like `02`), a step range, and parameter overrides.
public struct Selection: Sendable {
  public var chapters: [String]
  public var from: String?
  public var until: String?

  public init(chapters: [String] = [], from: String? = nil, until: String? = nil) {
    self.chapters = chapters
    self.from = from
    self.until = until
  }
}
