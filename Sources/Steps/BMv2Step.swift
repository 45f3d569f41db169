import DUNESupport
import Foundation
import Literate
import P4Toolchain

/// `bmv2` (chapter 06, after `dataplane`): the recorded run of the chain's programs in real bmv2
/// (`dune p4 bmv2 --record`), beside the emulator and the P4 interpreter.
///
/// Never runs a tool: the run needs p4c and bmv2, while `dune run` must give the same bytes on any
/// machine, so the step reads the committed record (an optional input: absent, it says how to make
/// it) and checks it against the programs the dataplane step just generated — a record whose
/// program or command-file digests differ is shown as stale.
struct BMv2Step: StepKind {
  struct Arguments: Decodable, Sendable {
    /// The dataplane step's `chain/chain.json` (its `p4/` folder lies beside `chain/`).
    var chain: String
    /// The dataplane step's `p4_verification.json` (the interpreter's replay, shown alongside).
    var verification: String
    /// The record, e.g. `toolchain/<use case>/bmv2.json`; may be absent.
    var record: String
    /// The dataplane step's `p4_manifest.txt` (a digest per generated file): an input only, so that
    /// a changed program reruns this step and it can say the record is stale.
    var programs: String?
    /// For the instructions: the use case and its data folder as the run used them.
    var useCase: String
    var data: String?
    /// Whether the dataplane step also built the chain with downstream-only `Other` (the command
    /// then records it too).
    var downstream: Bool?
  }

