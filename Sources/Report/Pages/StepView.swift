/// Everything the report shows for one step block: identity, outcome, arguments and results.
public struct StepView: Sendable, Equatable {
  /// The step id (`#| id:` or the kind when absent), unique within its chapter; used in anchors
  /// (`<chapter>-<id>`) and figure ids.
  public var id: String
  /// The step kind from the info string, e.g. `spp.greedy`.
  public var kind: String
  /// How the step ended in this run.
  public var status: StepStatus
  /// Decoded step arguments as ordered key/value text (the order of the YAML body).
  public var arguments: [KeyValue]
  /// Metric tables, in display order.
  public var tables: [MetricsTable]
  /// Figures, in display order.
  public var figures: [Figure]
  /// Files the step produced, linked relative to `results/`.
  public var files: [FileLink]
  /// Short lines of text (check results, counts), shown as a list after the tables.
  public var notes: [String]
  /// Execution time in seconds (of the run that produced the outputs); nil when unknown.
  public var durationSeconds: Double?

  /// Creates a step view.
  public init(
    id: String, kind: String, status: StepStatus, arguments: [KeyValue] = [],
    tables: [MetricsTable] = [], figures: [Figure] = [], files: [FileLink] = [],
    notes: [String] = [], durationSeconds: Double? = nil
  ) {
    self.notes = notes
    self.id = id
    self.kind = kind
    self.status = status
    self.arguments = arguments
    self.tables = tables
    self.figures = figures
    self.files = files
    self.durationSeconds = durationSeconds
  }
}

/// The outcome of a step in a run.
public enum StepStatus: Sendable, Equatable, Hashable {
  /// Outputs restored from the cache; nothing was executed.
  case fresh
  /// Executed in this run and succeeded.
  case ran
  /// Succeeded, without saying whether this run executed it or restored it from the cache: the wording
  /// of reproducible pages, which must be byte-identical whatever the cache held.
  case done
  /// Failed: the page shows a red banner at the top and at the step.
  case failed(StepFailure)
  /// Failed as declared by `#| expect-error:`; shown as a neutral note, not a banner.
  case expectedFailure(StepFailure)
  /// Not executed (e.g. an upstream step failed, or outside `--from/--until`); `reason` says why.
  case skipped(reason: String)

  /// Whether the page must show a failure banner for this status.
  public var isFailure: Bool {
    if case .failed = self { return true }
    return false
  }
}

/// A step failure: the message and where in the chapter it points.
public struct StepFailure: Sendable, Equatable, Hashable {
  /// The error message (without the `path:line:col: error:` prefix).
  public var message: String
  /// Source location in the chapter, when known.
  public var location: SourceLocation?

  /// Creates a failure.
  public init(message: String, location: SourceLocation? = nil) {
    self.message = message
    self.location = location
  }
}

/// A position in a chapter source file (1-based line and column).
public struct SourceLocation: Sendable, Equatable, Hashable {
  /// File path relative to the repository root, e.g. `chapters/03-partitioning.md`.
  public var file: String
  /// 1-based line.
  public var line: Int
  /// 1-based column, when known.
  public var column: Int?

  /// Creates a location.
  public init(file: String, line: Int, column: Int? = nil) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// Compiler-style text: `file:line:col` (or `file:line`).
  public var description: String {
    column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
  }
}

/// An ordered key/value pair of display text (arguments, parameters, tool versions).
public struct KeyValue: Sendable, Equatable, Hashable {
  /// The key.
  public var key: String
  /// The value, as text.
  public var value: String

  /// Creates a pair.
  public init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }
}

/// A file produced by a step, linked from the page.
public struct FileLink: Sendable, Equatable, Hashable {
  /// Link target relative to `results/`, e.g. `03-partitioning/spp/blocks.csv`.
  public var path: String
  /// Link text; defaults to the path.
  public var label: String
  /// Size in bytes, when known (printed as B / KiB / MiB).
  public var sizeBytes: Int?

  /// Creates a file link.
  public init(path: String, label: String? = nil, sizeBytes: Int? = nil) {
    self.path = path
    self.label = label ?? path
    self.sizeBytes = sizeBytes
  }
}
