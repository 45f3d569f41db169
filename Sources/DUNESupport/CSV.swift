import Foundation

/// A CSV input read into records of strings (`CSVScanner` does the scanning; see there for the
/// exact RFC 4180 rules). For small files: configuration, reference tables, packet lists.
public struct CSVReader: Sendable {
  /// The input, without the NUL byte `CSVScanner.readFile` appends.
  public let bytes: [UInt8]
  public let delimiter: UInt8
  public let path: String

  public init(bytes: [UInt8], path: String = "<memory>", delimiter: UInt8 = CSVScanner.comma) {
    self.bytes = bytes
    self.path = path
    self.delimiter = delimiter
  }

  public init(path: String, delimiter: UInt8 = CSVScanner.comma) throws {
    var bytes = try CSVScanner.readFile(path)
    bytes.removeLast()
    self.init(bytes: bytes, path: path, delimiter: delimiter)
  }

  /// One record: its fields and the 1-based line on which it starts.
  public struct Record: Sendable {
    public var fields: [String]
    public var line: Int
  }

  /// Every record in order, after a UTF-8 byte-order mark if any; malformed CSV is a located error.
  public func records() throws(LocatedError) -> [Record] {
    let path = self.path
    let delimiter = self.delimiter
    return try bytes.withUnsafeBufferPointer { b throws(LocatedError) -> [Record] in
      var out: [Record] = []
      var fields: [CSVScanner.Field] = []
      var pos = CSVScanner.start(of: b)
      var line = 1
      while pos < b.count {
        let start = line
        pos = try CSVScanner.scanRecord(b, from: pos, delimiter: delimiter, fields: &fields, line: &line, path: path)
        out.append(Record(fields: fields.map { CSVScanner.string(b, $0) }, line: start))
      }
      return out
    }
  }
}

/// A small CSV file held in memory: header plus records, with column lookup by name.
public struct CSVTable: Sendable {
  public var path: String
  public var header: [String]
  public var records: [CSVReader.Record]

  public init(path: String, header: [String], records: [CSVReader.Record]) {
    self.path = path
    self.header = header
    self.records = records
  }

  /// Reads `path`; every record must have as many fields as the header.
  public static func read(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> CSVTable {
    try parse(CSVReader(path: path, delimiter: delimiter))
  }

  public static func parse(_ reader: CSVReader) throws -> CSVTable {
    var all = try reader.records()[...]
    guard let head = all.popFirst() else {
      throw LocatedError(file: reader.path, line: 1, "empty CSV file (no header)")
    }
    var records: [CSVReader.Record] = []
    for r in all {
      if r.fields.count == 1 && r.fields[0].isEmpty { continue }  // blank line
      guard r.fields.count == head.fields.count else {
        throw LocatedError(
          file: reader.path, line: r.line,
          "expected \(head.fields.count) fields as in the header, found \(r.fields.count)")
      }
      records.append(r)
    }
    return CSVTable(path: reader.path, header: head.fields, records: records)
  }

  /// The index of column `name`, or a located error naming the header line.
  public func column(_ name: String) throws -> Int {
    guard let i = header.firstIndex(of: name) else {
      throw LocatedError(file: path, line: 1, "missing column '\(name)' (header: \(header.joined(separator: ",")))")
    }
    return i
  }

  /// Parses field `col` of `record` as a Double, or throws naming file, line and column name.
  public func double(_ record: CSVReader.Record, _ col: Int) throws -> Double {
    let text = record.fields[col]
    guard let v = Double(text) else {
      throw LocatedError(file: path, line: record.line, "column '\(header[col])': '\(text)' is not a number")
    }
    return v
  }
}

/// Builds CSV text with RFC 4180 quoting and LF line ends.
public struct CSVWriter: Sendable {
  public private(set) var text = ""
  public let delimiter: Character

  public init(delimiter: Character = ",") { self.delimiter = delimiter }

  public mutating func row(_ fields: [String]) {
    var first = true
    for f in fields {
      if !first { text.append(delimiter) }
      first = false
      text += CSVWriter.quote(f, delimiter: delimiter)
    }
    text.append("\n")
  }

  /// `field`, quoted only when it contains the delimiter, a quote, CR or LF.
  public static func quote(_ field: String, delimiter: Character = ",") -> String {
    if field.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return field
  }
}