  let name = "bmv2"
  var codeModules: [String] { ["DUNESupport", "P4Toolchain"] }
  let summary =
    "The chain and monolithic switch in real bmv2 (recorded by dune p4 bmv2), packet by packet against the emulator."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("recorded", .bool), OutputDeclaration("stale", .bool),
      // null without a record.
      OutputDeclaration("agreement", .any, unit: "fraction"),
    ]
  }
  var inputArguments: [String] { ["chain", "verification", "record", "programs"] }
  var optionalInputArguments: [String] { ["record"] }

  /// The interpreter's replay in `p4_verification.json` (the fields shown here).
  struct Verification: Decodable {
    struct Replay: Decodable {
      var packets: Int
      var mismatches: Int
      var programDigests: Int
      var emulatorDigests: Int
    }
    var chainReplay: Replay
    var downstreamChainReplay: Replay?
    var monolithicReplay: Replay?
  }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let p4Dir = ChainStepSupport.p4Directory(besideChain: a.chain, in: context)
    let verification: Verification
    do {
      verification = try JSONDecoder().decode(
        Verification.self, from: Data(contentsOf: URL(fileURLWithPath: context.resolve(a.verification))))
    } catch {
      throw StepError("cannot read the P4 verification: \(error)", argument: ["verification"])
    }
    let command =
      "swift run -c release dune p4 bmv2 --chain RESULTS/\(context.chapter)/dataplane/chain/chain.json "
      + "--use-case \(a.useCase)" + (a.data.map { $0.isEmpty ? "" : " --data \($0)" } ?? "")
      + (a.downstream == true ? " --downstream" : "") + " --monolithic --record \(a.record)"
    let howTo =
      "to (re)record: with p4c-bm2-ss, simple_switch and simple_switch_CLI installed (README, \"Generated P4\"), run `\(command)` "
      + "(RESULTS: this run's --results folder), then re-run chapter 06"
    let recordPath = context.resolve(a.record)
    guard FileManager.default.fileExists(atPath: recordPath) else {
      return StepOutput(
        values: ["recorded": .bool(false), "stale": .bool(false), "agreement": .null],
        notes: ["no bmv2 record at \(a.record): the chain has not been run in bmv2 for this use case", howTo])
    }
    let record: BMv2Record
    do {
      record = try BMv2Record.load(path: recordPath)
    } catch {
      throw StepError("\(error)", argument: ["record"])
    }
    var differences = record.differences(p4Directory: p4Dir)
    let interpreted = [
      ("chain", verification.chainReplay), ("downstream", verification.downstreamChainReplay),
      ("monolithic", verification.monolithicReplay),
    ].compactMap { name, r in r.map { (name, $0) } }
    for s in record.systems {
      if let v = interpreted.first(where: { $0.0 == s.name })?.1, v.packets != s.packets {
        differences.append("\(s.name): recorded on \(s.packets) packets, this run replays \(v.packets)")
      }
    }
    let stale = !differences.isEmpty
    let state = stale ? "stale" : "current"
    var rows: [[String]] = []
    var switchRows: [[String]] = []
    var metrics: [Metric] = []
    for s in record.systems {
      let share = s.packets == 0 ? 1 : Double(s.packets - s.mismatches) / Double(s.packets)
      let digests = s.switches.reduce(0) { $0 + $1.digests }
      let emulatorDigests = s.switches.reduce(0) { $0 + $1.emulatorDigests }
      if let v = interpreted.first(where: { $0.0 == s.name })?.1 {
        rows.append([
          s.name, "P4 interpreter (this run)", String(s.switches.count), String(v.packets), String(v.mismatches),
          NumberFormat.fixed(Double(v.packets - v.mismatches) / Double(max(v.packets, 1)) * 100, 4),
          String(v.programDigests), String(v.emulatorDigests), "", "current",
        ])
      }
      rows.append([
        s.name, "bmv2 simple_switch (recorded)", String(s.switches.count), String(s.packets), String(s.mismatches),
        NumberFormat.fixed(share * 100, 4), String(digests), String(emulatorDigests),
        NumberFormat.fixed(s.microsecondsPerPacket, 1), state,
      ])
      metrics.append(Metric("bmv2Agreement", share * 100, unit: "%", labels: ["system": s.name]))
      metrics.append(
        Metric("bmv2MicrosecondsPerPacket", s.microsecondsPerPacket, unit: "µs", labels: ["system": s.name]))
      for sw in s.switches {
        switchRows.append([
          s.name, sw.name, String(sw.entries), String(sw.digests), String(sw.emulatorDigests),
          String(sw.programSHA256.prefix(12)), String(sw.commandsSHA256.prefix(12)),
        ])
      }
    }
    let agreement =
      record.systems.map { $0.packets == 0 ? 1 : Double($0.packets - $0.mismatches) / Double($0.packets) }.min() ?? 1
    var notes = [
      "record \(a.record)" + (record.date.map { " of \($0)" } ?? "") + ": "
        + record.tools.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "),
      "method: \(record.method)",
    ]
    for s in record.systems {
      notes.append(
        "\(s.name): controller every \(s.controllerPeriodPackets) packets, \(s.flowEntries) flow entries added "
          + "(\(s.duplicateFlowEntries) already present), \(s.registerWrites) register cells zeroed; "
          + "compile \(NumberFormat.fixed(s.compileSeconds, 1)) s, start and load \(NumberFormat.fixed(s.loadSeconds, 1)) s, "
          + "packets \(NumberFormat.fixed(s.packetSeconds, 1)) s")
      for m in s.firstMismatches { notes.append("\(s.name): \(m)") }
    }
    if stale {
      notes.append(
        "STALE: the record does not describe the programs this run generated ("
          + differences.prefix(5).joined(separator: "; ")
          + (differences.count > 5 ? "; …" : "") + ")")
      notes.append(howTo)
    }
    let tables = [
      StepTable(
        id: "bmv2-replay",
        caption:
          "The test packets through the generated programs, compared packet by packet with the chain emulator (class and flags after the last switch, digests per switch): in the P4 interpreter on this run, and in real bmv2 as recorded by dune p4 bmv2 (capture time carried to the switches, controller every P packets). 'stale' means the recorded programs are not the ones this run generated.",
        columns: [
          "system", "run", "switches", "packets", "mismatches", "agreement %", "digests", "emulator digests",
          "µs per packet", "programs",
        ], rows: rows),
      StepTable(
        id: "bmv2-switches",
        caption:
          "Per switch of the recorded bmv2 run: command-file entries simple_switch_CLI accepted, digests (bmv2 and emulator), and the first 12 hex digits of the SHA-256 of the program and command file it ran.",
        columns: ["system", "switch", "entries", "digests", "emulator digests", "program sha256", "commands sha256"],
        rows: switchRows),
    ]
    return StepOutput(
      values: ["recorded": .bool(true), "stale": .bool(stale), "agreement": .double(agreement)], metrics: metrics,
      tables: tables, notes: notes)
  }
}
