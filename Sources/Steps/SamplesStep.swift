import DUNESupport
import Foundation
import Literate
import Traffic

/// `samples` (chapter 01): captures → hybrid sample tables per split and N, plus flow lengths
/// (`SampleGenerator`, the same code as `dune data samples`).
///
/// ```yaml
/// useCase: ${params.use-case}
/// data: ${step.dataset.dataDir}
/// n: [2, 3, 4]                       # optional; default the use case's inference points
/// captures: ${step.dataset.captures} # input: the capture bytes enter the cache key
/// ```
/// Writes `<uc>_<split>_<N>.csv`, `<uc>_<split>_flow_counts.csv` and the anchor `samples.json` (the
/// generation report). Values: `n` (list), `rows` (split → N → rows).
public struct SamplesStep: StepKind {
  public struct Arguments: Decodable, Sendable {
    public var useCase: String
    public var data: String?
    public var n: [Int]?
    public var captures: [String]?
  }

  public init() {}
  public let name = "samples"
  public var codeModules: [String] { ["Traffic"] }
  public var summary: String { "hybrid packet/flow sample tables per split and inference point N" }
  public var inputArguments: [String] { ["captures"] }
  public var outputs: [OutputDeclaration] { [OutputDeclaration("n", .list), OutputDeclaration("rows", .mapping)] }

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let uc = try DataFolder.useCase(a.useCase, in: context)
    let ns = a.n ?? uc.inferencePoints
    guard !ns.isEmpty, ns.allSatisfy({ $0 >= 2 }) else {
      throw StepError("n must list integers ≥ 2", argument: ["n"])
    }
    let folder = try DataFolder.resolve(uc, data: a.data, syntheticSeed: nil, in: context)
    let output = try SampleGenerator.run(
      useCase: uc, dataFolder: folder, options: .init(inferencePoints: ns), source: .captures)
    var report = output.report
    report.dataFolder = StepValues.projectRelative(folder, root: context.projectRoot)
    report.seconds = nil

    var rowsValue: [String: Value] = [:]
    var metrics: [Metric] = []
    var tableRows: [[String]] = []
    for s in UseCase.splitNames {
      var perN: [String: Value] = [:]
      for v in report.inferencePoints {
        let table = output.tables[s]![v]!
        try context.write(Data(table.csvBytes()), to: "\(uc.name)_\(s)_\(v).csv")
        let total = report.splits[s]!.rows[String(v)]!.total
        perN[String(v)] = .int(total)
        metrics.append(Metric("rows", Double(total), unit: "rows", labels: ["split": s, "n": String(v)]))
      }
      try context.write(output.flowCounts[s]!.csvText(), to: "\(uc.name)_\(s)_flow_counts.csv")
      let sr = report.splits[s]!
      metrics.append(Metric("flows", Double(sr.flows), unit: "flows", labels: ["split": s]))
      metrics.append(Metric("packets", Double(sr.packets), unit: "packets", labels: ["split": s]))
      metrics.append(Metric("captures", Double(sr.files), unit: "files", labels: ["split": s]))
      rowsValue[s] = .object(perN)
      tableRows.append(
        [s, String(sr.files), String(sr.packets), String(sr.flows)]
          + report.inferencePoints.map { String(sr.rows[String($0)]!.total) })
    }
    try context.write(try DeterministicJSON.text(report), to: "samples.json")

    var notes: [String] = []
    for b in report.badFiles { notes.append("skipped unreadable capture: \(b.error)") }
    let skipped = report.packets.skipped.keys.sorted().map { "\($0) \(report.packets.skipped[$0]!)" }
    if !skipped.isEmpty { notes.append("packets skipped: " + skipped.joined(separator: ", ")) }
    return StepOutput(
      values: ["n": StepValues.ints(report.inferencePoints), "rows": .object(rowsValue)],
      metrics: metrics,
      tables: [
        StepTable(
          id: "rows", caption: "Captures, packets, flows and sample rows per split and N",
          columns: ["split", "captures", "packets", "flows"] + report.inferencePoints.map { "rows N=\($0)" },
          rows: tableRows)
      ],
      notes: notes)
  }
}
