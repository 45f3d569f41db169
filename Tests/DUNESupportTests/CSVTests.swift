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
