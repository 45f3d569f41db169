import DUNESupport
import DataPlane
import Foundation
import P4
import Traffic

/// One switch as bmv2 runs it: the generated v1model program, its `simple_switch_CLI` command file
/// and its controller configuration, as `P4Generator` wrote them.
public struct BMv2Switch: Sendable {
  public var name: String
  public var program: P4Program
  public var programText: String
  public var commandsText: String
  public var controllerText: String
  /// The folder of the switch's files under a `p4/` output folder ("" or, for a second chain,
  /// e.g. `downstream/`).
  public var folder = ""

  /// The bmv2 artefacts of a generated switch; throws when they were not generated.
  public init(_ g: P4SwitchOutput) throws {
    func text(_ file: String) throws -> String {
      guard let a = g.artifacts.first(where: { $0.path == "\(g.name)/bmv2/\(file)" }) else {
        throw UsageError("switch \(g.name): no bmv2 \(file) was generated")
      }
      return a.text
    }
    name = g.name
    program = g.program
    programText = try text("\(g.program.name).p4")
    commandsText = try text(P4Generator.bmv2CommandsFile(g.program))
    controllerText = try text(ControllerConfig.fileName(g.program))
  }

  /// Where `P4Generator` puts the program and the command file, relative to its output folder.
  public var programPath: String { "\(folder)\(name)/bmv2/\(program.name).p4" }
  public var commandsPath: String { "\(folder)\(name)/bmv2/\(P4Generator.bmv2CommandsFile(program))" }
}

/// Packets through a chain of real bmv2 `simple_switch` processes, timed like the capture and with
/// the controller of `data-plane.md` §6 (the IO edge of `dune p4 bmv2`).
///
/// Every program is compiled as a replay build (`p4c-bm2-ss -DDUNE_REPLAY_TIME`,
/// `V1ModelEmitter.replayDefine`): each frame entering the first switch carries the packet's capture
/// time in an 8-byte header before Ethernet, which the switches use as their clock and pass on; the
/// last switch's output is decoded here. The driver script (`scripts/bmv2-chain.py`, run with
/// `/usr/bin/python3`, whose Debian thrift package talks to bmv2) starts one switch per program,
/// loads the command files with `simple_switch_CLI` (every line must be accepted), and runs the
/// stream in lockstep with the emulator's controller: batches of `controllerPeriodPackets` packets
/// through switch 1, then switch 2, …; then every digest of the batch is answered (flow entry on
/// every switch, registers at the slot zeroed, buffer acknowledged) before the next batch.
public struct BMv2Replay: Sendable {
  public var switches: [BMv2Switch]
  public var controllerPeriodPackets: Int
  public var tools: P4Tools
  /// The driver script.
  public var driver: String
  public var python = "/usr/bin/python3"
  /// Keep the working files (programs, bmv2 JSON, frames, switch logs) here; nil: a temporary
  /// folder, removed afterwards.
  public var workDirectory: String?
  /// Packets in flight per switch (bmv2's egress queues hold 64 and drop beyond).
  public var window = 32
  /// After a batch has left the last switch, digests are collected until no notification arrived
  /// for this long (the learning engine sends from its own thread; 20 ms proved too short on a
  /// loaded 2-core machine, where a digest then arrived after its batch).
  public var digestQuietMs = 100
  /// A batch's packets must leave a switch within this time, else the run fails (a drop).
  public var packetTimeoutSeconds = 30.0

  public init(switches: [BMv2Switch], controllerPeriodPackets: Int, tools: P4Tools, driver: String) {
    self.switches = switches
    self.controllerPeriodPackets = controllerPeriodPackets
    self.tools = tools
    self.driver = driver
  }

  /// What left the last switch, and what the run cost.
  public struct Output: Sendable, Equatable {
    /// DUNE header fields of every packet after the last switch (replay order).
    public var classes: [UInt8]
    public var flags: [UInt8]
    public var modelIDs: [UInt8]
    /// Learning notifications (digest samples) per switch.
    public var digests: [Int]
    /// Command-file entries `simple_switch_CLI` accepted, per switch.
    public var entries: [Int]
    /// Controller work: flow entries added (and refused as already present: the first decision is
    /// kept), register cells zeroed.
    public var flowEntries: Int
    public var duplicateFlowEntries: Int
    public var registerWrites: Int
    public var batches: Int
    /// Seconds compiling, starting the switches and loading the entries, and replaying the packets.
    public var compileSeconds: Double
    public var loadSeconds: Double
    public var packetSeconds: Double
  }

