import Foundation
import Testing

/// End-to-end tests of `dune dataplane …` on tiny fixtures, running the built binary.
@Suite(.serialized) struct DataPlaneCLITests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var duneBinary: URL { repoRoot.appendingPathComponent(".build/debug/dune") }

  /// Runs `dune` with arguments; returns exit status, stdout, stderr.
  func dune(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = Self.duneBinary
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("dune-dp-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
  }

  /// The §12.5 toy (features ip.len, ip.ttl; classes a, b, Other) as ForestModel JSON.
  static let toyJSON = """
    {"classes":["a","b","Other"],"features":["ip.len","ip.ttl"],"trees":[
     {"feature":[1,0,-2,-2,0,-2,-2],"threshold":[96.5,90.5,-2,-2,150.5,-2,-2],
      "left":[1,3,-1,-1,5,-1,-1],"right":[2,4,-1,-1,6,-1,-1],
      "weightedSamples":[1,1,1,1,1,1,1],"impurity":[0,0,0,0,0,0,0],"classCount":3,
      "value":[0,0,0, 0,0,0, 1,1,5, 5,1,1, 0,0,0, 1,5,1, 1,5,1]},
     {"feature":[1,0,0,-2,-2,-2,-2],"threshold":[96.5,90.5,150.5,-2,-2,-2,-2],
      "left":[1,3,5,-1,-1,-1,-1],"right":[2,4,6,-1,-1,-1,-1],
      "weightedSamples":[1,1,1,1,1,1,1],"impurity":[0,0,0,0,0,0,0],"classCount":3,
      "value":[0,0,0, 0,0,0, 0,0,0, 5,1,1, 1,5,1, 1,5,1, 1,1,5]}]}
    """

  @Test func compileWritesTablesAndSummary() throws {
    let dir = try tempDir()
    let model = dir.appendingPathComponent("toy.json")
    try Self.toyJSON.write(to: model, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out")
    let r = try dune(["dataplane", "compile", "--model", model.path, "--n", "2", "--out", out.path])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("91..150 → 10 10"))
    #expect(r.out.contains("fits the switch budget"))
    let tables = try String(contentsOf: out.appendingPathComponent("tables.json"), encoding: .utf8)
    #expect(tables.contains("\"inferencePoint\" : 2"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("resources.json").path))
    // Deterministic: a second compile writes byte-identical files.
    let again = dir.appendingPathComponent("again")
    _ = try dune(["dataplane", "compile", "--model", model.path, "--n", "2", "--out", again.path])
    for f in ["tables.json", "resources.json", "summary.txt"] {
      #expect(
        try Data(contentsOf: out.appendingPathComponent(f)) == (try Data(contentsOf: again.appendingPathComponent(f))))
    }
    let missing = try dune([
      "dataplane", "compile", "--model", dir.appendingPathComponent("nope.json").path, "--out", again.path,
    ])
    #expect(missing.status == 1 && missing.err.contains("nope.json: error: cannot read model file"))
  }

  @Test func verifyAgreesOnEveryRowAndLocatesBadInput() throws {
    let dir = try tempDir()
    let model = dir.appendingPathComponent("toy.json")
    try Self.toyJSON.write(to: model, atomically: true, encoding: .utf8)
    var csv = "ip.len,ip.ttl,Label\n"
    for len in stride(from: 0, through: 400, by: 7) { for ttl in [0, 50, 96, 97, 255] { csv += "\(len),\(ttl),x\n" } }
    let samples = dir.appendingPathComponent("s.csv")
    try csv.write(to: samples, atomically: true, encoding: .utf8)
    let r = try dune(["dataplane", "verify", "--model", model.path, "--samples", samples.path])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("= 100.0000 %"))
    #expect(r.out.contains("per tree): 580/580"))
    let bad = dir.appendingPathComponent("bad.csv")
    try "ip.len,ttl\n1,2\n".write(to: bad, atomically: true, encoding: .utf8)
    let b = try dune(["dataplane", "verify", "--model", model.path, "--samples", bad.path])
    #expect(b.status == 1)
    #expect(b.err.contains("\(bad.path):1: error: missing column 'ip.ttl'"))
  }

  @Test func emulateChainFromFiles() throws {
    let dir = try tempDir()
    try Self.toyJSON.write(to: dir.appendingPathComponent("toy.json"), atomically: true, encoding: .utf8)
    let chain = """
      {"subModels":[{"model":"toy.json","n":2,"classes":["a","b"]}],"controllerPeriodPackets":1}
      """
    try chain.write(to: dir.appendingPathComponent("chain.json"), atomically: true, encoding: .utf8)
    var csv =
      "timestamp_ns,src_ip,dst_ip,src_port,dst_port,proto,ip_len,ip_hdr_len,ttl,tcp_flags,tcp_window,tcp_hdr_words,udp_length,label\n"
    // Flow 1: len 100, ttl 64 → class b (global 2); flow 2: len 50, ttl 64 → a (global 1).
    for i in 0..<4 { csv += "\(i * 1000),10.0.0.1,10.0.0.2,1234,80,6,100,20,64,16,100,5,0,b\n" }
    for i in 0..<3 { csv += "\(i * 1000 + 500),10.0.0.3,10.0.0.2,999,80,17,50,20,64,0,0,0,30,a\n" }
    try csv.write(to: dir.appendingPathComponent("cap.csv"), atomically: true, encoding: .utf8)
    let r = try dune([
      "dataplane", "emulate", "--chain", dir.appendingPathComponent("chain.json").path, "--data",
      dir.appendingPathComponent("cap.csv").path, "--json",
    ])
    #expect(r.status == 0, "\(r.err)")
    let obj = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    #expect(obj?["packets"] as? Int == 7)
    #expect(obj?["unknownPackets"] as? Int == 0)
    let text = try dune([
      "dataplane", "emulate", "--chain", dir.appendingPathComponent("chain.json").path, "--data",
      dir.appendingPathComponent("cap.csv").path,
    ])
    #expect(text.out.contains("FL macro F1 100.00"))
    #expect(text.out.contains("fits Tofino-1"))
    let pp = dir.appendingPathComponent("pp.csv")
    let withRows = try dune([
      "dataplane", "emulate", "--chain", dir.appendingPathComponent("chain.json").path, "--data",
      dir.appendingPathComponent("cap.csv").path, "--per-packet", pp.path,
    ])
    #expect(withRows.status == 0)
    let rows = try String(contentsOf: pp, encoding: .utf8).split(separator: "\n")
    #expect(rows.count == 8)
    #expect(rows[1] == "0,cap,10.0.0.1 10.0.0.2 1234 80 6,b,2,b,PL,0")
    let wrong = #"{"subModels":[{"model":"toy.json","n":2,"classes":["a"]}]}"#
    try wrong.write(to: dir.appendingPathComponent("wrong.json"), atomically: true, encoding: .utf8)
    let w = try dune([
      "dataplane", "emulate", "--chain", dir.appendingPathComponent("wrong.json").path, "--data",
      dir.appendingPathComponent("cap.csv").path,
    ])
    #expect(w.status == 1)
    #expect(w.err.contains("wrong.json: error: sub-model 1: classes"))
  }
}
