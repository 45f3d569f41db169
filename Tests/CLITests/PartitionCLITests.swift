import Foundation
import Testing

/// End-to-end: the built `dune` binary on the vendored reference inputs (`dune partition`, `dune sequence`).
@Suite struct PartitionCLITests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let reference = repoRoot.appendingPathComponent("paper/inputs")

  /// The `dune` executable next to the test bundle (same build configuration), else `.build/debug/dune`.
  static var dune: URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
      "dune")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return repoRoot.appendingPathComponent(".build/debug/dune")
  }

  static func ref(_ name: String) -> String { reference.appendingPathComponent(name).path }

  struct Output {
    var status: Int32
    var stdout: Data
    var stderr: String
  }

  static func run(_ args: [String]) throws -> Output {
    let p = Process()
    p.executableURL = dune
    p.arguments = args
    p.currentDirectoryURL = repoRoot
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Output(status: p.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
  }

  static func json(_ args: [String]) throws -> [String: Any] {
    let r = try run(args)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try #require(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
  }

  static let ton = [
    "partition", "--weights", ref("importance_weights_ToN-IoT.csv"), "--scores", ref("ToN-IoT_score_per_class.csv"),
    "--classes", "7", "--features", "15", "--unwanted", "mitm,dos,backdoor",
  ]

  func classes(_ doc: [String: Any]) -> [[String]] {
    (doc["blocks"] as? [[String: Any]] ?? []).map { $0["classes"] as? [String] ?? [] }
  }

  func close(_ a: Any?, _ b: Double) -> Bool { abs(((a as? Double) ?? .nan) - b) <= 0.5e-5 }

  @Test func greedyToN() throws {
    let doc = try Self.json(Self.ton + ["--json"])
    #expect(classes(doc) == [["ddos", "ransomware", "xss"], ["injection", "password"], ["normal"], ["scanning"]])
    #expect(close(doc["totalGain"], 0.35271))
    let levels = try #require(doc["levels"] as? [[String: Any]])
    #expect(levels.map { $0["numberOfBlocks"] as? Int } == [6, 5, 4, 3, 2, 1])
    let totals = [0.10090, 0.26060, 0.35271, 0.13521, 0.05430, 0.03798]
    for (l, t) in zip(levels, totals) { #expect(close(l["totalGain"], t)) }
    let blocks = try #require(doc["blocks"] as? [[String: Any]])
    #expect(blocks[1]["features"] as? [String] == ["Max Packet Length", "Packet Length Total", "dstport", "ip.len"])
    #expect(abs((blocks[1]["gain"] as? Double ?? 0) - 0.577523) <= 0.5e-6)
  }

  @Test func greedyUNSWWritesReferenceCSV() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dune-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("UNSW_SPP_solution.csv").path
    let doc = try Self.json([
      "partition", "--weights", Self.ref("importance_weights.csv"), "--scores", Self.ref("score_per_class.csv"),
      "--classes", "24", "--features", "15", "--unwanted", "Blipcare Blood Pressure meter,IPhone", "--json",
      "--out", csv,
    ])
    #expect(close(doc["totalGain"], 0.94222))
    #expect(doc["numberOfBlocks"] as? Int == 7)
    #expect((doc["levels"] as? [Any])?.count == 23)
    let text = try String(contentsOfFile: csv, encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 8 && lines[0] == "Cluster,Class List,Feature List")
    #expect(
      lines[7]
        == "6,\"['TP-Link Day Night Cloud camera', 'TP-Link Smart plug']\",\"['dstport', 'ip.len', 'srcport', 'tcp.window_size_value', 'udp.length']\""
    )
  }

  @Test func exactAndIlpToN() throws {
    let exact = try Self.json(Self.ton + ["--method", "exact", "--json"])
    #expect(close(exact["totalGain"], 0.52208))
    #expect(classes(exact) == [["ddos", "ransomware"], ["injection", "password"], ["normal", "scanning", "xss"]])
    let ilp = try Self.json(Self.ton + ["--method", "ilp", "--json"])
    #expect(close(ilp["objective"], 0.79712) && close(ilp["sumGain"], 0.79712))
    #expect(classes(ilp) == [["ddos", "ransomware"], ["injection", "password"], ["normal", "xss"], ["scanning"]])
  }

  /// At most k blocks: greedy keeps merging and picks its best level within the bound, exact solves
  /// the bounded problem (on ToN-IoT the exact optimum already has 3 blocks).
  @Test func boundedToN() throws {
    let greedy = try Self.json(Self.ton + ["--max-blocks", "3", "--json"])
    #expect(greedy["numberOfBlocks"] as? Int == 3)
    #expect(close(greedy["totalGain"], 0.13521))
    let exact = try Self.json(Self.ton + ["--method", "exact", "--max-blocks", "3", "--json"])
    #expect(exact["numberOfBlocks"] as? Int == 3)
    #expect(close(exact["totalGain"], 0.52208))
    let two = try Self.json(Self.ton + ["--method", "exact", "--max-blocks", "2", "--json"])
    #expect((two["numberOfBlocks"] as? Int ?? 9) <= 2)
    let bad = try Self.run(Self.ton + ["--max-blocks", "0"])
    #expect(bad.status != 0 && bad.stderr.contains("bound"))
  }

  @Test func outputIsDeterministic() throws {
    let a = try Self.run(Self.ton + ["--method", "random", "--seed", "9", "--json"])
    let b = try Self.run(Self.ton + ["--method", "random", "--seed", "9", "--json"])
    #expect(a.status == 0 && a.stdout == b.stdout && !a.stdout.isEmpty)
  }

  @Test func sequenceTutorial() throws {
    let doc = try Self.json([
      "sequence", "--fp", Self.ref("tutorial_cm_matrix_cluster.csv"), "--f1", Self.ref("tutorial_cluster_f1.csv"),
      "--all-optimal", "--json",
    ])
    #expect(doc["order"] as? [Int] == [1, 2, 0, 4, 3])
    #expect(close(doc["objective"], 2.10219))
    #expect(doc["allOptimal"] as? [[Int]] == [[1, 2, 0, 4, 3]])
    let runners = try #require(doc["runnerUps"] as? [[String: Any]])
    #expect(runners.map { $0["order"] as? [Int] ?? [] } == [[1, 2, 4, 0, 3], [1, 4, 2, 0, 3], [1, 2, 0, 3, 4]])
  }

  @Test func badInputsFailWithLocatedErrors() throws {
    let badM = try Self.run(Self.ton.map { $0 == "7" ? "8" : $0 })
    #expect(badM.status == 1 && badM.stderr.contains("importance_weights_ToN-IoT.csv: error: number of classes m = 8"))
    let badK = try Self.run(Self.ton + ["--blocks", "7"])
    #expect(badK.status == 1 && badK.stderr.contains("number of blocks must be in 1…6"))
    let swapped = try Self.run([
      "sequence", "--fp", Self.ref("tutorial_cluster_f1.csv"), "--f1", Self.ref("tutorial_cluster_f1.csv"),
    ])
    #expect(
      swapped.status == 1 && swapped.stderr.contains("tutorial_cluster_f1.csv:1:2: error: column 2 must be named '0'"))
  }
}
