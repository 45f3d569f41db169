import DUNESupport
import Foundation
import Literate
import P4Toolchain

/// `p4compile` (chapter 06, after `dataplane`): the recorded compile of every generated program
/// (`dune p4 compile --record`), with the Tofino compiler's resources beside the resource model's.
///
/// Never runs a tool, for the reason `BMv2Step` gives: it reads the committed record (an optional
/// input: absent, it says how to make it), marks it stale when the programs this run generated are
/// not the ones compiled, and compares stages, TCAM and SRAM blocks per switch.
struct P4CompileStep: StepKind {
  struct Arguments: Decodable, Sendable {
    /// The dataplane step's `chain/chain.json` (its `p4/` folder lies beside `chain/`).
    var chain: String
    /// The dataplane step's resource estimates, in chain order: `resources.json` and, when the
    /// downstream chain was built, `resources_downstream.json`.
    var resources: String
    var downstreamResources: String?
    /// The record, e.g. `toolchain/<use case>/compile.json`; may be absent.
    var record: String
    /// The dataplane step's `p4_manifest.txt` (a digest per generated file): an input only, so that
    /// a changed program reruns this step and it can say the record is stale.
    var programs: String?
  }

  let name = "p4compile"
  var codeModules: [String] { ["DUNESupport", "P4Toolchain"] }
  let summary =
    "Every generated program through p4c-bm2-ss and the Tofino compiler (recorded by dune p4 compile), with compiler-reported resources beside the model's."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("recorded", .bool), OutputDeclaration("stale", .bool),
      // null without a record.
      OutputDeclaration("compiledShare", .any, unit: "fraction"),
    ]
  }
  var inputArguments: [String] { ["chain", "resources", "downstreamResources", "record", "programs"] }
  var optionalInputArguments: [String] { ["record"] }

  /// The fields of a `ResourceEstimate` compared here.
  struct Estimate: Decodable {
    var stages: Int
    var tcamBlocks: Int
    var sramBlocks: Int
  }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let p4Dir = ChainStepSupport.p4Directory(besideChain: a.chain, in: context)
    func estimates(_ arg: String?, _ name: String) throws -> [Estimate] {
      guard let arg else { return [] }
      do {
        return try JSONDecoder().decode(
          [Estimate].self, from: Data(contentsOf: URL(fileURLWithPath: context.resolve(arg))))
      } catch {
        throw StepError("cannot read the resource estimates: \(error)", argument: [name])
      }
    }
    let models = [
      ("chain", "", try estimates(a.resources, "resources")),
      ("downstream", "downstream/", try estimates(a.downstreamResources, "downstreamResources")),
    ]
    let howTo =
      "to (re)record: with p4c-bm2-ss and bf-p4c-check (or at least p4test-tna) installed (README, \"Generated P4\"), "
      + "run `swift run -c release dune p4 compile --results RESULTS --record \(a.record)` "
      + "(RESULTS: this run's --results folder), then re-run the chapters"
    let recordPath = context.resolve(a.record)
    guard FileManager.default.fileExists(atPath: recordPath) else {
      return StepOutput(
        values: ["recorded": .bool(false), "stale": .bool(false), "compiledShare": .null],
        notes: [
          "no compile record at \(a.record): the generated programs have not been compiled for this use case", howTo,
        ])
    }
    let record: CompileRecord
    do {
      record = try CompileRecord.load(path: recordPath)
    } catch {
      throw StepError("\(error)", argument: ["record"])
    }
    let differences = record.differences(p4Directory: p4Dir, chapter: context.chapter)
    // This chapter's programs by their path below the step's p4/ folder.
    var ours: [String: CompileRecord.Program] = [:]
    for p in record.programs {
      if let at = CompileRecord.location(of: p.path), at.chapter == context.chapter { ours[at.rest] = p }
    }
    let stale = !differences.isEmpty

    // Per chapter folder and target: how many programs got how far.
    var summary: [String: [String: Int]] = [:]
    for p in record.programs {
      let chapter = String(p.path.split(separator: "/").first ?? "")
      summary[chapter + " " + p.target, default: [:]][p.outcome.rawValue, default: 0] += 1
    }
    let outcomes = CompileRecord.Outcome.allCases.map(\.rawValue)
    let summaryRows = summary.keys.sorted().map { key -> [String] in
      let counts = summary[key] ?? [:]
      let parts = key.split(separator: " ").map(String.init)
      return parts + outcomes.map { String(counts[$0] ?? 0) } + [String(counts.values.reduce(0, +))]
    }

    var switchRows: [[String]] = []
    var errors: [(String, Int, Int)] = []  // column, compiler, model
    var metrics: [Metric] = []
    for (system, folder, estimates) in models {
      for (k, e) in estimates.enumerated() {
        let sw = "s\(k + 1)"
        guard let p = ours[folder + "\(sw)/tofino/\(sw).p4"] else { continue }
        let bmv2 = ours[folder + "\(sw)/bmv2/\(sw).p4"]
        func pair(_ c: Int?, _ m: Int, _ column: String) -> [String] {
          if let c { errors.append((column, c, m)) }
          return [c.map(String.init) ?? "–", String(m)]
        }
        switchRows.append(
          [system, sw, bmv2?.outcome.rawValue ?? "–", p.outcome.rawValue]
            + pair(p.stages, e.stages, "stages") + pair(p.tcamBlocks, e.tcamBlocks, "TCAM blocks")
            + pair(p.sramBlocks, e.sramBlocks, "SRAM blocks"))
        let labels = ["system": system, "switch": sw]
        if let s = p.stages { metrics.append(Metric("compilerStages", Double(s), unit: "stages", labels: labels)) }
        if let t = p.tcamBlocks {
          metrics.append(Metric("compilerTCAMBlocks", Double(t), unit: "blocks", labels: labels))
        }
        if let s = p.sramBlocks {
          metrics.append(Metric("compilerSRAMBlocks", Double(s), unit: "blocks", labels: labels))
        }
      }
    }
    var errorRows: [[String]] = []
    for column in ["stages", "TCAM blocks", "SRAM blocks"] {
      let e = errors.filter { $0.0 == column }
      guard !e.isEmpty else { continue }
      let signed = e.map { Double($0.1 - $0.2) }
      let mean = signed.reduce(0, +) / Double(e.count)
      let absolute = signed.map(abs).reduce(0, +) / Double(e.count)
      let exact = e.filter { $0.1 == $0.2 }.count
      errorRows.append([
        column, String(e.count), NumberFormat.fixed(mean, 2), NumberFormat.fixed(absolute, 2), String(exact),
      ])
      metrics.append(Metric("modelMeanAbsoluteError", absolute, unit: column, labels: ["column": column]))
    }
    let compiled = record.programs.filter { $0.outcome != .failed }.count
    let share = record.programs.isEmpty ? 1 : Double(compiled) / Double(record.programs.count)
    metrics.append(Metric("compiledShare", share * 100, unit: "%"))

    var notes = [
      "record \(a.record)" + (record.date.map { " of \($0)" } ?? "") + ": "
        + record.tools.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "),
      "\(compiled) of \(record.programs.count) programs compiled"
        + (record.programs.contains { $0.outcome == .frontEndOnly }
          ? "; TNA programs passed the front and mid end only (the Tofino back end was not installed where the record was made)"
          : ""),
    ]
    let assembler = record.programs.compactMap(\.assemblerWarnings).filter { $0 > 0 }
    if !assembler.isEmpty {
      notes.append(
        "the assembler bfas printed \(assembler.reduce(0, +)) warnings on the Tofino compiler's assembly of "
          + "\(assembler.count) programs (about the compiler's output, not the P4 source: a hash group it declares "
          + "twice for the 32-bit flow hash, tables it placed as mutually exclusive in one stage that bfas cannot "
          + "prove exclusive; see `dune p4 compile`)")
    }
    for p in record.programs where p.outcome == .failed {
      notes.append(
        "FAILED \(p.path) (\(p.compiler)): "
          + (p.message ?? "").split(separator: "\n").prefix(3).joined(separator: " / "))
    }
    if stale {
      notes.append(
        "STALE: the record does not describe the programs this run generated ("
          + differences.prefix(5).joined(separator: "; ") + (differences.count > 5 ? "; …" : "") + ")")
      notes.append(howTo)
    }
    var tables = [
      StepTable(
        id: "p4-compile",
        caption:
          "Every generated program of the run by chapter and target, by how far the real compiler took it: p4c-bm2-ss for v1model; for TNA, p4c-barefoot plus the assembler bfas ('assembled': it places on the target) or only the open-source front and mid end ('front end only').",
        columns: ["chapter", "target"] + outcomes + ["programs"], rows: summaryRows)
    ]
    if !switchRows.isEmpty {
      tables.append(
        StepTable(
          id: "p4-resources",
          caption:
            "Per switch of the chains: the Tofino compiler's stages, TCAM and SRAM blocks (its resources.json) beside the resource model's.",
          columns: [
            "system", "switch", "bmv2", "tofino", "stages (compiler)", "stages (model)", "TCAM (compiler)",
            "TCAM (model)", "SRAM (compiler)", "SRAM (model)",
          ], rows: switchRows))
    }
    if !errorRows.isEmpty {
      tables.append(
        StepTable(
          id: "p4-model-error",
          caption:
            "The resource model against the compiler, per column: mean of compiler − model, mean absolute difference, and switches where they agree exactly.",
          columns: ["column", "switches", "mean error", "mean absolute error", "exact"], rows: errorRows))
    }
    return StepOutput(
      values: ["recorded": .bool(true), "stale": .bool(stale), "compiledShare": .double(share)], metrics: metrics,
      tables: tables, notes: notes)
  }
}