  /// The driver's `result.json`.
  struct DriverResult: Decodable {
    var error: String?
    var entries: [Int]?
    var digests: [Int]?
    var flowEntries: Int?
    var duplicateFlowEntries: Int?
    var registerWrites: Int?
    var batches: Int?
    var packetSeconds: Double?
    var loadSeconds: Double?
  }

  /// The scripts folder of this source tree (the driver's default location).
  public static var defaultDriver: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("scripts/bmv2-chain.py").path
  }

  /// Replays `packets` (in order) through the chain.
  public func run(_ packets: [Packet]) throws -> Output {
    guard !switches.isEmpty else { throw UsageError("no switch to run") }
    guard let p4c = tools.path(.p4cBMv2), let simpleSwitch = tools.path(.simpleSwitch),
      let cli = tools.path(.simpleSwitchCLI)
    else {
      let absent = [P4Tools.Tool.p4cBMv2, .simpleSwitch, .simpleSwitchCLI].filter { tools.path($0) == nil }
      throw UsageError("\(tools.binDirectory) lacks " + absent.map(\.rawValue).joined(separator: ", "))
    }
    let bmv2Python = tools.bmv2PythonDirectory
    guard FileManager.default.fileExists(atPath: bmv2Python + "/bm_runtime") else {
      throw UsageError("\(bmv2Python) lacks bmv2's generated Thrift modules (bm_runtime)")
    }
    guard FileManager.default.isExecutableFile(atPath: python) else { throw UsageError("\(python) not found") }
    guard FileManager.default.fileExists(atPath: driver) else {
      throw UsageError("driver script \(driver) not found (give --driver)")
    }
    let fm = FileManager.default
    // nanomsg ipc paths must fit a Unix socket address: always a short folder under /tmp.
    let sockets = "/tmp/dune-bmv2-" + String(UUID().uuidString.prefix(8))
    try fm.createDirectory(atPath: sockets, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: sockets) }
    let work = workDirectory ?? sockets + "/work"
    try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
    func path(_ p: String) -> String { (work as NSString).appendingPathComponent(p) }

    // 1. Replay builds of every program.
    let compileStart = Date()
    var jobSwitches: [[String: String]] = []
    for s in switches {
      let dir = path(s.name)
      try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
      let base = (dir as NSString).appendingPathComponent(s.program.name)
      try AtomicFile.write(s.programText, to: base + ".p4")
      try AtomicFile.write(s.commandsText, to: base + "-commands.txt")
      try AtomicFile.write(s.controllerText, to: base + ".controller.json")
      let r = try ToolRun.run(
        p4c,
        [
          "--std", "p4-16", "--target", "bmv2", "--arch", "v1model", "-D\(V1ModelEmitter.replayDefine)", "-o",
          base + ".json", base + ".p4",
        ])
      guard r.status == 0 else {
        throw LocatedError(
          file: base + ".p4",
          "p4c-bm2-ss -D\(V1ModelEmitter.replayDefine) failed:\n\(String((r.stderr + r.stdout).suffix(3000)))")
      }
      jobSwitches.append([
        "name": s.name, "json": base + ".json", "commands": base + "-commands.txt",
        "controller": base + ".controller.json", "log": base + ".switch.log",
      ])
    }
    let compileSeconds = Date().timeIntervalSince(compileStart)

    // 2. The frames and the job.
    let headers = switches[0].program.headers
    let frames = packets.map { ProgramReplay.frame($0, headers: headers) }
    try Self.writeRecords(frames, to: path("frames.bin"))
    let job: [String: Any] = [
      "simpleSwitch": simpleSwitch, "cli": cli, "bmv2Python": bmv2Python, "socketDir": sockets,
      "frames": path("frames.bin"), "output": path("output.bin"), "result": path("result.json"),
      "period": controllerPeriodPackets, "window": window, "digestQuietMs": digestQuietMs,
      "packetTimeoutS": packetTimeoutSeconds, "switches": jobSwitches,
    ]
    let jobData = try JSONSerialization.data(withJSONObject: job, options: [.sortedKeys, .prettyPrinted])
    try AtomicFile.write(jobData, to: path("job.json"))

    // 3. The driver (its progress lines go straight to our standard error).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [driver, path("job.json")]
    try process.run()
    process.waitUntilExit()
    guard let data = fm.contents(atPath: path("result.json")) else {
      throw UsageError("the bmv2 driver exited with status \(process.terminationStatus) and wrote no result")
    }
    let result = try JSONDecoder().decode(DriverResult.self, from: data)
    if let e = result.error { throw UsageError("bmv2: \(e)") }
    guard process.terminationStatus == 0, let digests = result.digests, let entries = result.entries else {
      throw UsageError("the bmv2 driver exited with status \(process.terminationStatus)")
    }

    // 4. What left the last switch.
    let outputs = try Self.readRecords(path("output.bin"))
    guard outputs.count == frames.count else {
      throw UsageError("\(outputs.count) packets left the last switch, \(frames.count) entered the first")
    }
    var out = Output(
      classes: [], flags: [], modelIDs: [], digests: digests, entries: entries, flowEntries: result.flowEntries ?? 0,
      duplicateFlowEntries: result.duplicateFlowEntries ?? 0, registerWrites: result.registerWrites ?? 0,
      batches: result.batches ?? 0, compileSeconds: compileSeconds, loadSeconds: result.loadSeconds ?? 0,
      packetSeconds: result.packetSeconds ?? 0)
    let last = switches[switches.count - 1].program
    for (i, (sent, got)) in zip(frames, outputs).enumerated() {
      let h = try Self.duneHeader(got, sent: sent, program: last, packet: i)
      out.classes.append(UInt8(truncatingIfNeeded: h["class_id"] ?? 0))
      out.flags.append(UInt8(truncatingIfNeeded: h["flags"] ?? 0))
      out.modelIDs.append(UInt8(truncatingIfNeeded: h["model_id"] ?? 0))
    }
    if workDirectory == nil { try? fm.removeItem(atPath: work) }
    return out
  }

  /// The DUNE header of a frame that left the last switch: the capture time must be the one sent,
  /// then Ethernet with the DUNE EtherType, the shim, and the sent frame's IPv4 packet unchanged.
  static func duneHeader(_ got: [UInt8], sent: [UInt8], program: P4Program, packet i: Int) throws -> [String: UInt64] {
    guard let dune = program.headers.first(where: { $0.instance == "dune" }),
      let ethernet = program.headers.first(where: { $0.instance == "ethernet" }),
      let etherType = program.constants.first(where: { $0.name == "ETHERTYPE_DUNE" })?.value
    else { throw UsageError("program \(program.name) declares no DUNE shim") }
    let time = V1ModelEmitter.replayTime.bitWidth / 8
    let eth = ethernet.bitWidth / 8
    let shim = dune.bitWidth / 8
    guard got.count == sent.count + shim, got.prefix(time + eth - 2) == sent.prefix(time + eth - 2),
      got.suffix(sent.count - time - eth) == sent.suffix(sent.count - time - eth),
      P4Frame.read(ethernet, from: got, at: time)?["ether_type"] == etherType,
      let h = P4Frame.read(dune, from: got, at: time + eth)
    else {
      throw UsageError(
        "packet \(i) left the last switch without the DUNE shim or altered (\(got.count) bytes, sent \(sent.count))")
    }
    return h
  }

  /// Records of a 4-byte big-endian length and the bytes (the driver's frame files).
  static func writeRecords(_ frames: [[UInt8]], to path: String) throws {
    var data = Data()
    data.reserveCapacity(frames.reduce(0) { $0 + 4 + $1.count })
    for f in frames {
      let n = UInt32(f.count)
      data.append(contentsOf: [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)])
      data.append(contentsOf: f)
    }
    try AtomicFile.write(data, to: path)
  }

  static func readRecords(_ path: String) throws -> [[UInt8]] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read the frames")
    }
    let bytes = [UInt8](data)
    var out: [[UInt8]] = []
    var i = 0
    while i < bytes.count {
      guard i + 4 <= bytes.count else { throw LocatedError(file: path, "truncated record at byte \(i)") }
      let n = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
      guard i + 4 + n <= bytes.count else { throw LocatedError(file: path, "truncated record at byte \(i)") }
      out.append(Array(bytes[(i + 4)..<(i + 4 + n)]))
      i += 4 + n
    }
    return out
  }
}
