import DUNESupport
import Foundation
import Testing

@testable import Traffic

@Suite struct SampleTableCSVTests {
  func smallTable() -> SampleTable {
    var b = HybridSampleBuilder(inferencePoints: [3], file: "captures/A, \"odd\"/x.pcap")
    for (i, t) in ([0, 1_000, 2_500, 2_600] as [Int64]).enumerated() {
      b.add(pkt(t, len: UInt16(60 + i)), label: "Cam")
    }
    b.add(pkt(0, sport: 7, proto: 17, len: 100, udpLen: 80), label: "Plug")
    return b.rows(n: 3).table()
  }

  @Test func roundTripIsExact() throws {
    let t = smallTable()
    let text = t.csvText()
    let back = try SampleTable.parse(csvText: text)
    #expect(back.values == t.values)
    #expect(back.flowIDs == t.flowIDs && back.labels == t.labels && back.files == t.files)
    #expect(back.csvText() == text)
    // Integers print without a fraction; the fractional mean (61 + 60 + 62)/3 = 61 is integral here,
    // so check a real fraction via a custom table.
    #expect(text.contains(",-1,"))
    #expect(!text.contains(".0,"))
    #expect(text.split(separator: "\n").first.map(String.init) == FeatureCatalog.sampleHeader.joined(separator: ","))
  }

  @Test func fractionsRoundTripThroughFiles() throws {
    var t = smallTable()
    let c = t.columnIndex("Packet Length Mean")!
    t.values[c][0] = 100.0 / 3
    t.values[c][1] = 1e-7
    t.values[c][2] = 123456789.125
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    try t.write(toCSV: dir + "/t.csv")
    let back = try SampleTable.read(csvAt: dir + "/t.csv")
    #expect(back.values == t.values)
  }

  func expectLocated(_ text: String, line: Int, column: Int?, _ fragment: String) {
    do {
      _ = try SampleTable.parse(csvText: text, path: "t.csv")
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.file == "t.csv")
      #expect(e.location == .line(line, column: column))
      #expect(e.message.contains(fragment), "\(e.message)")
    } catch { Issue.record("wrong error \(error)") }
  }

  @Test func badInputsNameTheLine() {
    let good = smallTable().csvText()
    var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Wrong header: a renamed column (the reference's `tcp.flags.reset`).
    var h = lines
    h[0] = h[0].replacingOccurrences(of: "tcp.flags.rst", with: "tcp.flags.reset")
    expectLocated(h.joined(separator: "\n"), line: 1, column: 8, "tcp.flags.reset")
    // Wrong field count on line 3.
    var f = lines
    f[2] = f[2] + ",extra"
    expectLocated(f.joined(separator: "\n"), line: 3, column: nil, "found 36")
    // Text after the closing quote of the (quoted) file field on line 3: malformed, not `…x.pcapx`.
    var q = lines
    q[2] += "x"
    expectLocated(q.joined(separator: "\n"), line: 3, column: nil, "'x' after the closing quote")
    // Non-numeric value on line 4, column 2 (ip.len).
    var parts = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    parts[1] = "12a"
    lines[3] = parts.joined(separator: ",")
    expectLocated(lines.joined(separator: "\n"), line: 4, column: 2, "ip.len")
    expectLocated("", line: 1, column: nil, "empty")
  }

  @Test func flowCountsRoundTripAndLookup() throws {
    var fc = FlowCounts()
    fc.add(file: "captures/A/x.pcap", flowID: "10.0.0.1 10.0.0.2 1000 80 6", packetCount: 12, label: "Cam")
    fc.add(file: "captures/A/y.pcap", flowID: "10.0.0.1 10.0.0.2 1000 80 6", packetCount: 2, label: "Cam")
    fc.add(file: "captures/B/z,1.pcap", flowID: "10.0.0.3 10.0.0.2 7 80 17", packetCount: 1, label: "Plug")
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    try fc.write(toCSV: dir + "/fc.csv")
    let back = try FlowCounts.read(csvAt: dir + "/fc.csv")
    #expect(back == fc)
    #expect(back["captures/A/y.pcap", "10.0.0.1 10.0.0.2 1000 80 6"] == .init(packetCount: 2, label: "Cam"))
    #expect(back["captures/B/z,1.pcap", "10.0.0.3 10.0.0.2 7 80 17"]?.packetCount == 1)
    #expect(back["captures/A/z.pcap", "10.0.0.1 10.0.0.2 1000 80 6"] == nil)
    #expect(try String(contentsOfFile: dir + "/fc.csv", encoding: .utf8).hasPrefix("File,Flow ID,packet_count,Label\n"))
    writeText("Flow ID,count,label\n", dir + "/bad.csv")
    #expect(throws: LocatedError.self) { try FlowCounts.read(csvAt: dir + "/bad.csv") }
    writeText("File,Flow ID,packet_count,Label\na,b,3,c\na,c,x,c\n", dir + "/badrow.csv")
    do {
      _ = try FlowCounts.read(csvAt: dir + "/badrow.csv")
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.location == .line(3, column: 3))
    }
  }
}
