import DataPlane
import Foundation
import Testing
import Traffic

@testable import P4

/// IPv4 packets with options (IHL 6...15) are parsed up to TCP/UDP like the capture reader does,
/// so their L4 features classify exactly as in the data-plane chain emulator.
@Suite struct IPv4OptionsTests {
  /// The packets of `flows` synthetic flows per class, with IHL cycling through 5...15 packet by
  /// packet (every flow sees several header lengths).
  static func captures(seed: UInt64) -> [ReplayCapture] {
    let classes = (0..<6).map { "k\($0 / 2)\($0 % 2 == 0 ? "a" : "b")" }
    var captures = SyntheticTraffic(classes: classes, flowsPerCapture: 40, maxFlowLength: 12, seed: seed).generate()
    for c in captures.indices {
      for i in captures[c].packets.indices {
        captures[c].packets[i].ipHeaderLength = UInt8(4 * (5 + (i + 3 * c) % 11))
      }
    }
    return captures
  }

  /// Mismatching packets between the replayed programs and the emulator; `mutate` may alter the
  /// generated programs.
  static func mismatches(seed: UInt64, mutate: (inout P4Program) -> Void = { _ in }) throws -> (
    packets: Int, withOptions: Int, mismatches: Int
  ) {
    let replay = Replay(captures: captures(seed: seed))
    // L4 packet features and L4-fed flow features, plus the header length itself.
    let features = [
      "ip.len", "ip.hdr_len", "dstport", "srcport", "tcp.flags.syn", "tcp.window_size_value", "udp.length",
      "ACK Flag Count", "UDP Len Max", "Max Packet Length",
    ]
    let compiled = try ProgramReplayTests.chain(
      features: features, seed: seed, plan: [(1, 2), (3, 3)], packets: replay.packets)
    let emulator = try ChainEmulator(
      stages: compiled.map(ChainStage.init),
      config: ChainEmulatorConfig(slots: 65_536, controllerPeriodPackets: 4, recordPackets: true))
    let expected = emulator.run(replay)
    var switches: [ProgramReplay.Switch] = []
    for m in compiled {
      var built = try DuneProgramBuilder.build(m, name: "s\(m.modelID)")
      mutate(&built.program)
      let reread = try BMv2Commands.read(
        BMv2Commands.write(built.entries, program: built.program), program: built.program)
      switches.append(ProgramReplay.Switch(program: built.program, entries: reread))
    }
    let got = try ProgramReplay(switches: switches, controllerPeriodPackets: 4).run(replay.packets)
    let bad = replay.packets.indices.filter {
      got.classes[$0] != expected.packetClass[$0] || got.flags[$0] != expected.packetFlags[$0]
    }
    return (replay.packets.count, replay.packets.filter { $0.ipHeaderLength > 20 }.count, bad.count)
  }

  @Test func optionsAreSkippedLikeTheCaptureReader() throws {
    let r = try Self.mismatches(seed: 21)
    #expect(r.withOptions > r.packets / 2)
    #expect(r.mismatches == 0)
  }

  @Test func withoutOptionParsingTheL4FeaturesDiverge() throws {
    // The previous parser: only IHL = 5 reaches TCP/UDP.
    let r = try Self.mismatches(seed: 21) { p in
      let i = p.parserStates.firstIndex { $0.name == "parse_ipv4" }!
      p.parserStates[i].transition = .select(
        on: [(.ref("hdr.ipv4.ihl"), 4)], cases: [([5], "parse_l4")], otherwise: "accept")
    }
    #expect(r.mismatches > 0)
  }

  @Test func optionWordsAreParsedAndDeparsedInWireOrder() throws {
    let out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy")
    #expect(P4Check.check(out.program, entries: out.entries, target: .tofino) == [])
    for ihl in 5...15 {
      let p = Packet(
        timestampNs: 0, srcIP: 1, dstIP: 2, proto: 6, srcPort: 1000, dstPort: 80, ipLength: 100,
        ipHeaderLength: UInt8(4 * ihl), ttl: 64, tcpFlags: 0x12, tcpWindow: 512, tcpHeaderWords: 5)
      var m = P4Machine(program: out.program, entries: out.entries, withRegisters: true)
      m.resetPacket()
      try m.parse(ProgramReplay.wire(p))
      #expect(m.valid.contains("tcp"), "IHL \(ihl): TCP not parsed")
      #expect(m.state["meta.dst_port"]?.uint64 == 80)
      let options = m.deparse().map(\.instance).filter { $0.hasPrefix("ipv4_opt_") }
      #expect(options == (0..<(ihl - 5)).reversed().map { "ipv4_opt_\($0)" })
      #expect(m.deparse().map(\.instance) == ProgramReplay.wire(p).map(\.instance))
    }
    // Each option type is declared once; the parser reaches every word.
    let v1 = V1ModelEmitter().emit(out.program)
    #expect(v1.components(separatedBy: "header ipv4_opt_h {").count == 2)
    #expect(v1.contains("(13w0, 4w15): parse_ipv4_opt_9;"))
    #expect(v1.contains("pkt.emit(hdr.ipv4_opt_9);"))
  }

  /// Runs one wire packet through a fresh toy switch; returns the machine afterwards.
  static func run(_ wire: [(instance: String, fields: [String: UInt64])]) throws -> P4Machine {
    let out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy")
    var m = P4Machine(program: out.program, entries: out.entries, withRegisters: true)
    m.resetPacket()
    try m.parse(wire)
    try m.run(out.program.ingress)
    return m
  }

  @Test func onlyPacketsTheReaderKeepsAreClassified() throws {
    let tcp = Packet(
      timestampNs: 0, srcIP: 1, dstIP: 2, proto: 6, srcPort: 1000, dstPort: 80, ipLength: 100, ttl: 64,
      tcpFlags: 0x02, tcpHeaderWords: 5)
    var icmp = tcp
    icmp.proto = 1
    // A later fragment of a TCP datagram: its first payload bytes are not a TCP header.
    var fragment = ProgramReplay.wire(tcp)
    fragment[1].fields["frag_offset"] = 185
    for (wire, classified) in [(ProgramReplay.wire(tcp), true), (ProgramReplay.wire(icmp), false), (fragment, false)] {
      let m = try Self.run(wire)
      // Forwarded with the shim either way; only classified packets take the model's turn and a slot.
      #expect(m.valid.contains("dune") && m.egressPort != nil)
      #expect(m.valid.contains("tcp") == classified)
      #expect((m.state["hdr.dune.model_id"]?.uint64 == 1) == classified)
      #expect(m.registers["flow_state"]!.contains { $0 != 0 } == classified)
    }
  }
}
