/// One `dune run`: when it started, with which parameters (canonical JSON) at which git commit.
public struct RunRecord: Sendable, Equatable {
  public var id: Int64
  public var started: String
  public var parameters: String
  public var gitCommit: String

  public init(id: Int64, started: String, parameters: String, gitCommit: String) {
    self.id = id
    self.started = started
    self.parameters = parameters
    self.gitCommit = gitCommit
  }
}

/// What happened to one step in one run.
public struct StepExecutionRecord: Sendable, Equatable {
  /// `ran`, `cached`, `failed`, `expected-error`.
  public var status: String
  public var chapter: String
  public var step: String
  public var kind: String
  public var key: String
  public var started: String
  public var duration: Double
  /// The failure message for `failed` and `expected-error`, else empty.
  public var error: String

  public init(
    chapter: String, step: String, kind: String, key: String, status: String, started: String, duration: Double,
    error: String = ""
  ) {
    self.chapter = chapter
    self.step = step
    self.kind = kind
    self.key = key
    self.status = status
    self.started = started
    self.duration = duration
    self.error = error
  }
}

/// One metric value recorded by a step in a run; `labels` is canonical JSON (`{}` when none).
public struct MetricRecord: Sendable, Equatable {
  public var chapter: String
  public var step: String
  public var name: String
  public var value: Double
  public var unit: String
  public var labels: String

  public init(chapter: String, step: String, name: String, value: Double, unit: String, labels: String = "{}") {
    self.chapter = chapter
    self.step = step
    self.name = name
    self.value = value
    self.unit = unit
    self.labels = labels
  }
}

/// A file a run published: its path under the results folder, SHA-256 and producing step.
public struct ArtifactRecord: Sendable, Equatable {
  public var path: String
  public var hash: String
  public var chapter: String
  public var step: String

  public init(path: String, hash: String, chapter: String, step: String) {
    self.path = path
    self.hash = hash
    self.chapter = chapter
    self.step = step
  }
}

/// One row of `dune metrics --diff`: a metric in either run, with the change.
public struct MetricDifference: Sendable, Equatable {
  public var chapter: String
  public var step: String
  public var name: String
  public var labels: String
  public var unit: String
  public var a: Double?
  public var b: Double?

  /// `b - a` when both exist.
  public var delta: Double? {
    guard let a, let b else { return nil }
    return b - a
  }
}
