import DataPlane
import Testing

@testable import P4

/// The ingress dependency-chain estimate: dependent steps add stages, independent ones share.
@Suite struct DependencyStagesTests {
  static func program(_ ingress: [P4Stmt]) throws -> P4Program {
    var p = try DuneProgramBuilder.build(try toyCompiled(), name: "toy").program
    p.ingress = ingress
    return p
  }

  @Test func chainsAddAndIndependentStepsShare() throws {
    let a = P4Stmt.assign("meta.a", .ref("hdr.ipv4.ttl"))
    let b = P4Stmt.assign("meta.b", .ref("meta.a"))
    let c = P4Stmt.assign("meta.c", .binary("+", .ref("meta.b"), .int(1, width: 8)))
    #expect(try Self.program([a, b, c]).dependencyStages == 3)
    // Three reads of parser fields: one stage.
    let x = P4Stmt.assign("meta.x", .ref("hdr.ipv4.protocol"))
    #expect(try Self.program([a, x, .assign("meta.y", .ref("hdr.ipv4.ttl"))]).dependencyStages == 1)
    // A condition on a computed field gates the next stage; the register needs the slot hash.
    let gated = P4Stmt.ifElse(.binary("==", .ref("meta.a"), .int(0, width: 8)), [b], [])
    #expect(try Self.program([a, gated]).dependencyStages == 2)
    #expect(
      try Self.program([.hash("slot"), .register("flow_state", op: "claim", output: "meta.state_count")])
        .dependencyStages == 2)
  }

  @Test func tablesWaitForTheirKeysAndHitBits() throws {
    // feature_0 keys on meta.feature0 (written in stage 0), code_0 on the codeword it writes.
    let s = try Self.program([
      .assign("meta.feature0", .ref("hdr.ipv4.total_len")), .apply("feature_0"), .apply("code_0"),
    ]).dependencyStages
    #expect(s == 3)
    let hit = try Self.program([.applyHit("flow_class", hit: [.assign("meta.a", .int(1, width: 8))], miss: [])])
      .dependencyStages
    #expect(hit == 2)
  }

  @Test func generatedToyProgram() throws {
    let toy = try DuneProgramBuilder.build(try toyCompiled(), name: "toy").program
    // hash and flow_class → flow_state claim → cache choice → digest; the model's tables run beside
    // the register, the header's decided bit beside the digest.
    #expect(toy.dependencyStages == 5)
    var a = DependencyStages(program: toy)
    a.walk(toy.ingress, gate: 0)
    let codeStage = a.trace.first { $0.writes.contains("meta.class0") }?.stage
    // The packet-level tables do not wait for the flow state: they run beside it.
    let countStage = a.trace.first { $0.writes.contains("meta.count") }?.stage
    #expect(codeStage != nil && countStage != nil && codeStage! <= countStage!)
  }
}
