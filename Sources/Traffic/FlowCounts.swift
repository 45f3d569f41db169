import DUNESupport
import Foundation

/// The length L of every flow of one split (`dune-reference.md` §2.10), keyed by (file, Flow ID).
///
/// CSV columns: `File,Flow ID,packet_count,Label`. L counts every TCP/UDP packet of the flow that
/// survived labelling (not only the first N); the label is the flow's first packet's label.
public struct FlowCounts: Sendable, Equatable {
  /// A flow's identity across a split: capture path relative to the data folder plus Flow ID text.
  public struct Key: Hashable, Sendable {
    /// Capture path relative to the data folder.
    public var file: String
    /// The reference Flow ID text.
    public var flowID: String
    /// A key from its two parts.
    public init(file: String, flowID: String) {
      self.file = file
      self.flowID = flowID
    }
  }

  /// What is known about one flow.
  public struct Entry: Equatable, Sendable {
    /// L: every packet of the flow that survived labelling.
    public var packetCount: Int
    /// The label of the flow's first packet.
    public var label: String
    /// An entry from its two parts.
    public init(packetCount: Int, label: String) {
      self.packetCount = packetCount
      self.label = label
    }
  }

  /// The CSV header.
  public static let header = ["File", "Flow ID", "packet_count", "Label"]

  /// Flows in file order (row order of the CSV).
  public private(set) var keys: [Key] = []
  private var entries: [Key: Entry] = [:]

  /// An empty set of flows.
  public init() {}

  /// Number of flows.
  public var count: Int { keys.count }

  /// The entry of (file, Flow ID), or nil when the flow is unknown.
  public subscript(file: String, flowID: String) -> Entry? { entries[Key(file: file, flowID: flowID)] }

  /// The entry of `key`, or nil.
  public subscript(key: Key) -> Entry? { entries[key] }

  /// Adds a flow; a key added twice keeps its first position and takes the new entry.
  public mutating func add(file: String, flowID: String, packetCount: Int, label: String) {
    let k = Key(file: file, flowID: flowID)
    if entries.updateValue(Entry(packetCount: packetCount, label: label), forKey: k) == nil { keys.append(k) }
  }

  /// Reads a flow-count file; a wrong header, field count or count value is a `LocatedError`.
  public static func read(csvAt path: String) throws -> FlowCounts {
    let bytes = try CSVScanner.readFile(path)
    return try bytes.withUnsafeBufferPointer { all in
      let b = UnsafeBufferPointer(rebasing: all[0..<(all.count - 1)])
      var fields: [CSVScanner.Field] = []
      var line = 1
      guard !b.isEmpty else { throw LocatedError(file: path, line: 1, "empty file (no header)") }
      var pos = try CSVScanner.scanRecord(
        b, from: CSVScanner.start(of: b), fields: &fields, line: &line, path: path)
      let head = fields.map { CSVScanner.string(b, $0) }
      guard head == header else {
        throw LocatedError(
          file: path, line: 1,
          "expected header '\(header.joined(separator: ","))', found '\(head.joined(separator: ","))'")
      }
      var fc = FlowCounts()
      while pos < b.count {
        let recordLine = line
        pos = try CSVScanner.scanRecord(b, from: pos, fields: &fields, line: &line, path: path)
        if fields.count == 1, fields[0].end == fields[0].start { continue }
        guard fields.count == 4 else {
          throw LocatedError(file: path, line: recordLine, "expected 4 fields as in the header, found \(fields.count)")
        }
        guard let v = CSVScanner.double(b, fields[2]), v >= 0, v == v.rounded() else {
          throw LocatedError(
            file: path, line: recordLine, column: 3,
            "packet_count '\(CSVScanner.string(b, fields[2]))' is not a non-negative integer")
        }
        fc.add(
          file: CSVScanner.string(b, fields[0]), flowID: CSVScanner.string(b, fields[1]), packetCount: Int(v),
          label: CSVScanner.string(b, fields[3]))
      }
      return fc
    }
  }

  /// The CSV text (header, then one row per flow in insertion order).
  public func csvText() -> String {
    var out: [UInt8] = []
    out.reserveCapacity(keys.count * 60 + 64)
    out.append(contentsOf: Array(FlowCounts.header.joined(separator: ",").utf8))
    out.append(CSVScanner.lf)
    for k in keys {
      let e = entries[k]!
      CSVScanner.appendText(k.file, to: &out)
      out.append(CSVScanner.comma)
      CSVScanner.appendText(k.flowID, to: &out)
      out.append(CSVScanner.comma)
      CSVScanner.appendInt(Int64(e.packetCount), to: &out)
      out.append(CSVScanner.comma)
      CSVScanner.appendText(e.label, to: &out)
      out.append(CSVScanner.lf)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes the file atomically.
  public func write(toCSV path: String) throws {
    try AtomicFile.write(csvText(), to: path)
  }
}
