/// One hybrid sample table (one split, one inference point N) held column-major in memory.
///
/// This is the interchange format between data generation and every later stage. Values keep the
/// reference convention: −1 in every flow-level column of a packet row (`dune-reference.md` §2.8);
/// the data-plane encoding is applied only by the table compiler and the emulator.
public struct SampleTable: Sendable {
  /// Numeric column names, normally `FeatureCatalog.numericColumns`.
  public var columns: [String]
  /// Column-major values: `values[c][r]` is column `c` of row `r`.
  public var values: [[Double]]
  /// The reference `Flow ID` text of each row (5-tuple as seen).
  public var flowIDs: [String]
  public var labels: [String]
  /// Capture path relative to the data folder; with the Flow ID it identifies a flow.
  public var files: [String]

  public init(columns: [String], values: [[Double]], flowIDs: [String], labels: [String], files: [String]) {
    precondition(values.count == columns.count)
    self.columns = columns
    self.values = values
    self.flowIDs = flowIDs
    self.labels = labels
    self.files = files
  }

  /// An empty table with the canonical columns.
  public init() {
    self.init(
      columns: FeatureCatalog.numericColumns,
      values: Array(repeating: [], count: FeatureCatalog.numericColumns.count), flowIDs: [], labels: [],
      files: [])
  }

  public var rowCount: Int { labels.count }

  /// The index of a numeric column by name.
  public func columnIndex(_ name: String) -> Int? { columns.firstIndex(of: name) }

  /// True when row `r` is a packet row (`sample_nature = pkt`, §2.8): the four marker columns are −1.
  public func isPacketRow(_ r: Int) -> Bool {
    for name in ["Min Packet Length", "Max Packet Length", "Flow IAT Min", "Flow IAT Max"] {
      guard let c = columnIndex(name) else { return false }
      if values[c][r] != -1 { return false }
    }
    return true
  }
}
