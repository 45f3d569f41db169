/// A table of metrics: a title, column headers and rows of cells.
///
/// Numeric cells are right-aligned with tabular digits; rows shorter than the header are padded
/// with empty cells when rendered.
public struct MetricsTable: Sendable, Equatable {
  /// Caption shown above the table.
  public var title: String
  /// Column headers.
  public var columns: [Cell]
  /// Rows of cells.
  public var rows: [[Cell]]
  /// Anchor of the table, unique within the page (so figures can link to it); nil for none.
  public var id: String?
  /// Shown folded (`<details>`, the title as its summary): long tables that support, not answer.
  public var folded: Bool

  /// Creates a table.
  public init(title: String, columns: [String], rows: [[Cell]], id: String? = nil, folded: Bool = false) {
    self.init(title: title, header: columns.map(Cell.text), rows: rows, id: id, folded: folded)
  }

  /// Creates a table whose header cells may be links.
  public init(title: String, header: [Cell], rows: [[Cell]], id: String? = nil, folded: Bool = false) {
    self.title = title
    self.columns = header
    self.rows = rows
    self.id = id
    self.folded = folded
  }
}

/// One table cell; numbers are formatted with fixed decimals (`NumberFormat.fixed`).
public enum Cell: Sendable, Equatable, Hashable {
  /// Text, left-aligned.
  case text(String)
  /// An integer, right-aligned.
  case integer(Int)
  /// A real number printed with exactly `decimals` digits, right-aligned.
  case number(Double, decimals: Int)
  /// Nothing to show (printed as an en dash).
  case empty
  /// A measured value shown by its unit (`UnitFormat`: `65.62 %`, `12,825`), full precision in
  /// its tooltip.
  case measure(Double, unit: String)
  /// Text linking to `href` (an anchor on the page, e.g. the figure that draws a metric).
  case link(String, href: String)

  /// Whether the cell is right-aligned as a number.
  public var isNumeric: Bool {
    switch self {
    case .integer, .number, .measure: return true
    case .text, .empty, .link: return false
    }
  }
}
