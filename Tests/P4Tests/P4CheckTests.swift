import DataPlane
import Foundation
import Testing

@testable import P4

@Suite struct P4CheckTests {
  let out: DuneProgramBuilder.Output
  init() throws { out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy") }

  @Test func toyPassesBothTargets() {
    #expect(P4Check.check(out.program, entries: out.entries, target: .bmv2) == [])
    #expect(P4Check.check(out.program, entries: out.entries, target: .tofino) == [])
    #expect(P4Check.balanced(V1ModelEmitter().emit(out.program)) == [])
    #expect(P4Check.balanced(TofinoEmitter().emit(out.program)) == [])
    #expect(P4Check.balanced(TofinoEntries.loader(program: out.program, jsonFile: "x.json")) == [])
  }

  @Test func headerWidthsMustBeBytes() {
    var p = out.program
    p.headers[1].fields.append(P4Field("odd", 3))
    #expect(P4Check.check(p, target: .bmv2).contains { $0.contains("not a multiple of 8") })
  }

  @Test func unappliedTableAndUnusedActionAreReported() {
    var p = out.program
    p.tables.append(
      P4Table(
        name: "orphan", keys: [P4Key(field: "meta.count", match: .exact, width: 8, name: "count")],
        actions: ["NoAction"], defaultAction: P4ActionCall("NoAction"), size: 1))
    p.actions.append(P4Action(name: "dead", body: []))
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("table orphan is declared but never applied"))
    #expect(issues.contains("action dead is never used"))
  }

  @Test func keyWidthMustMatchTheField() {
    var p = out.program
    p.tables[1].keys[0].width = 12
    #expect(P4Check.check(p, target: .bmv2).contains { $0.contains("declared as 12 bits") })
  }

