/// Where a report's results came from: source revision, tools, parameters, per-step keys and times.
///
/// The only wall-clock value allowed in a report is `generatedAt`, and it must come from the
/// `SOURCE_DATE_EPOCH` environment variable (see `Provenance.sourceDateEpoch(from:)`), so two
/// renders of the same inputs are byte-identical.
public struct Provenance: Sendable, Equatable {
  /// The git commit of the repository, when known.
  public var gitCommit: String?
  /// Whether the working tree had uncommitted changes.
  public var dirty: Bool
  /// Tool versions in display order, e.g. `dune` → `0.1.0`, `swift` → `6.3.1`.
  public var toolVersions: [KeyValue]
  /// Resolved parameters in display order (front-matter `params:` plus `-P` overrides).
  public var parameters: [KeyValue]
  /// One record per step, in execution order.
  public var steps: [StepProvenance]
  /// Seconds since the Unix epoch from `SOURCE_DATE_EPOCH`; nil when unset (then no time is shown).
  public var generatedAt: Int64?

  /// Creates a provenance record.
  public init(
    gitCommit: String? = nil, dirty: Bool = false, toolVersions: [KeyValue] = [],
    parameters: [KeyValue] = [], steps: [StepProvenance] = [], generatedAt: Int64? = nil
  ) {
    self.gitCommit = gitCommit
    self.dirty = dirty
    self.toolVersions = toolVersions
    self.parameters = parameters
    self.steps = steps
    self.generatedAt = generatedAt
  }
}

/// The provenance of one step: its cache key and timing.
public struct StepProvenance: Sendable, Equatable, Hashable {
  /// Chapter slug.
  public var chapter: String
  /// Step id within the chapter.
  public var stepID: String
  /// Hex SHA-256 cache key.
  public var cacheKey: String
  /// Execution time in seconds, nil when restored from the cache without a recorded time.
  public var seconds: Double?
  /// Short status word (`fresh`, `ran`, `failed`, …).
  public var status: String

  /// Creates a step record.
  public init(chapter: String, stepID: String, cacheKey: String, seconds: Double?, status: String) {
    self.chapter = chapter
    self.stepID = stepID
    self.cacheKey = cacheKey
    self.seconds = seconds
    self.status = status
  }
}
