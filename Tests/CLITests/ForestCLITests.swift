import Foundation
import Testing

/// End-to-end tests of `dune forest …` on tiny sample files (runs the built `dune` binary).
@Suite struct ForestCLITests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var dune: URL {
    for config in ["debug", "release"] {
      let u = repoRoot.appendingPathComponent(".build/\(config)/dune")
      if FileManager.default.isExecutableFile(atPath: u.path) { return u }
    }
    return repoRoot.appendingPathComponent(".build/debug/dune")
  }

  static let header = [
    "Flow ID", "ip.len", "ip.ttl", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.push", "tcp.flags.fin",
    "tcp.flags.rst", "tcp.flags.ece", "ip.proto", "srcport", "dstport", "ip.hdr_len", "tcp.window_size_value",
    "tcp.hdr_len", "udp.length", "Min Packet Length", "Max Packet Length", "Packet Length Mean",
    "Packet Length Total", "UDP Len Min", "UDP Len Max", "Packet Count", "Flow IAT Min", "Flow IAT Max",
    "Flow IAT Mean", "Flow Duration", "SYN Flag Count", "ACK Flag Count", "PSH Flag Count", "FIN Flag Count",
    "RST Flag Count", "ECE Flag Count", "Label", "File",
  ]

  /// Writes `synthetic_{train,test}_2.csv` and the flow counts: class `a` flows have small packets,
  /// class `b` large ones; every flow has L = 3 packets → one packet row and one flow row at N = 2.
  static func writeSamples(to dir: URL, flows: Int = 12, header: [String] = header) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for split in ["train", "test"] {
      var rows = [header.joined(separator: ",")]
      var counts = ["File,Flow ID,packet_count,Label"]
      for i in 0..<flows {
        let label = i % 2 == 0 ? "a" : "b"
        let len = (label == "a" ? 60 : 900) + i
        let id = "10.0.0.\(i) 10.0.0.200 \(1000 + i) 80 6"
        let packet = [
          String(len), "64", "0", "1", "0", "0", "0", "0", "6", String(1000 + i), "80", "20", "512", "5", "0",
        ]
        let minusOnes = Array(repeating: "-1", count: 17)
        let flowCols = [
          String(len), String(len), String(len), String(2 * len), "0", "0", "2", "1000", "1000", "1000", "1000", "0",
          "2", "0", "0", "0", "0",
        ]
        rows.append(([id] + packet + minusOnes + [label, "f.pcap"]).joined(separator: ","))
        rows.append(([id] + packet + flowCols + [label, "f.pcap"]).joined(separator: ","))
        counts.append("f.pcap,\(id),3,\(label)")
      }
      try (rows.joined(separator: "\n") + "\n").write(
        to: dir.appendingPathComponent("synthetic_\(split)_2.csv"), atomically: true, encoding: .utf8)
      try (counts.joined(separator: "\n") + "\n").write(
        to: dir.appendingPathComponent("synthetic_\(split)_flow_counts.csv"), atomically: true, encoding: .utf8)
    }
  }

  static func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = dune
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

  static func tempDir() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("forest-cli-\(UUID().uuidString)")
  }

  @Test func evaluatePrintsScoresAndSavesModel() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.writeSamples(to: dir)
    let model = dir.appendingPathComponent("model.json").path
    let r = try Self.run([
      "forest", "evaluate", "--samples", dir.path, "--use-case", "synthetic", "--classes", "a,b", "--n", "2",
      "--trees", "3", "--depth", "4", "--features", "ip.len,ip.ttl", "--save-model", model, "--json",
    ])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let fl = json["fl"] as! [String: Double]
    #expect(fl["macro"] == 100)
    let perClass = json["perClass"] as! [String: Double]
    #expect(Set(perClass.keys) == ["a", "b"])
    #expect(json["trainRows"] as? Int == 24)
    #expect(json["expandedTestSamples"] as? Double == 36)
    let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
    #expect((saved["trees"] as! [Any]).count == 3)
  }

  @Test func badInputsFailWithLocatedErrors() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    var bad = Self.header
    bad[1] = "ip.length"
    try Self.writeSamples(to: dir, header: bad)
    let base = [
      "forest", "evaluate", "--samples", dir.path, "--use-case", "synthetic", "--n", "2", "--trees", "2", "--depth",
      "3", "--json",
    ]
    let r = try Self.run(base + ["--classes", "a,b"])
    #expect(r.status != 0)
    #expect(r.err.contains("synthetic_train_2.csv:1"))
    try Self.writeSamples(to: dir)
    let mismatch = try Self.run(base + ["--classes", "a,b,zebra"])
    #expect(mismatch.status != 0)
    #expect(mismatch.err.contains("zebra"))
    let empty = try Self.run(base + ["--classes", "zebra"])
    #expect(empty.status != 0)
    let missing = try Self.run(base + ["--classes", "a,b", "--n", "3"])
    #expect(missing.status != 0)
    #expect(missing.err.contains("synthetic_train_3.csv"))
    // A non-numeric value on line 3 of the test file.
    let testFile = dir.appendingPathComponent("synthetic_test_2.csv")
    var lines = try String(contentsOf: testFile, encoding: .utf8).components(separatedBy: "\n")
    lines[2] = lines[2].replacingOccurrences(of: ",64,", with: ",sixty-four,")
    try lines.joined(separator: "\n").write(to: testFile, atomically: true, encoding: .utf8)
    let nonNumeric = try Self.run(base + ["--classes", "a,b"])
    #expect(nonNumeric.status != 0)
    #expect(nonNumeric.err.contains("synthetic_test_2.csv:3"))
    let noDepth = try Self.run([
      "forest", "evaluate", "--samples", dir.path, "--use-case", "synthetic", "--classes", "a,b", "--n", "2", "--trees",
      "2",
    ])
    #expect(noDepth.status != 0)
  }

  @Test func gridAndPCFIWriteReferenceFiles() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.writeSamples(to: dir)
    let out = dir.appendingPathComponent("out")
    let r = try Self.run([
      "forest", "grid", "--samples", dir.path, "--use-case", "synthetic", "--classes", "a,b", "--n", "2",
      "--depths", "1...3", "--trees", "1...2", "--features", "ip.len,ip.ttl,srcport", "--out", out.path, "--json",
    ])
    #expect(r.status == 0, "\(r.err)")
    let results = try String(contentsOf: out.appendingPathComponent("synthetic_models_2pkts.csv"), encoding: .utf8)
    let lines = results.split(separator: "\n")
    #expect(lines.first?.hasPrefix("depth;tree;no_feats;N_Leaves;Macro_f1_FL") == true)
    #expect(lines.count == 1 + 3 * 2 * 3)  // header + depths × trees × subset sizes
    let scores = try String(contentsOf: out.appendingPathComponent("score_per_class.csv"), encoding: .utf8)
    #expect(scores.hasPrefix("class,f1_score,support\n"))
    #expect(scores.contains(",6\n"))  // 6 test flows per class
    let weights = try String(contentsOf: out.appendingPathComponent("importance_weights.csv"), encoding: .utf8)
    #expect(weights.hasPrefix("classes,"))
    let pcfiFile = dir.appendingPathComponent("w.csv").path
    let p = try Self.run([
      "forest", "pcfi", "--samples", dir.path, "--use-case", "synthetic", "--classes", "a,b", "--n", "2",
      "--trees", "2", "--depth", "3", "--features", "ip.len,ip.ttl", "--out", pcfiFile, "--json",
    ])
    #expect(p.status == 0, "\(p.err)")
    let w = try String(contentsOf: URL(fileURLWithPath: pcfiFile), encoding: .utf8).split(separator: "\n")
    #expect(w[0] == "classes,ip.len,ip.ttl")
    #expect(w[1] == "a,1,0")
  }
}