  @Test func nameClashesAndBadIdentifiers() {
    var p = out.program
    p.metadata.append(P4Field("count", 8))
    p.actions.append(P4Action(name: "code_0", body: []))
    p.metadata.append(P4Field("9lives", 8))
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("metadata field 'count' is declared twice"))
    #expect(issues.contains("ingress declaration 'code_0' is declared twice"))
    #expect(issues.contains("metadata field '9lives' is not a valid identifier"))
  }

  @Test func undeclaredReferences() {
    var p = out.program
    p.ingress.append(.assign("meta.nope", .ref("hdr.ipv4.nothing")))
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("ingress: assignment to undeclared meta.nope"))
    #expect(issues.contains("ingress: reference to undeclared hdr.ipv4.nothing"))
  }

  @Test func entryProblems() {
    var e = out.entries
    let i = e.entries.firstIndex { $0.table == "feature_1" }!
    e.entries[i].keys = [.range(lo: P4Value(200, width: 8), hi: P4Value(100, width: 8))]
    let j = e.entries.firstIndex { $0.table == "code_0" }!
    e.entries[j].priority = nil
    e.entries[j].params = [P4Value(300, width: 16)]
    let k = e.entries.firstIndex { $0.table == "vote" }!
    e.entries[k].priority = 1
    e.entries[k].keys.removeLast()
    let issues = P4Check.check(out.program, entries: e, target: .bmv2)
    #expect(issues.contains { $0.contains("range lo 200 > hi 100") })
    #expect(issues.contains { $0.contains("a priority is required") })
    #expect(issues.contains { $0.contains("300 does not fit c (bit<8>)") })
    #expect(issues.contains { $0.contains("a priority is not allowed") })
    #expect(issues.contains { $0.contains("1 key(s), the table has 2") })
  }

  @Test func ternaryValueOutsideMaskAndOversizedRange() {
    var e = out.entries
    let i = e.entries.firstIndex { $0.table == "code_0" }!
    e.entries[i].keys = [.ternary(value: P4Value(0b110, width: 3), mask: P4Value(0b010, width: 3))]
    let j = e.entries.firstIndex { $0.table == "feature_1" }!
    e.entries[j].keys = [.range(lo: P4Value(0, width: 16), hi: P4Value(300, width: 16))]
    let issues = P4Check.check(out.program, entries: e, target: .bmv2)
    #expect(issues.contains { $0.contains("ternary value has bits outside its mask") })
    #expect(issues.contains { $0.contains("range bounds exceed the 8-bit key feature1") })
  }

  /// A code table keyed on one field: a mask-0 entry matches everything (a default in disguise).
  @Test func ternaryEntryMatchingEverythingIsReported() {
    var e = out.entries
    let i = e.entries.firstIndex { $0.table == "code_0" }!
    e.entries[i].keys = [.ternary(value: P4Value(0, width: 3), mask: P4Value(0, width: 3))]
    #expect(P4Check.check(out.program, entries: e, target: .bmv2).contains { $0.contains("is a don't-care (mask 0)") })
  }

  @Test func tofinoRejectsTwoAccessesToOneRegister() {
    var p = out.program
    p.ingress.append(.register("flow_state", op: "claim", output: "meta.state_count"))
    #expect(P4Check.check(p, target: .bmv2) == [])
    #expect(P4Check.check(p, target: .tofino).contains { $0.contains("register flow_state is executed up to 2 times") })
  }

  @Test func claimsBelongToPairRegisters() {
    var p = out.program
    let i = p.registers.firstIndex { $0.name == "flow_state" }!
    p.registers[i].pair = false
    #expect(P4Check.check(p, target: .bmv2).contains { $0.contains("is a claim, which needs a pair register") })
    p.registers[i].pair = true
    p.registers[i].operations.append(P4RegisterOp(name: "peek", kind: .read))
    #expect(P4Check.check(p, target: .bmv2).contains { $0.contains("on a pair register must be a claim") })
  }

  @Test func nonASCIIText() {
    #expect(P4Check.asciiOnly(V1ModelEmitter().emit(out.program)) == [])
    #expect(P4Check.asciiOnly("ok\n// é\n") == ["non-ASCII character at line 2"])
  }

  @Test func unbalancedText() {
    #expect(P4Check.balanced("control c { apply { }") == ["unclosed '{' opened at line 1"])
    #expect(P4Check.balanced("a ) b") == ["unbalanced ')' at line 1"])
    #expect(P4Check.balanced("// } comment\n\"}\" { }") == [])
  }

  @Test func codewordSlicesMustTileTheField() {
    var p = out.program
    let i = p.actions.firstIndex { $0.name == "set_code_1" }!
    // ttl's 1-bit slice of tree 0 written into one bit of len's 2-bit field: the slices leave a gap.
    p.actions[i].body = [.assign("meta.codeword0_f0[0:0]", .ref("code0")), .assign("meta.codeword1_f1", .ref("code1"))]
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("meta.codeword0_f0: slices written by actions cover 1 of 2 bits (overlaps or gaps)"))
  }

  @Test func fullDomainRangeIsADontCare() {
    var e = out.entries
    let i = e.entries.firstIndex { $0.table == "feature_1" }!
    e.entries[i].keys = [.range(lo: P4Value(0, width: 8), hi: P4Value(255, width: 8))]
    #expect(P4Check.check(out.program, entries: e, target: .bmv2).contains { $0.contains("covers its whole domain") })
  }

  @Test func expressionWidthsMustAgree() {
    var p = out.program
    // bit<16> into bit<8>, a comparison of different widths, and a 9-bit egress port from 8 bits.
    p.ingress.append(.assign("meta.count", .ref("hdr.ipv4.total_len")))
    p.ingress.append(.ifElse(.binary("<", .ref("meta.count"), .ref("hdr.ipv4.total_len")), [], []))
    p.ingress.append(.assign("meta.count", .binary("|+|", .ref("meta.count"), .int(1, width: 16))))
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("ingress: meta.count =: bit<16> where bit<8> is needed"))
    #expect(issues.contains("ingress: if condition: '<' compares bit<8> with bit<16>"))
    #expect(issues.contains("ingress: meta.count =: '|+|' on bit<8> and bit<16> (operands need one width)"))
  }

  @Test func bitOneIsNotABool() {
    var p = out.program
    p.ingress.append(.ifElse(.ref("meta.result_fl"), [], []))
    p.ingress.append(.ifElse(.binary("&&", .ref("meta.result_fl"), .isValid("hdr.tcp")), [], []))
    p.ingress.append(.assign("meta.result_fl", .isValid("hdr.tcp")))
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("ingress: if condition: bit<1> where bool is needed"))
    #expect(issues.contains("ingress: if condition: '&&' on bit<1> and bool (P4 needs bool operands)"))
    #expect(issues.contains("ingress: meta.result_fl =: bool where bit<1> is needed"))
  }

  @Test func slicesMustLieInsideTheirOperand() {
    var p = out.program
    p.ingress.append(.assign("meta.count", .slice(.ref("hdr.ipv4.ttl"), hi: 8, lo: 1)))
    #expect(P4Check.check(p, target: .bmv2).contains("ingress: meta.count =: slice [8:1] of bit<8>"))
  }

  @Test func registerAndDigestOperandsHaveTheDeclaredWidth() {
    var p = out.program
    let r = p.registers.firstIndex { $0.name == "class_cache" }!
    p.registers[r].operations[0].kind = .write(.ref("hdr.ipv4.total_len"))
    p.digest!.fields[0].value = .ref("meta.count")
    let issues = P4Check.check(p, target: .tofino)
    #expect(issues.contains("register action class_cache_write: bit<16> where bit<8> is needed"))
    #expect(issues.contains("digest field src_addr: bit<8> where bit<32> is needed"))
  }

  @Test func actionsAreStraightLine() {
    var p = out.program
    let i = p.actions.firstIndex { $0.name == "set_class_0" }!
    p.actions[i].body.append(.ifElse(.binary("==", .ref("c"), .int(0, width: 8)), [], []))
    #expect(P4Check.check(p, target: .tofino).contains { $0.hasPrefix("action set_class_0: only assignments") })
  }

  @Test func architectureNamesAreNotRedeclared() {
    var p = out.program
    let t = p.tables.firstIndex { $0.name == "vote" }!
    p.tables[t].name = "hash"
    p.ingress = p.ingress.map { rename($0, "vote", "hash") }
    p.constants.append(P4Constant("PORT_METADATA_SIZE", width: 32, value: 64))
    let issues = P4Check.check(p, target: .bmv2)
    #expect(issues.contains("'hash' is declared by v1model.p4, tna.p4 or the emitted program skeleton"))
    #expect(issues.contains("'PORT_METADATA_SIZE' is declared by v1model.p4, tna.p4 or the emitted program skeleton"))
  }

  /// Renames applies of table `a` to `b`.
  func rename(_ s: P4Stmt, _ a: String, _ b: String) -> P4Stmt {
    switch s {
    case .apply(let t): return .apply(t == a ? b : t)
    case .applyHit(let t, let x, let y):
      return .applyHit(t == a ? b : t, hit: x.map { rename($0, a, b) }, miss: y.map { rename($0, a, b) })
    case .ifElse(let c, let x, let y): return .ifElse(c, x.map { rename($0, a, b) }, y.map { rename($0, a, b) })
    default: return s
    }
  }

  /// The TNA text uses only declarations every TNA release has: `DigestType_t` and the
  /// `Digest(DigestType_t)` constructor are missing from TNA 1.0.1 (`tofino.p4` of 2019).
  @Test func tofinoTextAvoidsLateTNADeclarations() {
    let text = TofinoEmitter().emit(out.program)
    #expect(!text.contains("DigestType_t"))
    #expect(text.contains("Digest<dune_digest_t>() dune_digest;"))
    #expect(text.contains("const bit<3> DUNE_DIGEST_TYPE = 3w1;"))
  }
}
