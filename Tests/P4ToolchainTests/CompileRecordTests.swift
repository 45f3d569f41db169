import DUNESupport
import Foundation
import Testing

@testable import P4Toolchain

/// A results-like folder with generated programs in the layout the chapters write.
private func makeResults(_ files: [String: String]) throws -> String {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-compile-\(UUID().uuidString)").path
  for (rel, text) in files {
    let path = (root as NSString).appendingPathComponent(rel)
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }
  return root
}

@Suite struct CompileRecordUnitTests {
  @Test func countsOnlyWarningsAboutTheProgram() {
    // What p4c-barefoot printed for a generated program: its own parser-padding note twice and the
    // tally are not about the program; a real warning is.
    let barefoot = """
      warning: Parser state min_parse_depth_accept_loop will be unrolled up to 4 times due to @pragma max_loop_depth.
      warning: Parser state min_parse_depth_accept_loop will be unrolled up to 4 times due to @pragma max_loop_depth.

      0 errors, 2 warnings generated.
      """
    #expect(CompileCheck.warnings(ToolRun(status: 0, stdout: "", stderr: barefoot, seconds: 1)) == 0)
    let real = "s1.p4(12): [--Wwarn=unused] warning: 'ETHERTYPE_IPV4' is unused\n1 error, 1 warning generated."
    #expect(CompileCheck.warnings(ToolRun(status: 0, stdout: "", stderr: real, seconds: 1)) == 1)
  }

  @Test func assemblerWarningsAreCountedApartOnce() {
    // What bf-p4c-check printed for a generated chain switch (paths shortened): bfas's checks of
    // the compiler's assembly, two lines per conflict.
    let bfas = """
      warning: Parser state min_parse_depth_accept_loop will be unrolled up to 4 times due to @pragma max_loop_depth.

      0 errors, 1 warning generated.

      /tmp/o/pipe/s8.bfa:1721: warning: Conflicting instruction slot usage for non-exlusive table tbl_s8l743 action s8l743
      /tmp/o/pipe/s8.bfa:1684: warning: and table tbl_s8l741 action s8l741
      /tmp/o/pipe/s8.bfa:1717: warning: Action bus byte 32 set in table tbl_s8l743 and table tbl_s8l741
      /tmp/o/pipe/s8.bfa:667: warning: duplicate hash group 0, will merge with
      /tmp/o/pipe/s8.bfa:659: warning: previous definition here
      """
    let run = ToolRun(status: 0, stdout: "", stderr: bfas, seconds: 1)
    #expect(CompileCheck.warnings(run) == 0)
    #expect(CompileCheck.assemblerWarnings(run) == 3)
    // p4c-barefoot failed: no assembly, no assembler.
    let failed = ToolRun(
      status: 1, stdout: "", stderr: "s1.p4(3): error: something\n1 error, 0 warnings generated.", seconds: 1)
    #expect(CompileCheck.assemblerWarnings(failed) == nil)
    #expect(CompileCheck.excerpt(failed) == "s1.p4(3): error: something")
  }

