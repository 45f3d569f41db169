/// Hybrid sample rows held row-major while they are produced (one capture, one N), then
/// concatenated in file order and turned into a column-major `SampleTable`.
public struct SampleRows: Sendable {
  /// Row-major values, `FeatureCatalog.numericColumns.count` per row.
  public var values: [Double] = []
  public var flowIDs: [String] = []
  public var labels: [String] = []
  public var files: [String] = []

  public init() {}

  /// Number of numeric columns per row.
  public static let width = FeatureCatalog.numericColumns.count

  public var count: Int { labels.count }

  mutating func appendPacketRow(_ f: PacketFeatures, flowID: String, label: String, file: String) {
    f.append(to: &values)
    for _ in 0..<FeatureCatalog.flowColumns.count { values.append(-1) }
    flowIDs.append(flowID)
    labels.append(label)
    files.append(file)
  }

  mutating func appendFlowRow(_ f: PacketFeatures, aggregates: [Double], flowID: String, label: String, file: String) {
    f.append(to: &values)
    values.append(contentsOf: aggregates)
    flowIDs.append(flowID)
    labels.append(label)
    files.append(file)
  }

  /// Appends all rows of `other` after these.
  public mutating func append(_ other: SampleRows) {
    values.append(contentsOf: other.values)
    flowIDs.append(contentsOf: other.flowIDs)
    labels.append(contentsOf: other.labels)
    files.append(contentsOf: other.files)
  }

  /// The column-major table with the canonical columns.
  public func table() -> SampleTable {
    let w = SampleRows.width
    let n = count
    var cols = [[Double]](repeating: [], count: w)
    values.withUnsafeBufferPointer { buf in
      for c in 0..<w {
        cols[c] = [Double](unsafeUninitializedCapacity: n) { out, initialized in
          for r in 0..<n { out[r] = buf[r * w + c] }
          initialized = n
        }
      }
    }
    return SampleTable(
      columns: FeatureCatalog.numericColumns, values: cols, flowIDs: flowIDs, labels: labels, files: files)
  }
}
