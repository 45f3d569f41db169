import DataPlane
import Foundation
import Testing
import Traffic

@testable import P4

/// Packets through the generated programs (interpreted with bmv2 semantics, entries read back
/// from the emitted command files) must carry exactly the header the data-plane chain emulator
/// computes: same class, same PL/FL/collision/decided flags, packet by packet.
@Suite struct ProgramReplayTests {
  static func chain(features: [String], seed: UInt64, plan: [(trees: Int, n: Int)], packets: [Packet]) throws
    -> [CompiledSubModel]
  {
    let pools = SyntheticChain.valuePools(features: features, packets: packets)
    var out: [CompiledSubModel] = []
    var offset = 0
    for (k, p) in plan.enumerated() {
      let own = ["k\(k)a", "k\(k)b"]
      let model = SyntheticChain.subModel(
        classes: own, features: features, trees: p.trees, leaves: 21, pools: pools, seed: seed + UInt64(k))
      out.append(
        try TableCompiler.compile(
          model,
          options: CompileOptions(
            name: "m\(k + 1)", modelID: k + 1, inferencePoint: p.n, classOffset: offset,
            scheme: EncodingScheme(timeQuantisation: TimeQuantisation(shifts: ["Flow IAT Max": 10])))))
      offset += own.count
    }
    return out
  }

  /// Returns the packet count, collision packets, digests and mismatching packets; `mutate` may
  /// alter the generated programs (to show the comparison detects a wrong program).
  static func compare(
    slots: Int, delay: Int, flows: Int, seed: UInt64, timeScale: Int64 = 1, expectMismatch: Bool = false,
    plan: [(trees: Int, n: Int)] = [(1, 2), (3, 3), (1, 4)], mutate: (inout P4Program) -> Void = { _ in }
  ) throws -> (packets: Int, collisions: Int, digests: Int, mismatches: Int) {
    let classes = (0..<6).map { "k\($0 / 2)\($0 % 2 == 0 ? "a" : "b")" }
    var captures = SyntheticTraffic(classes: classes, flowsPerCapture: flows, maxFlowLength: 12, seed: seed).generate()
    for c in captures.indices {
      for i in captures[c].packets.indices { captures[c].packets[i].timestampNs *= timeScale }
    }
    let replay = Replay(captures: captures)
    let features = [
      "ip.len", "ip.ttl", "dstport", "tcp.flags.syn", "Max Packet Length", "Min Packet Length", "Packet Length Total",
      "ACK Flag Count", "Flow IAT Max", "Flow Duration", "UDP Len Max",
    ]
    let compiled = try chain(features: features, seed: seed, plan: plan, packets: replay.packets)
    let decisionPoints = ChainProtocol.decisionPoints(inferencePoints: plan.map(\.n))
    let emulator = try ChainEmulator(
      stages: compiled.map(ChainStage.init),
      config: ChainEmulatorConfig(slots: slots, controllerPeriodPackets: delay, recordPackets: true))
    let expected = emulator.run(replay)

    var switches: [ProgramReplay.Switch] = []
    for (k, m) in compiled.enumerated() {
      let options = P4BuildOptions(registerSize: slots, decisionPoint: decisionPoints[k])
      var built = try DuneProgramBuilder.build(m, name: "s\(m.modelID)", options: options)
      mutate(&built.program)
      // The fixture keeps some time keys wider than Tofino places (the replay checks their
      // saturation): those, and nothing else, are refused for Tofino.
      #expect(
        P4Check.check(built.program, entries: built.entries, target: .tofino) == wideRangeKeyIssues(built.program))
      let reread = try BMv2Commands.read(
        BMv2Commands.write(built.entries, program: built.program), program: built.program)
      switches.append(ProgramReplay.Switch(program: built.program, entries: reread))
    }
    let got = try ProgramReplay(switches: switches, controllerPeriodPackets: delay).run(replay.packets)
    var mismatches = 0
    var reported = 0
    for i in replay.packets.indices
    where got.classes[i] != expected.packetClass[i] || got.flags[i] != expected.packetFlags[i] {
      mismatches += 1
      if reported < 3 && !expectMismatch {
        reported += 1
        let msg: String =
          "packet \(i) (flow \(replay.flowOfPacket[i])): program class \(got.classes[i]) flags \(got.flags[i]), "
          + "emulator class \(expected.packetClass[i]) flags \(expected.packetFlags[i])"
        Issue.record(Comment(rawValue: msg))
      }
    }
    if expectMismatch { return (replay.packets.count, expected.report.collisionPackets, got.digests, mismatches) }
    #expect(mismatches == 0)
    // Every packet reached the last model's turn or was decided by a flow entry before it.
    #expect(got.modelIDs.allSatisfy { $0 <= 3 })
    #expect(got.digests == expected.report.switches.reduce(0) { $0 + $1.digests })
    return (replay.packets.count, expected.report.collisionPackets, got.digests, mismatches)
  }

  @Test func matchesTheChainEmulatorWithoutCollisions() throws {
    let r = try Self.compare(slots: 65_536, delay: 5, flows: 60, seed: 11)
    #expect(r.packets > 200 && r.digests > 0)
  }

  @Test func matchesTheChainEmulatorWithCollisionsAndSlotReuse() throws {
    // 16 slots for ~60 flows: collisions, controller resets and slot reuse all happen.
    let r = try Self.compare(slots: 16, delay: 3, flows: 60, seed: 12)
    #expect(r.collisions > 0 && r.digests > 0)
  }

  /// Inference points that decrease along the chain: the later switches announce at the decision
  /// point (class cached at N, packet-level type until then), in the programs as in the emulator.
  @Test(arguments: [65_536, 16])
  func matchesTheChainEmulatorWhenInferencePointsDecrease(slots: Int) throws {
    let r = try Self.compare(slots: slots, delay: 4, flows: 60, seed: 14, plan: [(1, 4), (3, 2), (1, 3)])
    #expect(r.digests > 0)
  }

  @Test func interArrivalTimesBeyond32BitNanosecondsSaturateLikeTheEmulator() throws {
    // Stretched time: many gaps exceed 2^32 ns (4.29 s), where a 32-bit timestamp would wrap.
    let classes = (0..<6).map { "k\($0 / 2)\($0 % 2 == 0 ? "a" : "b")" }
    let sample = SyntheticTraffic(classes: classes, flowsPerCapture: 60, maxFlowLength: 12, seed: 13).generate()
    let replay = Replay(captures: sample)
    let ts = replay.packets.map { $0.timestampNs * 2_000 }
    var long = 0
    for i in 1..<ts.count where ts[i] - ts[i - 1] > 0xFFFF_FFFF { long += 1 }
    #expect(long > 0)
    let r = try Self.compare(slots: 65_536, delay: 5, flows: 60, seed: 13, timeScale: 2_000)
    #expect(r.digests > 0)
  }

  @Test func aWrongProgramIsDetected() throws {
    // Inference point off by one on every switch: flow-level decisions move to another packet.
    let r = try Self.compare(slots: 65_536, delay: 5, flows: 60, seed: 11, expectMismatch: true) { p in
      if let i = p.constants.firstIndex(where: { $0.name == "INFERENCE_POINT" }) { p.constants[i].value += 1 }
    }
    #expect(r.mismatches > 0)
  }
}
