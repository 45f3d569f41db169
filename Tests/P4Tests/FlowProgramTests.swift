import DUNESupport
import DUNETestSupport
import DataPlane
import Forest
import Foundation
import Testing

@testable import P4

/// A sub-model with flow-level features: registers, first-packet/later updates, quantised keys.
@Suite struct FlowProgramTests {
  let out: DuneProgramBuilder.Output
  init() throws { out = try DuneProgramBuilder.build(try flowCompiled(), name: "flow") }

  @Test func goldens() throws {
    // The deployed build (no replay symbol) is the golden program; the replay build has its own.
    let v1model = V1ModelEmitter().emit(out.program)
    try golden.check(Preprocessor.select(v1model, defined: []), "flow_bmv2.p4")
    try golden.check(Preprocessor.select(v1model, defined: [V1ModelEmitter.replayDefine]), "flow_bmv2_replay.p4")
    try golden.check(TofinoEmitter().emit(out.program), "flow_tofino.p4")
    try golden.check(BMv2Commands.write(out.entries, program: out.program), "flow-commands.txt")
  }

  @Test func passesChecksOnBothTargets() {
    #expect(P4Check.check(out.program, entries: out.entries, target: .bmv2) == [])
    #expect(P4Check.check(out.program, entries: out.entries, target: .tofino) == [])
    #expect(P4Check.balanced(TofinoEmitter().emit(out.program)) == [])
    // Every register is touched at most once on any path (the Tofino rule), and only the
    // registers the sub-model needs exist.
    #expect(P4Check.registerUses(out.program.ingress).values.allSatisfy { $0 == 1 })
    let names = Set(out.program.registers.map(\.name))
    #expect(names.contains("last_ts") && names.contains("reg_flow_iat_max") && names.contains("reg_syn_flag_count"))
    #expect(!names.contains("reg_packet_length_total"))
  }

  @Test func flowKeysAreShiftedQuantisedAndSaturated() {
    let text = V1ModelEmitter().emit(out.program)
    // Flow IAT Max is feature 3, quantised by 16 bits: key = reg[31:16] (= reg >> 16) + 1,
    // saturating at 16 bits (a gateway, not `|+|`, which p4c-barefoot cannot place in a wider
    // container). A slice, so Tofino needs no shift instruction before the add.
    #expect(text.contains("if (meta.r_reg_flow_iat_max[31:16] == 16w65535) {"))
    #expect(text.contains("meta.feature3 = meta.r_reg_flow_iat_max[31:16] + 16w1;"))
    // Max Packet Length (feature 1) is a 16-bit register keyed directly, +1 for "available".
    #expect(text.contains("meta.feature1 = meta.r_reg_max_packet_length + 16w1;"))
    // IAT min/max take the first IAT as is at packet 2.
    #expect(text.contains("if (meta.state_count == 32w2)"))
    let tna = TofinoEmitter().emit(out.program)
    #expect(tna.contains("RegisterAction<bit<32>, bit<16>, bit<32>>(reg_flow_iat_min) reg_flow_iat_min_update"))
    // The timestamp is split so IATs stay exact (saturated) beyond 2^32 ns.
    #expect(tna.contains("meta.now_ts = ig_prsr_md.global_tstamp[47:16];"))
    #expect(tna.contains("meta.now_ts_lo = (bit<32>)ig_prsr_md.global_tstamp[15:0];"))
    #expect(text.contains("meta.now_ts = (standard_metadata.ingress_global_timestamp * 48w1000)[47:16];"))
  }

  @Test func chainConstantsFollowTheModel() {
    let c = Dictionary(uniqueKeysWithValues: out.program.constants.map { ($0.name, $0.value) })
    #expect(c["MODEL_ID"] == 2 && c["PREV_MODEL_ID"] == 1 && c["INFERENCE_POINT"] == 3)
    // The class map is in the entries: the final table hands out global ids (own classes after the
    // offset 1, `Other` → 0).
    let final = out.program.table("vote") != nil ? "vote" : "code_0"
    let ids = Set(out.entries.entries.filter { $0.table == final }.compactMap { $0.params.first?.uint64 })
    #expect(ids.isSubset(of: [0, 2, 3]) && ids.contains(2) && ids.contains(3))
  }

  @Test func evaluatorAgreesOnFlowKeys() throws {
    let compiled = try flowCompiled()
    var reference = TableLookupEvaluator(compiled)
    let eval = EntryEvaluator(
      program: out.program,
      entries: try BMv2Commands.read(
        BMv2Commands.write(out.entries, program: out.program), program: out.program))
    var rng = SplitMix64(seed: 5)
    for _ in 0..<500 {
      let keys = compiled.features.map { Int64.random(in: 0...min($0.maxValue, 3000), using: &rng) }
      let local = reference.localClass(keys: keys)
      let got = try eval.classify(
        features: Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0, UInt64($1)) }))
      #expect(got.global == compiled.classMap.global(local))
    }
  }

  @Test func divisionFeaturesAreRefused() throws {
    var forest = flowForest()
    forest.features[5] = "Packet Length Mean"
    let compiled = try TableCompiler.compile(forest, options: CompileOptions(name: "mean", inferencePoint: 3))
    #expect(throws: (any Error).self) { try DuneProgramBuilder.build(compiled, name: "mean") }
  }
}
