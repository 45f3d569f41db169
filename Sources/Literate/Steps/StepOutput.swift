/// What a step produces: named values, metrics, and report material. Files go to `StepContext.outputDirectory`.
public struct StepOutput: Sendable, Codable, Equatable {
  /// Named values later steps read through `${step.<id>.<name>}`.
  public var values: [String: Value]
  /// Numbers recorded in the metrics store and shown in the report.
  public var metrics: [Metric]
  /// Figures (inline SVG) for the report.
  public var figures: [StepFigure]
  /// Tables for the report.
  public var tables: [StepTable]
  /// Short lines of text for the report (e.g. "check passed: …").
  public var notes: [String]

  public init(
    values: [String: Value] = [:], metrics: [Metric] = [], figures: [StepFigure] = [], tables: [StepTable] = [],
    notes: [String] = []
  ) {
    self.values = values
    self.metrics = metrics
    self.figures = figures
    self.tables = tables
    self.notes = notes
  }
}

/// One measured number: `name` in `unit`, with optional labels (class, cluster, …).
public struct Metric: Sendable, Codable, Equatable, Hashable {
  public var name: String
  public var value: Double
  public var unit: String
  public var labels: [String: String]

  public init(_ name: String, _ value: Double, unit: String = "", labels: [String: String] = [:]) {
    self.name = name
    self.value = value
    self.unit = unit
    self.labels = labels
  }
}

/// A figure: an id unique within the step (`f1-per-class`), a caption, and a complete `<svg>` element.
public struct StepFigure: Sendable, Codable, Equatable {
  public var id: String
  public var caption: String
  public var svg: String
  /// What the figure draws: names of the step's metrics or ids of its tables; the report links
  /// them both ways.
  public var shows: [String]

  public init(id: String, caption: String, svg: String, shows: [String] = []) {
    self.id = id
    self.caption = caption
    self.svg = svg
    self.shows = shows
  }
}

/// A small table for the report.
public struct StepTable: Sendable, Codable, Equatable {
  public var id: String
  public var caption: String
  public var columns: [String]
  public var rows: [[String]]

  public init(id: String, caption: String, columns: [String], rows: [[String]]) {
    self.id = id
    self.caption = caption
    self.columns = columns
    self.rows = rows
  }
}
