import DUNETestSupport
import DataPlane
import Foundation
import Testing

@testable import P4

/// Byte-for-byte golden files of the §12.5 toy (both targets, program and entries).
/// Re-record with `DUNE_RECORD=1 swift test --filter P4Tests`.
@Suite struct GoldenTests {
  let out: DuneProgramBuilder.Output

  init() throws {
    out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy")
  }

  @Test func v1modelProgram() throws {
    // The deployed build (no replay symbol) is the golden program; the replay build has its own.
    let v1model = V1ModelEmitter().emit(out.program)
    try golden.check(Preprocessor.select(v1model, defined: []), "toy_bmv2.p4")
    try golden.check(Preprocessor.select(v1model, defined: [V1ModelEmitter.replayDefine]), "toy_bmv2_replay.p4")
  }

  @Test func tofinoProgram() throws {
    try golden.check(TofinoEmitter().emit(out.program), "toy_tofino.p4")
  }

  @Test func bmv2Commands() throws {
    try golden.check(BMv2Commands.write(out.entries, program: out.program), "toy-commands.txt")
  }

  @Test func tofinoEntries() throws {
    try golden.check(TofinoEntries.json(out.entries, program: out.program), "toy.entries.json")
    try golden.check(TofinoEntries.loader(program: out.program, jsonFile: "toy.entries.json"), "toy_load.py")
  }

  @Test func emissionIsDeterministic() throws {
    let again = try DuneProgramBuilder.build(try toyCompiled(), name: "toy")
    #expect(V1ModelEmitter().emit(again.program) == V1ModelEmitter().emit(out.program))
    #expect(TofinoEmitter().emit(again.program) == TofinoEmitter().emit(out.program))
    #expect(again.entries == out.entries)
  }
}

/// The rows of `data-plane.md` §8.4 in each runtime format.
@Suite struct ToyEntryFormatTests {
  let out: DuneProgramBuilder.Output
  init() throws { out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy") }

  @Test func simpleSwitchCLIRows() {
    let lines = Set(BMv2Commands.write(out.entries, program: out.program).split(separator: "\n").map(String.init))
    for expected in [
      "table_add DuneIngress.feature_0 DuneIngress.set_code_0 0->90 => 0b00 0b00 1",
      "table_add DuneIngress.feature_0 DuneIngress.set_code_0 91->150 => 0b10 0b10 1",
      "table_add DuneIngress.feature_0 DuneIngress.set_code_0 151->65535 => 0b11 0b11 1",
      "table_add DuneIngress.feature_1 DuneIngress.set_code_1 0->96 => 0b0 0b0 1",
      "table_add DuneIngress.feature_1 DuneIngress.set_code_1 97->255 => 0b1 0b1 1",
      // §8.4's leaf rows with the codeword kept as one field per (tree, feature), which §7.2
      // allows: `0b100&&&0b111` for tree 0, leaf 5 is `0b10&&&0b11` on len's slice and `0b0&&&0b1`
      // on ttl's.
      "table_add DuneIngress.code_0 DuneIngress.set_class_0 0b00&&&0b00 0b1&&&0b1 => 3 1",
      "table_add DuneIngress.code_0 DuneIngress.set_class_0 0b00&&&0b10 0b0&&&0b1 => 1 1",
      "table_add DuneIngress.code_0 DuneIngress.set_class_0 0b10&&&0b11 0b0&&&0b1 => 2 1",
      "table_add DuneIngress.code_0 DuneIngress.set_class_0 0b11&&&0b11 0b0&&&0b1 => 2 1",
      "table_add DuneIngress.code_1 DuneIngress.set_class_1 0b00&&&0b10 0b0&&&0b1 => 1 1",
      "table_add DuneIngress.code_1 DuneIngress.set_class_1 0b10&&&0b10 0b0&&&0b1 => 2 1",
      "table_add DuneIngress.code_1 DuneIngress.set_class_1 0b00&&&0b01 0b1&&&0b1 => 2 1",
      "table_add DuneIngress.code_1 DuneIngress.set_class_1 0b01&&&0b01 0b1&&&0b1 => 3 1",
      "table_add DuneIngress.vote DuneIngress.set_final 2 2 => 2",
    ] {
      #expect(lines.contains(expected), "missing: \(expected)")
    }
    // Exact-only tables never carry a priority; ternary/range rows always end with one.
    for l in lines where l.contains(".vote ") { #expect(l.split(separator: " ").count == 7) }
  }

  @Test func bfrtJSONRows() {
    let json = TofinoEntries.json(out.entries, program: out.program)
    for expected in [
      #""match": {"feature0_start": 91, "feature0_end": 150}, "data": {"code0": 2, "code1": 2}, "priority": 1"#,
      #""match": {"feature0_start": 151, "feature0_end": 65535}, "data": {"code0": 3, "code1": 3}, "priority": 1"#,
      #""match": {"feature1_start": 97, "feature1_end": 255}, "data": {"code0": 1, "code1": 1}, "priority": 1"#,
      #""action": "set_class_0", "match": {"codeword0_f0": 2, "codeword0_f0_mask": 3, "codeword0_f1": 0, "codeword0_f1_mask": 1}, "data": {"c": 2}, "priority": 1"#,
      #""action": "set_class_1", "match": {"codeword1_f0": 1, "codeword1_f0_mask": 1, "codeword1_f1": 1, "codeword1_f1_mask": 1}, "data": {"c": 3}, "priority": 1"#,
      #""action": "set_final", "match": {"class0": 2, "class1": 2}, "data": {"c": 2}}"#,
    ] {
      #expect(json.contains(expected), "missing: \(expected)")
    }
    // The JSON parses and has one entry per generated entry.
    let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect((obj?["entries"] as? [Any])?.count == out.entries.entries.count)
    #expect(obj?["format"] as? String == TofinoEntries.format)
  }

  @Test func entryCountsFollowTheClosedForm() {
    // §9.1: R_f = distinct in-domain thresholds + 1; code table t = L_t; vote = unique-plurality tuples.
    #expect(out.entries.of("feature_0").count == 3)
    #expect(out.entries.of("feature_1").count == 2)
    #expect(out.entries.of("code_0").count == 4)
    #expect(out.entries.of("code_1").count == 4)
    // T = 2, K = 3: only the 3 agreeing tuples have a unique plurality winner.
    #expect(out.entries.of("vote").count == 3)
  }
}