  @Test func findsOnlyGeneratedPrograms() throws {
    let root = try makeResults([
      "06-data-plane/dataplane/p4/s1/bmv2/s1.p4": "a", "06-data-plane/dataplane/p4/s1/tofino/s1.p4": "b",
      "04-cluster-analysis/clusters/p4/cluster_0/bmv2/cluster_0.p4": "c",
      "06-data-plane/dataplane/p4/s1/bmv2/s1-commands.txt": "d", "notes/x.p4": "e",
      "06-data-plane/dataplane/p4/s1/other/s1.p4": "f", "iot/06-data-plane/dataplane/p4/s1/bmv2/s1.p4": "g",
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(
      CompileCheck.programs(in: root) == [
        "04-cluster-analysis/clusters/p4/cluster_0/bmv2/cluster_0.p4", "06-data-plane/dataplane/p4/s1/bmv2/s1.p4",
        "06-data-plane/dataplane/p4/s1/tofino/s1.p4",
      ])
  }

  @Test func aRecordTellsStaleMissingAndUncompiledProgramsApart() throws {
    let root = try makeResults([
      "06/dp/p4/s1/bmv2/s1.p4": "one", "06/dp/p4/s2/bmv2/s2.p4": "two", "06/dp/p4/s3/bmv2/s3.p4": "three",
      "02/grid/p4/unconstrained/bmv2/unconstrained.p4": "u",
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    func program(_ path: String, _ text: String) -> CompileRecord.Program {
      CompileRecord.Program(
        path: path, target: "bmv2", sha256: SHA256.hex(text), compiler: "p4c-bm2-ss", outcome: .compiled, warnings: 0,
        seconds: 1)
    }
    let record = CompileRecord(
      date: nil, tools: ["p4c-bm2-ss": "1"],
      programs: [
        program("06/dp/p4/s1/bmv2/s1.p4", "one"), program("06/dp/p4/s2/bmv2/s2.p4", "changed"),
        program("06/dp/p4/s4/bmv2/s4.p4", "gone"),
      ])
    #expect(
      record.differences(p4Directory: root + "/06/dp/p4", chapter: "06") == [
        "06/dp/p4/s2/bmv2/s2.p4 differs from the one compiled", "06/dp/p4/s4/bmv2/s4.p4 is missing",
        "p4/s3/bmv2/s3.p4 of 06 was never compiled",
      ])
    let back = try JSONDecoder().decode(CompileRecord.self, from: Data(try record.jsonText().utf8))
    #expect(back == record)
    #expect(
      record.differences(p4Directory: root + "/02/grid/p4", chapter: "02") == [
        "p4/unconstrained/bmv2/unconstrained.p4 of 02 was never compiled"
      ])
    // The step's p4/ folder may lie anywhere (the runner's cache): only the chapter matters.
    let moved = root + "/cache/abc/files/p4"
    try FileManager.default.createDirectory(atPath: moved + "/s1/bmv2", withIntermediateDirectories: true)
    try "one".write(toFile: moved + "/s1/bmv2/s1.p4", atomically: true, encoding: .utf8)
    #expect(
      record.differences(p4Directory: moved, chapter: "06") == [
        "06/dp/p4/s2/bmv2/s2.p4 is missing", "06/dp/p4/s4/bmv2/s4.p4 is missing",
      ])
  }

  @Test func tofinoResourcesCountUsedStagesAndBlocks() throws {
    // The shape of p4c-barefoot's resources.json (schema resources_schema.py), trimmed.
    let json = """
      {"resources": {"mau": {"nStages": 12, "mau_stages": [
        {"stage_number": 0, "tcams": {"tcams": [{"row": 0, "column": 0, "usages": [{"used_by": "t"}]},
                                                {"row": 1, "column": 0, "usages": [{"used_by": "t"}]}]},
         "rams": {"srams": [{"row": 0, "column": 2, "usages": [{"used_by": "u"}]}]}},
        {"stage_number": 1, "tcams": {"tcams": []}, "rams": {"srams": []},
         "gateways": {"gateways": [{"row": 0, "unit_id": 0, "usages": [{"used_by": "g"}]}]}},
        {"stage_number": 2, "tcams": {"tcams": []}, "rams": {"srams": []}, "gateways": {"gateways": []}}
      ]}}}
      """
    let r = try TofinoResources.parse(Data(json.utf8))
    #expect(r == TofinoResources(stages: 2, tcamBlocks: 2, sramBlocks: 1))
    #expect(throws: (any Error).self) { try TofinoResources.parse(Data("{\"resources\": {}}".utf8)) }
  }

  @Test func aBadRecordIsNamed() throws {
    let root = try makeResults(["r.json": "{\"format\": \"dune-bmv2-record/1\"}"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let path = (root as NSString).appendingPathComponent("r.json")
    #expect(throws: (any Error).self) { try CompileRecord.load(path: path) }
    do {
      _ = try CompileRecord.load(path: path)
    } catch {
      #expect("\(error)".contains("r.json"))
    }
  }
}

/// The golden programs through the real compilers, when they are installed.
@Suite struct CompileWithTheToolchainTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("P4Tests/Golden").path

  /// The golden programs laid out like a run's results (target folders), so the command's own
  /// walk finds them.
  static func goldenResults() throws -> String {
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: golden).sorted() where name.hasSuffix(".p4") {
      let target = name.contains("tofino") ? "tofino" : "bmv2"
      let text = try String(contentsOfFile: (golden as NSString).appendingPathComponent(name), encoding: .utf8)
      files["golden/step/p4/\(name.dropLast(3))/\(target)/\(name)"] = text
    }
    return try makeResults(files)
  }

  @Test(
    .enabled(
      if: P4Tools.missing([.p4cBMv2]) == nil
        && (P4Tools.missing([.bfP4cCheck]) == nil || P4Tools.missing([.p4testTNA]) == nil),
      "needs p4c-bm2-ss and bf-p4c-check or p4test-tna (README, \"Generated P4\")"))
  func everyGoldenProgramCompiles() throws {
    let tools = try #require(P4Tools.locate())
    let root = try Self.goldenResults()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let record = try CompileCheck.run(resultsDirectory: root, tools: tools, date: nil)
    #expect(record.programs.count == CompileCheck.programs(in: root).count)
    #expect(record.programs.count >= 6)
    for p in record.programs {
      #expect(p.outcome != .failed, "\(p.path): \(p.message ?? "")")
      #expect(p.warnings == 0, "\(p.path): \(p.warnings) warnings")
      if p.outcome == .assembled { #expect((p.stages ?? 99) <= 12, "\(p.path): \(p.stages ?? -1) stages") }
    }
  }

  @Test(.enabled(if: P4Tools.missing([.p4cBMv2]) == nil, "needs p4c-bm2-ss (README, \"Generated P4\")"))
  func aBrokenProgramFailsWithTheCompilersWords() throws {
    let tools = try #require(P4Tools.locate())
    let root = try makeResults([
      "x/y/p4/s1/bmv2/s1.p4": "#include <core.p4>\ncontrol c() { apply { undefined_thing(); } }\n"
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let record = try CompileCheck.run(resultsDirectory: root, tools: tools, date: nil)
    #expect(record.programs.map(\.outcome) == [.failed])
    #expect(record.programs.first?.message?.contains("undefined_thing") == true)
  }
}
