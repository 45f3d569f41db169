import DUNESupport
import Foundation

/// Reading and writing sample tables as CSV with the canonical header (`FeatureCatalog.sampleHeader`).
extension SampleTable {
  /// Reads a sample table; built for ~10⁶-row files (byte-level parsing, integer fast path).
  ///
  /// Throws a `LocatedError` with the line (and column) for a wrong header, a wrong field count
  /// or a non-numeric value.
  public static func read(csvAt path: String) throws -> SampleTable {
    let bytes = try CSVScanner.readFile(path)
    return try bytes.withUnsafeBufferPointer { all in
      let b = UnsafeBufferPointer(rebasing: all[0..<(all.count - 1)])  // without the NUL
      return try parse(b, path: path)
    }
  }

  /// Parses CSV text already in memory (see `read(csvAt:)`).
  public static func parse(csvText text: String, path: String = "<memory>") throws -> SampleTable {
    var bytes = Array(text.utf8)
    bytes.append(0)
    return try bytes.withUnsafeBufferPointer { all in
      try parse(UnsafeBufferPointer(rebasing: all[0..<(all.count - 1)]), path: path)
    }
  }

  private static func parse(_ b: UnsafeBufferPointer<UInt8>, path: String) throws -> SampleTable {
    var pos = CSVScanner.start(of: b)
    var fields: [CSVScanner.Field] = []
    fields.reserveCapacity(40)
    var line = 1
    guard pos < b.count else { throw LocatedError(file: path, line: 1, "empty file (no header)") }
    pos = try CSVScanner.scanRecord(b, from: pos, fields: &fields, line: &line, path: path)
    let header = fields.map { CSVScanner.string(b, $0) }
    let expected = FeatureCatalog.sampleHeader
    guard header == expected else {
      let firstBad =
        zip(header, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
        ?? min(header.count, expected.count)
      let found = firstBad < header.count ? "'\(header[firstBad])'" : "end of line"
      let want = firstBad < expected.count ? "'\(expected[firstBad])'" : "end of line"
      throw LocatedError(
        file: path, line: 1, column: firstBad + 1,
        "not a sample table header: field \(firstBad + 1) is \(found), expected \(want)")
    }
    let width = FeatureCatalog.numericColumns.count
    let nFields = expected.count
    // Rows go to one flat row-major buffer (cheap appends), transposed once at the end.
    let guess = max(16, b.count / 90)
    var flat: [Double] = []
    flat.reserveCapacity(guess * width)
    var flowIDs: [String] = []
    var labels: [String] = []
    var files: [String] = []
    flowIDs.reserveCapacity(guess)
    labels.reserveCapacity(guess)
    files.reserveCapacity(guess)
    // Labels and files repeat row after row: reuse the previous row's string when the bytes match.
    var prevLabel = CSVScanner.Field(start: 0, end: -1, quoted: false)
    var prevFile = prevLabel
    var label = ""
    var file = ""
    while pos < b.count {
      let recordLine = line
      pos = try CSVScanner.scanRecord(b, from: pos, fields: &fields, line: &line, path: path)
      if fields.count == 1, fields[0].end == fields[0].start { continue }  // blank line
      guard fields.count == nFields else {
        throw LocatedError(
          file: path, line: recordLine, "expected \(nFields) fields as in the header, found \(fields.count)")
      }
      for c in 0..<width {
        guard let v = CSVScanner.double(b, fields[c + 1]) else {
          throw LocatedError(
            file: path, line: recordLine, column: c + 2,
            "column '\(expected[c + 1])': '\(CSVScanner.string(b, fields[c + 1]))' is not a number")
        }
        flat.append(v)
      }
      flowIDs.append(CSVScanner.string(b, fields[0]))
      let lf = fields[nFields - 2]
      let ff = fields[nFields - 1]
      if !CSVScanner.sameBytes(b, lf, prevLabel) {
        label = CSVScanner.string(b, lf)
        prevLabel = lf
      }
      if !CSVScanner.sameBytes(b, ff, prevFile) {
        file = CSVScanner.string(b, ff)
        prevFile = ff
      }
      labels.append(label)
      files.append(file)
    }
    let n = labels.count
    var cols = [[Double]](repeating: [], count: width)
    flat.withUnsafeBufferPointer { src in
      for c in 0..<width {
        cols[c] = [Double](unsafeUninitializedCapacity: n) { out, count in
          for r in 0..<n { out[r] = src[r * width + c] }
          count = n
        }
      }
    }
    return SampleTable(
      columns: FeatureCatalog.numericColumns, values: cols, flowIDs: flowIDs, labels: labels, files: files)
  }

  /// The table as CSV bytes: canonical header, integers without a fraction, LF line ends.
  public func csvBytes() -> [UInt8] {
    precondition(columns == FeatureCatalog.numericColumns, "only canonical tables are written")
    var out: [UInt8] = []
    out.reserveCapacity(rowCount * 100 + 1024)
    for (i, h) in FeatureCatalog.sampleHeader.enumerated() {
      if i > 0 { out.append(CSVScanner.comma) }
      CSVScanner.appendText(h, to: &out)
    }
    out.append(CSVScanner.lf)
    // Flatten row-major once so the row loop reads contiguous memory.
    let width = values.count
    var flat = [Double](repeating: 0, count: width * rowCount)
    for c in 0..<width { for r in 0..<rowCount { flat[r * width + c] = values[c][r] } }
    for r in 0..<rowCount {
      CSVScanner.appendText(flowIDs[r], to: &out)
      for c in 0..<width {
        out.append(CSVScanner.comma)
        CSVScanner.appendNumber(flat[r * width + c], to: &out)
      }
      out.append(CSVScanner.comma)
      CSVScanner.appendText(labels[r], to: &out)
      out.append(CSVScanner.comma)
      CSVScanner.appendText(files[r], to: &out)
      out.append(CSVScanner.lf)
    }
    return out
  }

  /// The table as CSV text (see `csvBytes()`).
  public func csvText() -> String { String(decoding: csvBytes(), as: UTF8.self) }

  /// Writes the table atomically (temporary file + rename).
  public func write(toCSV path: String) throws {
    try AtomicFile.write(Data(csvBytes()), to: path)
  }
}
