import DUNESupport
import DataPlane
import Foundation
import P4
import Testing
import Traffic

@testable import P4Toolchain

/// A tiny chain: 3 switches whose inference points decrease (decision points at work), time
/// features (the replay-time header matters), few slots (collisions, controller resets).
struct TinyChain {
  var replay: Replay
  var compiled: [CompiledSubModel]
  var generated: [P4SwitchOutput]
  var config: ChainEmulatorConfig

  init(slots: Int = 64, period: Int = 8, seed: UInt64 = 5) throws {
    let classes = (0..<6).map { "k\($0 / 2)\($0 % 2 == 0 ? "a" : "b")" }
    let captures = SyntheticTraffic(classes: classes, flowsPerCapture: 12, maxFlowLength: 10, seed: seed).generate()
    replay = Replay(captures: captures)
    let features = [
      "ip.len", "ip.ttl", "dstport", "tcp.flags.syn", "Max Packet Length", "Packet Length Total", "ACK Flag Count",
      "Flow IAT Max", "Flow Duration",
    ]
    let pools = SyntheticChain.valuePools(features: features, packets: replay.packets)
    var offset = 0
    compiled = []
    for (k, p) in [(trees: 1, n: 4), (trees: 2, n: 2), (trees: 1, n: 3)].enumerated() {
      let own = ["k\(k)a", "k\(k)b"]
      let model = SyntheticChain.subModel(
        classes: own, features: features, trees: p.trees, leaves: 15, pools: pools, seed: seed + UInt64(k))
      compiled.append(
        try TableCompiler.compile(
          model,
          options: CompileOptions(
            name: "m\(k + 1)", modelID: k + 1, inferencePoint: p.n, classOffset: offset,
            scheme: EncodingScheme(timeQuantisation: TimeQuantisation(shifts: ["Flow IAT Max": 10])))))
      offset += own.count
    }
    generated = try P4Generator.generate(
      chain: compiled, targets: [.bmv2], options: P4BuildOptions(registerSize: slots))
    config = ChainEmulatorConfig(slots: slots, controllerPeriodPackets: period, recordPackets: true)
  }

  func expected() throws -> ChainRun {
    try ChainEmulator(stages: compiled.map(ChainStage.init), config: config).run(replay)
  }
}

/// The parts of the bmv2 replay that need no tool: output decoding, frame files, the record.
@Suite struct BMv2ReplayUnitTests {
  @Test func theLastSwitchsOutputIsDecodedAndChecked() throws {
    let chain = try TinyChain()
    let program = chain.generated[2].program
    let p = chain.replay.packets[3]
    let sent = ProgramReplay.frame(p, headers: program.headers)
    // What a switch makes of it: EtherType → DUNE, the shim after Ethernet (orig type, path, model,
    // class, flags, count).
    var got = Array(sent[0..<20]) + [0x88, 0xB5]
    got += [0x08, 0x00, 0, 1, 3, 5, 0xA0, 4] + sent[22...]
    let h = try BMv2Replay.duneHeader(got, sent: sent, program: program, packet: 0)
    #expect(h["class_id"] == 5 && h["flags"] == 0xA0 && h["model_id"] == 3 && h["pkt_count"] == 4)
    var altered = got
    altered[altered.count - 1] ^= 1
    #expect(throws: UsageError.self) { try BMv2Replay.duneHeader(altered, sent: sent, program: program, packet: 0) }
    #expect(throws: UsageError.self) { try BMv2Replay.duneHeader(sent, sent: sent, program: program, packet: 0) }
  }

