import Foundation

/// RFC 4180 CSV: a fast byte-level reader and a writer with correct quoting.
///
/// The reader accepts LF and CRLF line ends, quoted fields with embedded commas, quotes (doubled)
/// and newlines, and a custom single-byte delimiter (the reference grid files use `;`).
public struct CSVReader: Sequence {
  public let bytes: [UInt8]
  public let delimiter: UInt8
  public let path: String

  public init(bytes: [UInt8], path: String = "<memory>", delimiter: UInt8 = UInt8(ascii: ",")) {
    self.bytes = bytes
    self.path = path
    self.delimiter = delimiter
  }

  public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read file")
    }
    self.init(bytes: [UInt8](data), path: path, delimiter: delimiter)
  }

  /// One record: its fields and the 1-based line on which it starts.
  public struct Record: Sendable {
    public var fields: [String]
    public var line: Int
  }

  public func makeIterator() -> Iterator { Iterator(reader: self) }

  public struct Iterator: IteratorProtocol {
    let reader: CSVReader
    var pos = 0
    var line = 1
    init(reader: CSVReader) {
      self.reader = reader
      // Skip a UTF-8 byte-order mark.
      if reader.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
    }

    public mutating func next() -> Record? {
      let b = reader.bytes
      let n = b.count
      guard pos < n else { return nil }
      let startLine = line
      var fields: [String] = []
      var field: [UInt8] = []
      var quoted = false
      var i = pos
      while i < n {
        let c = b[i]
        if quoted {
          if c == UInt8(ascii: "\"") {
            if i + 1 < n, b[i + 1] == UInt8(ascii: "\"") {
              field.append(c)
              i += 2
              continue
            }
            quoted = false
            i += 1
            continue
          }
          if c == UInt8(ascii: "\n") { line += 1 }
          field.append(c)
          i += 1
          continue
        }
        if c == UInt8(ascii: "\"") && field.isEmpty {
          quoted = true
          i += 1
        } else if c == reader.delimiter {
          fields.append(String(decoding: field, as: UTF8.self))
          field.removeAll(keepingCapacity: true)
          i += 1
        } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
          if c == UInt8(ascii: "\r"), i + 1 < n, b[i + 1] == UInt8(ascii: "\n") { i += 1 }
          i += 1
          line += 1
          break
        } else {
          field.append(c)
          i += 1
        }
      }
      fields.append(String(decoding: field, as: UTF8.self))
      pos = i
      return Record(fields: fields, line: startLine)
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
    var it = reader.makeIterator()
    guard let head = it.next() else { throw LocatedError(file: reader.path, line: 1, "empty CSV file (no header)") }
    var records: [CSVReader.Record] = []
    while let r = it.next() {
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
