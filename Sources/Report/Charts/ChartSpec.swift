/// A chart to draw as inline SVG; each case holds the data and labels of one chart type.
///
/// Specs are plain values: the runner builds them from step results, `ChartRenderer` lays them
/// out deterministically. They are `Codable`, so a step can store the spec (not the SVG) and the
/// page renderer gives every chart its page-unique id prefix; encode with
/// `JSONEncoder.outputFormatting = .sortedKeys` and a `nonConformingFloatEncodingStrategy` if
/// values may be NaN or infinite. Every chart carries a title and a description, which become the SVG's
/// `<title>` and `<desc>` for screen readers.
public enum ChartSpec: Sendable, Equatable, Codable {
  /// Bars per category: grouped or stacked, vertical or horizontal (F1 per class, TCAM per switch).
  case bar(BarChart)
  /// Lines through (x, y) points with markers (SPP total gain vs number of blocks).
  case line(LineChart)
  /// A matrix of coloured cells with a colour-scale legend (PCFI, confusion matrices).
  case heatmap(Heatmap)
  /// Points in the plane, one marker shape per series.
  case scatter(ScatterChart)
}

/// Text shared by every chart: title, accessible description, axis labels.
public struct ChartLabels: Sendable, Equatable, Hashable, Codable {
  /// Title drawn at the top and used as the SVG `<title>`.
  public var title: String
  /// Longer description for `<desc>` (what is plotted, units); defaults to the title.
  public var description: String
  /// Label of the horizontal axis.
  public var xLabel: String
  /// Label of the vertical axis.
  public var yLabel: String

  /// Creates chart labels.
  public init(title: String, description: String? = nil, xLabel: String = "", yLabel: String = "") {
    self.title = title
    self.description = description ?? title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }
}

/// A named series of values, one per category.
public struct BarSeries: Sendable, Equatable, Hashable, Codable {
  /// Legend name.
  public var name: String
  /// One value per category (`BarChart.categories`); missing trailing values count as absent.
  public var values: [Double]
  /// Optional error bars: value ± error per category (grouped bars only, e.g. mean ± standard
  /// deviation); nil or a missing or non-finite entry draws none.
  public var errors: [Double]?

  /// Creates a series.
  public init(_ name: String, _ values: [Double], errors: [Double]? = nil) {
    self.name = name
    self.values = values
    self.errors = errors
  }
}

/// A bar chart over categories with one or more series.
public struct BarChart: Sendable, Equatable, Codable {
  /// How several series share a category.
  public enum Mode: String, Sendable, Equatable, Hashable, Codable {
    /// Side by side (DUNE vs monolithic F1).
    case grouped
    /// On top of each other; values must be non-negative (memory per switch by block).
    case stacked
  }

  /// Which way the bars grow.
  public enum Orientation: String, Sendable, Equatable, Hashable, Codable {
    /// Categories along x, values up.
    case vertical
    /// Categories down the y axis, values to the right (long class names, sorted importances).
    case horizontal
  }

  /// Title, description and axis labels (`xLabel` names the category axis, `yLabel` the values,
  /// whatever the orientation).
  public var labels: ChartLabels
  /// Category names in display order.
  public var categories: [String]
  /// Series in legend order.
  public var series: [BarSeries]
  /// Grouped or stacked.
  public var mode: Mode
  /// Vertical or horizontal.
  public var orientation: Orientation
  /// Decimals of value labels printed on bars (also used for tick labels when finer).
  public var valueDecimals: Int
  /// Fixed value-axis range; nil = from the data (always including zero).
  public var valueRange: ClosedRange<Double>?

  /// Creates a bar chart.
  public init(
    labels: ChartLabels, categories: [String], series: [BarSeries], mode: Mode = .grouped,
    orientation: Orientation = .vertical, valueDecimals: Int = 2,
    valueRange: ClosedRange<Double>? = nil
  ) {
    self.labels = labels
    self.categories = categories
    self.series = series
    self.mode = mode
    self.orientation = orientation
    self.valueDecimals = valueDecimals
    self.valueRange = valueRange
  }
}

/// A point of a line or scatter chart.
public struct ChartPoint: Sendable, Equatable, Hashable, Codable {
  /// Horizontal value.
  public var x: Double
  /// Vertical value.
  public var y: Double

  /// Creates a point.
  public init(_ x: Double, _ y: Double) {
    self.x = x
    self.y = y
  }
}

/// A named series of points.
public struct PointSeries: Sendable, Equatable, Hashable, Codable {
  /// Legend name.
  public var name: String
  /// Points; line charts connect them in the given order.
  public var points: [ChartPoint]

  /// Creates a series.
  public init(_ name: String, _ points: [ChartPoint]) {
    self.name = name
    self.points = points
  }
}

/// A line chart: several series with markers; each series has its own marker shape and dash.
public struct LineChart: Sendable, Equatable, Codable {
  /// Title, description, axis labels.
  public var labels: ChartLabels
  /// Series in legend order.
  public var series: [PointSeries]
  /// Whether to draw a marker at each point.
  public var markers: Bool
  /// Decimals of x tick labels; nil = from the tick step.
  public var xDecimals: Int?
  /// Decimals of y tick labels; nil = from the tick step.
  public var yDecimals: Int?

  /// Creates a line chart.
  public init(
    labels: ChartLabels, series: [PointSeries], markers: Bool = true, xDecimals: Int? = nil,
    yDecimals: Int? = nil
  ) {
    self.labels = labels
    self.series = series
    self.markers = markers
    self.xDecimals = xDecimals
    self.yDecimals = yDecimals
  }
}

/// A scatter chart: several series of points, one marker shape per series.
public struct ScatterChart: Sendable, Equatable, Codable {
  /// Title, description, axis labels.
  public var labels: ChartLabels
  /// Series in legend order.
  public var series: [PointSeries]

  /// Creates a scatter chart.
  public init(labels: ChartLabels, series: [PointSeries]) {
    self.labels = labels
    self.series = series
  }
}

/// A heatmap: rows × columns of values coloured on a sequential, colour-blind-safe scale.
public struct Heatmap: Sendable, Equatable, Codable {
  /// Title, description, axis labels (`xLabel` under the columns, `yLabel` beside the rows).
  public var labels: ChartLabels
  /// Row names (e.g. classes, true labels).
  public var rowLabels: [String]
  /// Column names (e.g. features, predicted labels).
  public var columnLabels: [String]
  /// `values[row][column]`; nil or NaN = no value (grey cell).
  public var values: [[Double?]]
  /// Whether to print each value inside its cell (confusion matrices).
  public var showValues: Bool
  /// Decimals of printed values and legend ticks.
  public var decimals: Int
  /// Fixed colour-scale range; nil = min…max of the data.
  public var range: ClosedRange<Double>?
  /// Label of the colour legend, e.g. `importance`.
  public var legendLabel: String

  /// Creates a heatmap.
  public init(
    labels: ChartLabels, rowLabels: [String], columnLabels: [String], values: [[Double?]],
    showValues: Bool = false, decimals: Int = 2, range: ClosedRange<Double>? = nil,
    legendLabel: String = ""
  ) {
    self.labels = labels
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.showValues = showValues
    self.decimals = decimals
    self.range = range
    self.legendLabel = legendLabel
  }
}
