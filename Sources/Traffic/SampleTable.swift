/// One hybrid sample table (one split, one inference point N) held column-major in memory.
///
/// This is the interchange format between data generation and every later stage. Values keep the
/// reference convention: −1 in every flow-level column of a packet row (`dune-reference.md` §2.8);
/// the data-plane encoding is applied only by the table compiler and the emulator.
public struct SampleTable: Sendable {
  /// Numeric column names, normally `FeatureCatalog.numericColumns`.
  public var columns: [String] {
    didSet { packetMarkerColumns = SampleTable.markerColumns(columns) }
  }
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
    self.packetMarkerColumns = SampleTable.markerColumns(columns)
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
    guard let markers = packetMarkerColumns else { return false }
    for c in markers where values[c][r] != -1 { return false }
    return true
  }

  /// Indices of the four marker columns of §2.8, resolved once (`nil` when one is missing), because
  /// `isPacketRow` runs once per row over tables of a million rows.
  private var packetMarkerColumns: [Int]?

  /// The flow-level columns that are −1 exactly in packet rows (§2.8).
  public static let packetMarkerNames = ["Min Packet Length", "Max Packet Length", "Flow IAT Min", "Flow IAT Max"]

  private static func markerColumns(_ columns: [String]) -> [Int]? {
    let indices = packetMarkerNames.compactMap { columns.firstIndex(of: $0) }
    return indices.count == packetMarkerNames.count ? indices : nil
  }
}
