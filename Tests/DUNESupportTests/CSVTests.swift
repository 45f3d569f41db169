import DUNESupport
import Testing

@Suite struct CSVTests {
  @Test func quotedFieldsCommasQuotesAndNewlines() throws {
    let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"multi\nline\",\n"
    let t = try CSVTable.parse(CSVReader(bytes: Array(text.utf8)))
    #expect(t.header == ["a", "b", "c"])
    #expect(t.records.map(\.fields) == [["1", "x, y", "say \"hi\""], ["2", "multi\nline", ""]])
    #expect(t.records.map(\.line) == [2, 3])
  }

  @Test func writerRoundTrips() throws {
    var w = CSVWriter()
    let rows = [["h1", "h2"], ["a,b", "q\"uote"], ["", "line\nbreak"]]
    for r in rows { w.row(r) }
    let t = try CSVTable.parse(CSVReader(bytes: Array(w.text.utf8)))
    #expect([t.header] + t.records.map(\.fields) == rows)
  }

  @Test func wrongFieldCountNamesTheLine() {
    let text = "a,b\n1,2\n3\n"
    #expect(throws: LocatedError(file: "<memory>", line: 3, "expected 2 fields as in the header, found 1")) {
      try CSVTable.parse(CSVReader(bytes: Array(text.utf8)))
    }
  }

  /// `"a"b`: a closed quote followed by text is malformed (RFC 4180 gives it no meaning); both the
  /// string reader and the zero-copy scanner refuse it with the line and byte offset.
  @Test func textAfterAClosingQuoteIsAnError() {
    #expect(
      throws: LocatedError(
        file: "f.csv", line: 2,
        "'b' after the closing quote of a field (expected a delimiter or a line end) (byte offset 7)")
    ) {
      try CSVReader(bytes: Array("x,y\n\"a\"b,c\n".utf8), path: "f.csv").records()
    }
    // A quoted line end counts: the bad byte sits on line 3.
    #expect(throws: LocatedError.self) { try CSVReader(bytes: Array("x\n\"a\nb\"c\n".utf8)).records() }
    do {
      _ = try CSVReader(bytes: Array("x\n\"a\nb\"c\n".utf8)).records()
    } catch {
      #expect(error.location == .line(3, column: nil))
    }
  }

  @Test func unclosedQuoteIsAnError() {
    #expect(
      throws: LocatedError(
        file: "<memory>", line: 2, "quoted field not closed before the end of the input (byte offset 4)")
    ) {
      try CSVReader(bytes: Array("a,b\n\"open,\n".utf8)).records()
    }
  }

  /// The RFC 4180 corner cases both ways: what is accepted and how it reads.
  @Test func edgeCasesRead() throws {
    let text = "\u{FEFF}a;b\r\n\"\";x\"y\rlast;\"q\"\"\"\n\n;"
    let records = try CSVReader(bytes: Array(text.utf8), delimiter: UInt8(ascii: ";")).records()
    // BOM skipped; "" is an empty field; a quote inside an unquoted field is text; lone CR ends a
    // record; a blank line is one empty field; a trailing delimiter gives a last empty field.
    #expect(records.map(\.fields) == [["a", "b"], ["", "x\"y"], ["last", "q\""], [""], ["", ""]])
    #expect(records.map(\.line) == [1, 2, 3, 4, 5])
  }

  /// The zero-copy scanner and the string reader are one implementation: same fields, same lines.
  @Test func scannerAndReaderAgree() throws {
    let text = "h1,h2\n\"multi\nline\",2\n3,\"x,\"\"y\"\"\"\r\n"
    var bytes = Array(text.utf8)
    let viaReader = try CSVReader(bytes: bytes).records()
    bytes.append(0)
    let viaScanner = try bytes.withUnsafeBufferPointer { all in
      let b = UnsafeBufferPointer(rebasing: all[0..<(all.count - 1)])
      var out: [[String]] = []
      var fields: [CSVScanner.Field] = []
      var pos = 0
      var line = 1
      while pos < b.count {
        pos = try CSVScanner.scanRecord(b, from: pos, fields: &fields, line: &line)
        out.append(fields.map { CSVScanner.string(b, $0) })
      }
      return out
    }
    #expect(viaReader.map(\.fields) == viaScanner)
    #expect(viaScanner == [["h1", "h2"], ["multi\nline", "2"], ["3", "x,\"y\""]])
    #expect(viaReader.map(\.line) == [1, 2, 4])
  }

  @Test func missingColumnNamesTheHeader() throws {
    let t = try CSVTable.parse(CSVReader(bytes: Array("a,b\n1,2\n".utf8), path: "f.csv"))
    #expect(throws: LocatedError.self) { try t.column("c") }
    #expect(try t.column("b") == 1)
  }

  @Test func fixedFormattingIsLocaleFreeAndHasNoNegativeZero() {
    #expect(NumberFormat.fixed(-0.0001, 2) == "0.00")
    #expect(NumberFormat.fixed(2.10219, 5) == "2.10219")
    #expect(NumberFormat.shortest(3) == "3")
    #expect(NumberFormat.shortest(0.1) == "0.1")
  }
}
