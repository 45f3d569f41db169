import DUNESupport
import DataPlane
import Foundation
import Traffic

/// A bmv2 replay of one system (the chain, or the monolithic switch) compared with the chain
/// emulator, packet by packet.
public struct BMv2Agreement: Sendable, Equatable {
  public var packets: Int
  public var flows: Int
  /// Packets whose DUNE header (class, flags) after the last switch differs from the emulator's.
  public var mismatches: Int
  /// Up to 5 disagreeing packets, described.
  public var firstMismatches: [String]
  /// Digests per switch: bmv2's learning notifications and the emulator's.
  public var digests: [Int]
  public var emulatorDigests: [Int]

  /// True when every packet and every switch's digest count agree.
  public var agrees: Bool { mismatches == 0 && digests == emulatorDigests }
  public var share: Double { packets == 0 ? 1 : Double(packets - mismatches) / Double(packets) }

  /// Compares `output` with the emulator's `expected` run of `replay` (recorded packets).
  public static func compare(_ output: BMv2Replay.Output, expected: ChainRun, replay: Replay) -> BMv2Agreement {
    var out = BMv2Agreement(
      packets: replay.packets.count, flows: replay.flowCount, mismatches: 0, firstMismatches: [],
      digests: output.digests, emulatorDigests: expected.report.switches.map(\.digests))
    for i in replay.packets.indices
    where output.classes[i] != expected.packetClass[i] || output.flags[i] != expected.packetFlags[i] {
      out.mismatches += 1
      if out.firstMismatches.count < 5 {
        let t = replay.flowTuple[Int(replay.flowOfPacket[i])]
        out.firstMismatches.append(
          "packet \(i) (flow \(t.flowID)): bmv2 class \(output.classes[i]) flags 0x\(String(output.flags[i], radix: 16)), "
            + "emulator class \(expected.packetClass[i]) flags 0x\(String(expected.packetFlags[i], radix: 16))")
      }
    }
    return out
  }
}

/// What `dune p4 bmv2 --record FILE` writes, and chapter 06 reads: one bmv2 run of a use case's
/// chain (and monolithic switch) against the emulator, with the digests of the programs and command
/// files it ran, so a report can tell whether the record still describes the programs it generates.
///
/// Format `dune-bmv2-record/1`, JSON with sorted keys. Only `date` (from `SOURCE_DATE_EPOCH`) and
/// the timings depend on when and where it ran.
public struct BMv2Record: Codable, Sendable, Equatable {
  public static let currentFormat = "dune-bmv2-record/1"

  /// One switch as it ran.
  public struct Switch: Codable, Sendable, Equatable {
    public var name: String
    /// The program and command file, relative to the `p4/` folder of the run that generated them.
    public var program: String
    public var commands: String
    public var programSHA256: String
    public var commandsSHA256: String
    public var entries: Int
    public var digests: Int
    public var emulatorDigests: Int
  }

  /// One system: the chain or the monolithic switch.
  public struct System: Codable, Sendable, Equatable {
    public var name: String
    public var switches: [Switch]
    public var packets: Int
    public var flows: Int
    public var mismatches: Int
    public var firstMismatches: [String]
    public var controllerPeriodPackets: Int
    public var flowEntries: Int
    public var duplicateFlowEntries: Int
    public var registerWrites: Int
    public var compileSeconds: Double
    public var loadSeconds: Double
    public var packetSeconds: Double
    /// Wall-clock time per replayed packet through the whole system (µs), controller included.
    public var microsecondsPerPacket: Double
    public var agrees: Bool
  }

  public var format: String
  public var useCase: String?
  /// UTC day of the run, only when `SOURCE_DATE_EPOCH` is set.
  public var date: String?
  /// What each tool says its version is (`P4Tools.version(of:)`).
  public var tools: [String: String]
  /// How the capture time reached the switches and how the controller ran.
  public var method: String
  public var systems: [System]

  public init(useCase: String?, date: String?, tools: [String: String], systems: [System]) {
    format = Self.currentFormat
    self.useCase = useCase
    self.date = date
    self.tools = tools
    method =
      "replay builds (p4c-bm2-ss -DDUNE_REPLAY_TIME): capture time in ns in a header before Ethernet as the switches' clock; "
      + "nanomsg packet interface; controller over Thrift after every batch of controllerPeriodPackets packets"
    self.systems = systems
  }

  /// One system's entry from its run and comparison.
  public static func system(
    name: String, switches: [BMv2Switch], output: BMv2Replay.Output, agreement: BMv2Agreement,
    controllerPeriodPackets: Int
  ) -> System {
    let s = zip(switches.indices, switches).map { k, sw in
      Switch(
        name: sw.name, program: sw.programPath, commands: sw.commandsPath, programSHA256: SHA256.hex(sw.programText),
        commandsSHA256: SHA256.hex(sw.commandsText), entries: output.entries[k], digests: output.digests[k],
        emulatorDigests: agreement.emulatorDigests[k])
    }
    return System(
      name: name, switches: s, packets: agreement.packets, flows: agreement.flows, mismatches: agreement.mismatches,
      firstMismatches: agreement.firstMismatches, controllerPeriodPackets: controllerPeriodPackets,
      flowEntries: output.flowEntries, duplicateFlowEntries: output.duplicateFlowEntries,
      registerWrites: output.registerWrites, compileSeconds: rounded(output.compileSeconds),
      loadSeconds: rounded(output.loadSeconds), packetSeconds: rounded(output.packetSeconds),
      microsecondsPerPacket: agreement.packets == 0
        ? 0 : rounded(output.packetSeconds * 1e6 / Double(agreement.packets)),
      agrees: agreement.agrees)
  }

  /// Timings to 3 decimals: enough for what they mean, and stable text.
  static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

  /// The UTC day named by `SOURCE_DATE_EPOCH`, if set.
  public static func date(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    guard let s = environment["SOURCE_DATE_EPOCH"], let t = Double(s) else { return nil }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    return f.string(from: Date(timeIntervalSince1970: t))
  }

  /// What no longer matches: per switch whose program or command file under `p4Directory` (the
  /// `p4/` folder a run generated) has other bytes than the ones recorded, or is missing, a line
  /// naming it. Empty when the record describes exactly these programs.
  public func differences(p4Directory: String) -> [String] {
    var out: [String] = []
    for s in systems {
      for sw in s.switches {
        for (file, digest) in [(sw.program, sw.programSHA256), (sw.commands, sw.commandsSHA256)] {
          let path = (p4Directory as NSString).appendingPathComponent(file)
          guard let now = try? SHA256.hexOfFile(atPath: path) else {
            out.append("\(s.name): \(file) is missing")
            continue
          }
          if now != digest { out.append("\(s.name): \(file) differs from the one bmv2 ran") }
        }
      }
    }
    return out
  }

  /// The record as written: pretty, sorted keys, trailing newline.
  public func jsonText() throws -> String {
    try DeterministicJSON.text(self)
  }

  /// Reads a record; errors name the file.
  public static func load(path: String) throws -> BMv2Record {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read the bmv2 record")
    }
    let r: BMv2Record
    do {
      r = try JSONDecoder().decode(BMv2Record.self, from: data)
    } catch {
      throw LocatedError(file: path, "not a bmv2 record: \(error)")
    }
    guard r.format == currentFormat else {
      throw LocatedError(file: path, "format '\(r.format)', expected '\(currentFormat)'")
    }
    return r
  }
}
