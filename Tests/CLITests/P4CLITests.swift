import Foundation
import Testing

/// End-to-end tests of `dune p4` on the §12.5 toy, running the built binary.
@Suite(.serialized) struct P4CLITests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func dune(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = Self.repoRoot.appendingPathComponent(".build/debug/dune")
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
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("dune-p4-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
  }

  /// The toy as ForestModel JSON (classes a, b, Other).
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

  @Test func singleModelBothTargets() throws {
    let dir = try tempDir()
    let model = dir.appendingPathComponent("toy.json")
    try Self.toyJSON.write(to: model, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out")
    let r = try dune(["p4", "--model", model.path, "--n", "3", "--name", "s1", "--out", out.path])
    #expect(r.status == 0, "\(r.err)")
    for f in [
      "s1/bmv2/s1.p4", "s1/bmv2/s1-commands.txt", "s1/tofino/s1.p4", "s1/tofino/s1.entries.json",
      "s1/tofino/s1_load.py",
    ] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "missing \(f)")
    }
    let cmds = try String(contentsOf: out.appendingPathComponent("s1/bmv2/s1-commands.txt"), encoding: .utf8)
    // §8.4 tree 0, leaf 5 (`0b100&&&0b111`) with one codeword field per feature.
    #expect(cmds.contains("table_add DuneIngress.code_0 DuneIngress.set_class_0 0b10&&&0b11 0b0&&&0b1 => 2 1"))
    let v1 = try String(contentsOf: out.appendingPathComponent("s1/bmv2/s1.p4"), encoding: .utf8)
    #expect(v1.contains("#include <v1model.p4>") && v1.contains("V1Switch("))
    let tna = try String(contentsOf: out.appendingPathComponent("s1/tofino/s1.p4"), encoding: .utf8)
    #expect(tna.contains("#include <tna.p4>") && tna.contains("Switch(pipe) main;"))
    // Deterministic: a second run writes identical bytes.
    let out2 = dir.appendingPathComponent("out2")
    _ = try dune(["p4", "--model", model.path, "--n", "3", "--name", "s1", "--out", out2.path])
    #expect(try Data(contentsOf: out2.appendingPathComponent("s1/tofino/s1.p4")) == Data(tna.utf8))
  }

  @Test func chainFileGivesOneFolderPerSwitch() throws {
    let dir = try tempDir()
    try Self.toyJSON.write(to: dir.appendingPathComponent("m1.json"), atomically: true, encoding: .utf8)
    try Self.toyJSON.replacingOccurrences(of: "\"a\",\"b\"", with: "\"c\",\"d\"")
      .write(to: dir.appendingPathComponent("m2.json"), atomically: true, encoding: .utf8)
    let chain = """
      {"subModels": [{"model": "m1.json", "n": 2, "classes": ["a", "b"]},
                     {"model": "m2.json", "n": 3, "classes": ["c", "d"]}]}
      """
    try chain.write(to: dir.appendingPathComponent("chain.json"), atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out")
    let r = try dune([
      "p4", "--chain", dir.appendingPathComponent("chain.json").path, "--target", "bmv2", "--out", out.path,
    ])
    #expect(r.status == 0, "\(r.err)")
    let s2 = try String(contentsOf: out.appendingPathComponent("s2/bmv2/s2.p4"), encoding: .utf8)
    #expect(s2.contains("const bit<8> MODEL_ID = 8w2;") && s2.contains("Own classes (global ids 3..."))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("s1/tofino").path))
    // 256 slots: the CRC16 slot is folded to its low 8 bits.
    let small = dir.appendingPathComponent("small")
    let r2 = try dune([
      "p4", "--chain", dir.appendingPathComponent("chain.json").path, "--slots", "256", "--out", small.path,
    ])
    #expect(r2.status == 0, "\(r2.err)")
    let s1 = try String(contentsOf: small.appendingPathComponent("s1/tofino/s1.p4"), encoding: .utf8)
    #expect(
      s1.contains("Register<flow_state_pair_t, bit<16>>(32w256) flow_state;")
        && s1.contains("meta.slot = meta.slot & 16w255;")
    )
  }

  @Test func badInputsFailWithLocatedErrors() throws {
    let dir = try tempDir()
    let bad = dir.appendingPathComponent("bad.json")
    try "{\"classes\": 3}".write(to: bad, atomically: true, encoding: .utf8)
    let r = try dune(["p4", "--model", bad.path, "--n", "3", "--out", dir.appendingPathComponent("o").path])
    #expect(r.status == 1)
    #expect(r.err.contains(bad.path) && r.err.contains("error:"))
    let model = dir.appendingPathComponent("toy.json")
    try Self.toyJSON.write(to: model, atomically: true, encoding: .utf8)
    let r3 = try dune([
      "p4", "--model", model.path, "--n", "3", "--slots", "1000", "--out", dir.appendingPathComponent("o").path,
    ])
    #expect(r3.status == 1 && r3.err.contains("power of two"))
    let r2 = try dune(["p4", "--model", bad.path, "--n", "3", "--target", "fpga", "--out", dir.path])
    #expect(r2.status == 1 && r2.err.contains("--target must be"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
  }

  @Test func replayMatchesTheEmulator() throws {
    let dir = try tempDir()
    try Self.toyJSON.write(to: dir.appendingPathComponent("m1.json"), atomically: true, encoding: .utf8)
    try Self.toyJSON.replacingOccurrences(of: "\"a\",\"b\"", with: "\"c\",\"d\"")
      .write(to: dir.appendingPathComponent("m2.json"), atomically: true, encoding: .utf8)
    let chain = """
      {"subModels": [{"model": "m1.json", "n": 2, "classes": ["a", "b"]},
                     {"model": "m2.json", "n": 3, "classes": ["c", "d"]}], "controllerPeriodPackets": 1, "slots": 4}
      """
    try chain.write(to: dir.appendingPathComponent("chain.json"), atomically: true, encoding: .utf8)
    var csv =
      "timestamp_ns,src_ip,dst_ip,src_port,dst_port,proto,ip_len,ip_hdr_len,ttl,tcp_flags,tcp_window,tcp_hdr_words,udp_length,label\n"
    // Six interleaved flows over 4 slots: packet- and flow-level results, collisions, controller entries.
    for i in 0..<36 {
      let f = i % 6
      let len = [100, 50, 200, 120, 60, 1400][f] + i
      let ttl = [64, 64, 128, 32, 200, 64][f]
      csv +=
        "\(i * 1000),10.0.0.\(f + 1),10.0.1.1,\(1000 + f),80,\(f % 2 == 0 ? 6 : 17),\(len),20,\(ttl),16,100,5,\(len - 20),a\n"
    }
    try csv.write(to: dir.appendingPathComponent("cap.csv"), atomically: true, encoding: .utf8)
    let r = try dune([
      "p4", "replay", "--chain", dir.appendingPathComponent("chain.json").path, "--data",
      dir.appendingPathComponent("cap.csv").path,
    ])
    #expect(r.status == 0, "\(r.out)\(r.err)")
    #expect(r.out.contains("36 packets, 6 flows, 2 switches: 0 header mismatches"))
    // The same from the files `dune p4` wrote; a tampered command file is caught and named.
    let out = dir.appendingPathComponent("emitted")
    #expect(try dune(["p4", "--chain", dir.appendingPathComponent("chain.json").path, "--out", out.path]).status == 0)
    let replayArgs = [
      "p4", "replay", "--chain", dir.appendingPathComponent("chain.json").path, "--data",
      dir.appendingPathComponent("cap.csv").path, "--entries", out.path,
    ]
    let fromFiles = try dune(replayArgs)
    #expect(fromFiles.status == 0 && fromFiles.out.contains("0 header mismatches"), "\(fromFiles.out)\(fromFiles.err)")
    let commands = out.appendingPathComponent("s2/bmv2/s2-commands.txt")
    var lines = try String(contentsOf: commands, encoding: .utf8).split(separator: "\n").map(String.init)
    lines.removeLast()
    try (lines.joined(separator: "\n") + "\n").write(to: commands, atomically: true, encoding: .utf8)
    let tampered = try dune(replayArgs)
    #expect(tampered.status == 1 && tampered.err.contains("s2-commands.txt"), "\(tampered.out)\(tampered.err)")
    // A chain the programs cannot implement is refused with the chain file named.
    let evict = chain.replacingOccurrences(of: "\"slots\": 4", with: "\"slots\": 4, \"evictionTimeoutNs\": 5")
    try evict.write(to: dir.appendingPathComponent("evict.json"), atomically: true, encoding: .utf8)
    let r2 = try dune(["p4", "--chain", dir.appendingPathComponent("evict.json").path, "--out", dir.path])
    #expect(r2.status == 1 && r2.err.contains("evict.json") && r2.err.contains("eviction"))
  }
}
