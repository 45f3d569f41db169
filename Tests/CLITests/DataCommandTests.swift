import Foundation
import Testing

/// End-to-end tests of `dune data …` through the built binary.
@Suite struct DataCommandTests {
  /// `.build/debug/dune`, next to the test bundle.
  static let dune: String = {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [here, here.deletingLastPathComponent()]
    where FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("dune").path) {
      return dir.appendingPathComponent("dune").path
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/dune").path
  }()

  struct Run {
    var status: Int32
    var out: String
    var err: String
  }

  func run(_ args: [String], cwd: String? = nil) throws -> Run {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.dune)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let o = Pipe()
    let e = Pipe()
    p.standardOutput = o
    p.standardError = e
    try p.run()
    let out = o.fileHandleForReading.readDataToEndOfFile()
    let err = e.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(
      status: p.terminationStatus, out: String(decoding: out, as: UTF8.self), err: String(decoding: err, as: UTF8.self))
  }

  func tempDir() -> String {
    let d = NSTemporaryDirectory() + "dune-cli-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
  }

  @Test func synthThenSamplesIsDeterministic() throws {
    let t = tempDir()
    defer { try? FileManager.default.removeItem(atPath: t) }
    let synth = try run(["data", "synth", "--out", t + "/data", "--classes", "3", "--scale", "0.2", "--seed", "4"])
    #expect(synth.status == 0, "\(synth.err)")
    let a = try run([
      "data", "samples", "--use-case", "synthetic", "--data", t + "/data", "--n", "2,3", "--out", t + "/a", "--json",
    ])
    #expect(a.status == 0, "\(a.err)")
    let summary = try JSONSerialization.jsonObject(with: Data(a.out.utf8)) as! [String: Any]
    let splits = summary["splits"] as! [String: Any]
    let train = splits["train"] as! [String: Any]
    #expect((train["flows"] as! Int) > 0)
    #expect((summary["files"] as! [String: Any])["total"] as? Int == 24)
    let b = try run([
      "data", "samples", "--use-case", "synthetic", "--data", t + "/data", "--n", "3,2", "--out", t + "/b", "--threads",
      "1",
    ])
    #expect(b.status == 0, "\(b.err)")
    let names = try FileManager.default.contentsOfDirectory(atPath: t + "/a").sorted()
    #expect(
      names == [
        "synthetic_test_2.csv", "synthetic_test_3.csv", "synthetic_test_flow_counts.csv",
        "synthetic_train_2.csv", "synthetic_train_3.csv", "synthetic_train_flow_counts.csv",
      ])
    for n in names {
      #expect(
        FileManager.default.contents(atPath: t + "/a/" + n) == FileManager.default.contents(atPath: t + "/b/" + n),
        "\(n)")
    }
    let csv = try String(contentsOfFile: t + "/a/synthetic_train_3.csv", encoding: .utf8)
    #expect(csv.hasPrefix("Flow ID,ip.len,ip.ttl,"))
    #expect(csv.contains(",CloudCam-HD,captures/CloudCam-HD/capture-0.pcap\n"))
  }

  /// A use case JSON with `synthetic` set and no `--data` generates the dataset into the cache.
  @Test func syntheticIsGeneratedOnDemand() throws {
    let t = tempDir()
    defer { try? FileManager.default.removeItem(atPath: t) }
    let uc = """
      {"name": "tiny", "classes": ["CloudCam-HD", "CloudCam-Lite"], "featureSets": {"unconstrained": "all", "cluster": "easy"},
       "labelling": {"scheme": "macList", "file": "devices.csv"},
       "split": {"rule": "indexModulo", "modulus": 4, "testRemainders": [3]},
       "spp": {"nClasses": 2, "nFeatures": 15}, "synthetic": {"classes": 2, "seed": 1, "scale": 0.1}}
      """
    try uc.write(toFile: t + "/tiny.json", atomically: true, encoding: .utf8)
    let r = try run(["data", "samples", "--use-case", "tiny.json", "--n", "3", "--out", "out"], cwd: t)
    #expect(r.status == 0, "\(r.err)")
    #expect(FileManager.default.fileExists(atPath: t + "/.dune/datasets/synthetic-1-0.1-2/COMPLETE"))
    #expect(FileManager.default.fileExists(atPath: t + "/out/tiny_test_3.csv"))
  }

  @Test func badInputsFailCleanly() throws {
    let t = tempDir()
    defer { try? FileManager.default.removeItem(atPath: t) }
    let unknown = try run(["data", "samples", "--use-case", "nope", "--out", t + "/o"])
    #expect(unknown.status != 0)
    #expect(unknown.err.contains("unknown use case 'nope'") && unknown.err.contains("iot-sentinel"))
    // Data whose device list has a wrong header: error names the file and line 1; no output.
    #expect(try run(["data", "synth", "--out", t + "/data", "--classes", "1", "--scale", "0.1"]).status == 0)
    try "Device,MAC\nx,00:00:00:00:00:01\n".write(toFile: t + "/data/devices.csv", atomically: true, encoding: .utf8)
    let header = try run(["data", "samples", "--data", t + "/data", "--n", "2", "--out", t + "/o"])
    #expect(header.status != 0)
    #expect(header.err.contains("devices.csv:1:"), "\(header.err)")
    #expect(!FileManager.default.fileExists(atPath: t + "/o"))
    // Unwritable output (a file where the folder should be): non-zero exit, nothing written.
    try FileManager.default.removeItem(atPath: t + "/data/devices.csv")
    #expect(try run(["data", "synth", "--out", t + "/data", "--classes", "1", "--scale", "0.1"]).status == 0)
    try "x".write(toFile: t + "/blocked", atomically: true, encoding: .utf8)
    let blocked = try run(["data", "samples", "--data", t + "/data", "--n", "2", "--out", t + "/blocked/out"])
    #expect(blocked.status != 0)
    #expect(blocked.err.contains("blocked/out"), "\(blocked.err)")
    let bad = try run(["data", "samples", "--data", t + "/data", "--n", "1,x", "--out", t + "/o"])
    #expect(bad.status != 0 && bad.err.contains("--n"))
    // A corrupt capture is skipped with a warning naming it, or fatal with --strict.
    let cap = t + "/data/captures/CloudCam-HD/capture-2.pcap"
    try Data("garbage!".utf8).write(to: URL(fileURLWithPath: cap))
    let skip = try run(["data", "samples", "--data", t + "/data", "--n", "2", "--out", t + "/o2"])
    #expect(skip.status == 0)
    #expect(skip.err.contains("capture-2.pcap") && skip.err.contains("byte offset 0"), "\(skip.err)")
    let strict = try run(["data", "samples", "--data", t + "/data", "--n", "2", "--out", t + "/o3", "--strict"])
    #expect(strict.status != 0 && strict.err.contains("capture-2.pcap"))
    #expect(!FileManager.default.fileExists(atPath: t + "/o3"))
  }
}