  @Test func frameFilesRoundTrip() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let frames: [[UInt8]] = [[], [1, 2, 3], [UInt8](repeating: 7, count: 300)]
    try BMv2Replay.writeRecords(frames, to: path)
    #expect(try BMv2Replay.readRecords(path) == frames)
    try Data([0, 0, 1]).write(to: URL(fileURLWithPath: path))
    #expect(throws: LocatedError.self) { try BMv2Replay.readRecords(path) }
  }

  @Test func aRecordTellsWhetherItDescribesTheseProgramsAndRoundTrips() throws {
    let chain = try TinyChain()
    let switches = try chain.generated.map(BMv2Switch.init)
    let expected = try chain.expected()
    let n = chain.replay.packets.count
    let output = BMv2Replay.Output(
      classes: expected.packetClass, flags: expected.packetFlags, modelIDs: Array(repeating: 3, count: n),
      digests: expected.report.switches.map(\.digests), entries: [1, 2, 3], flowEntries: 0, duplicateFlowEntries: 0,
      registerWrites: 0, batches: 1, compileSeconds: 1, loadSeconds: 2, packetSeconds: 0.5)
    var wrong = output
    wrong.classes[7] &+= 1
    let bad = BMv2Agreement.compare(wrong, expected: expected, replay: chain.replay)
    #expect(bad.mismatches == 1 && !bad.agrees && bad.firstMismatches.first?.hasPrefix("packet 7 (flow ") == true)
    let a = BMv2Agreement.compare(output, expected: expected, replay: chain.replay)
    #expect(a.agrees)
    let record = BMv2Record(
      useCase: "tiny", date: BMv2Record.date(environment: ["SOURCE_DATE_EPOCH": "86400"]),
      tools: ["simple_switch": "x"],
      systems: [
        BMv2Record.system(
          name: "chain", switches: switches, output: output, agreement: a, controllerPeriodPackets: 8)
      ])
    #expect(record.date == "1970-01-02")
    #expect(BMv2Record.date(environment: [:]) == nil)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try P4Generator.write(chain.generated.flatMap(\.artifacts), to: dir + "/p4")
    try AtomicFile.write(try record.jsonText(), to: dir + "/bmv2.json")
    let read = try BMv2Record.load(path: dir + "/bmv2.json")
    #expect(read == record && read.systems[0].microsecondsPerPacket > 0)
    #expect(read.differences(p4Directory: dir + "/p4") == [])
    try AtomicFile.write(switches[1].commandsText + "\n", to: dir + "/p4/" + switches[1].commandsPath)
    try FileManager.default.removeItem(atPath: dir + "/p4/" + switches[2].programPath)
    #expect(
      read.differences(p4Directory: dir + "/p4") == [
        "chain: s2/bmv2/s2-commands.txt differs from the one bmv2 ran", "chain: s3/bmv2/s3.p4 is missing",
      ])
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs /usr/bin/python3"))
  func theDriverScriptCompiles() throws {
    let r = try ToolRun.run(
      "/usr/bin/python3", ["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())", BMv2Replay.defaultDriver])
    #expect(r.status == 0, "\(r.stderr)")
  }
}

/// The tiny chain in real bmv2 (skipped without the toolchain).
@Suite(.serialized) struct BMv2ReplayToolTests {
  static let tools: [P4Tools.Tool] = [.p4cBMv2, .simpleSwitch, .simpleSwitchCLI]
  static let skip = Comment(rawValue: P4Tools.missing(tools) ?? "")

  static func run(_ chain: TinyChain, switches: [BMv2Switch]) throws -> (BMv2Replay.Output, BMv2Agreement) {
    let tools = try #require(P4Tools.locate())
    let bmv2 = BMv2Replay(
      switches: switches, controllerPeriodPackets: chain.config.controllerPeriodPackets, tools: tools,
      driver: BMv2Replay.defaultDriver)
    let out = try bmv2.run(chain.replay.packets)
    return (out, BMv2Agreement.compare(out, expected: try chain.expected(), replay: chain.replay))
  }

  @Test(.enabled(if: P4Tools.missing(tools) == nil, skip))
  func aTinyChainLeavesBMv2ExactlyAsTheEmulatorSays() throws {
    let chain = try TinyChain()
    let expected = try chain.expected()
    #expect(expected.report.collisionPackets > 0 && expected.report.controllerActions > 0)
    let (out, a) = try Self.run(chain, switches: try chain.generated.map(BMv2Switch.init))
    for m in a.firstMismatches { Issue.record(Comment(rawValue: m)) }
    #expect(a.agrees, "digests bmv2 \(a.digests), emulator \(a.emulatorDigests)")
    #expect(out.digests.reduce(0, +) > 0 && out.flowEntries > 0 && out.registerWrites > 0)
    #expect(out.entries == chain.generated.map(\.entries.entries.count))
  }

  @Test(.enabled(if: P4Tools.missing(tools) == nil, skip))
  func aWrongProgramIsDetected() throws {
    // Switch 1 decides one packet later than the emulator thinks.
    let chain = try TinyChain()
    var switches = try chain.generated.map(BMv2Switch.init)
    var p = switches[0].program
    let i = try #require(p.constants.firstIndex { $0.name == "INFERENCE_POINT" })
    p.constants[i].value += 1
    switches[0].program = p
    switches[0].programText = V1ModelEmitter().emit(p)
    let (_, a) = try Self.run(chain, switches: switches)
    #expect(a.mismatches > 0)
  }
}
