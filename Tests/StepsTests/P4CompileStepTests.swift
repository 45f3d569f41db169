import DUNESupport
import Foundation
import Literate
import LiterateRuntime
import P4Toolchain
import Testing

/// Chapter 06's `p4compile` step on a hand-made record: compiler beside model, the error per
/// column, bfas's warnings, and a record that no longer describes the programs.
@Suite struct P4CompileStepTests {
  static let chapter = """
    # Compile

    ```dune p4compile
    #| id: p4compile
    chain: dp/chain/chain.json
    resources: dp/resources.json
    programs: dp/p4_manifest.txt
    record: toolchain/compile.json
    ```
    """

  static func record(tna: String, v1: String) throws -> String {
    try CompileRecord(
      date: nil, tools: ["bf-p4c-check": "test", "p4c-bm2-ss": "test"],
      programs: [
        CompileRecord.Program(
          path: "06-compile/dp/p4/s1/bmv2/s1.p4", target: "bmv2", sha256: SHA256.hex(v1), compiler: "p4c-bm2-ss",
          outcome: .compiled, warnings: 0, seconds: 1),
        CompileRecord.Program(
          path: "06-compile/dp/p4/s1/tofino/s1.p4", target: "tofino", sha256: SHA256.hex(tna),
          compiler: "bf-p4c-check", outcome: .assembled, warnings: 0, assemblerWarnings: 3, stages: 11,
          tcamBlocks: 9, sramBlocks: 116, seconds: 1),
      ]
    ).jsonText()
  }

  @Test func comparesTheCompilerWithTheModelAndNoticesChangedPrograms() throws {
    let p = try StepsProject(
      ["06-compile.md": Self.chapter],
      files: [
        "dp/chain/chain.json": "{}", "dp/p4/s1/tofino/s1.p4": "tna", "dp/p4/s1/bmv2/s1.p4": "v1",
        "dp/resources.json": #"[{"stages": 10, "tcamBlocks": 9, "sramBlocks": 115}]"#,
        "toolchain/compile.json": try Self.record(tna: "tna", v1: "v1"), "dp/p4_manifest.txt": "one",
      ])
    defer { p.remove() }
    let first = try p.run()
    #expect(first.failure == nil, "\(String(describing: first.failure))")
    let out = try p.output(first, "06-compile/p4compile")
    #expect(out.values["stale"] == .bool(false))
    let resources = try #require(out.tables.first { $0.id == "p4-resources" })
    #expect(resources.rows == [["chain", "s1", "compiled", "assembled", "11", "10", "9", "9", "116", "115"]])
    let errors = try #require(out.tables.first { $0.id == "p4-model-error" })
    #expect(
      errors.rows == [
        ["stages", "1", "1.00", "1.00", "0"], ["TCAM blocks", "1", "0.00", "0.00", "1"],
        ["SRAM blocks", "1", "1.00", "1.00", "0"],
      ])
    #expect(out.notes.contains { $0.contains("bfas printed 3 warnings") && $0.contains("of 1 programs") })

    // The generator wrote another program since the record. The step's inputs name the programs
    // only through the dataplane step's manifest: alone, the changed file reruns nothing.
    try p.write("dp/p4/s1/tofino/s1.p4", "tna, changed")
    let unchanged = try p.run()
    #expect(unchanged.outcomes.map(\.status) == [.fresh])
    // With its digest in the manifest (what the dataplane step writes), the report says so.
    try p.write("dp/p4_manifest.txt", "two")
    let second = try p.run()
    let stale = try p.output(second, "06-compile/p4compile")
    #expect(stale.values["stale"] == .bool(true))
    #expect(stale.notes.contains { $0.hasPrefix("STALE") && $0.contains("s1/tofino/s1.p4 differs") })
  }
}
