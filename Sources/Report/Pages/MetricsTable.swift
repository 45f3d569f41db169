/// A table of metrics: a title, column headers and rows of cells.
///
/// Numeric cells are right-aligned with tabular digits; rows shorter than the header are padded
/// with empty cells when rendered.
public struct MetricsTable: Sendable, Equatable {
  /// Caption shown above the table.
  public var title: String
  /// Column headers.
  public var columns: [String]
  /// Rows of cells.
  public var rows: [[Cell]]

  /// Creates a table.
  public init(title: String, columns: [String], rows: [[Cell]]) {
    self.title = title
    self.columns = columns
    self.rows = rows
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

  /// Whether the cell is right-aligned as a number.
  public var isNumeric: Bool {
    switch self {
    case .integer, .number: return true
    case .text, .empty: return false
    }
  }
}
