import DUNESupport
import Foundation
import Literate
import Report
import Traffic

/// `dataset` (chapter 00): resolves the use case and its data (generating the synthetic dataset when
/// needed) and describes it: captures, packets, flows and files per class, and flow lengths.
///
/// ```yaml
/// useCase: synthetic        # built-in name or a use-case JSON file
/// data: ""                  # optional data folder; "" = the use case's default
/// seed: 42                  # generator seed of the synthetic dataset
/// ```
/// Values: `useCase`, `classes` (use-case order, unwanted classes removed), `captures` (project-relative
/// capture paths in byte order), `dataDir`. The description reuses the sample generator (N = 2) so the
/// counts are exactly what step 1 will see.
public struct DatasetStep: StepKind {
  public struct Arguments: Decodable, Sendable {
    public var useCase: String
    public var data: String?
    public var seed: Int?
  }

  public init() {}
  public let name = "dataset"
  public var codeModules: [String] { ["Report", "Traffic"] }
  public var summary: String { "the use case's data: captures, class distribution, flow lengths" }
  public var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("useCase", .string), OutputDeclaration("classes", .list),
      OutputDeclaration("captures", .list), OutputDeclaration("dataDir", .string),
      OutputDeclaration("flows", .integer, unit: "flows"), OutputDeclaration("packets", .integer, unit: "packets"),
    ]
  }

  /// Upper bounds of the flow-length histogram bins (packets); the last bin is open.
  static let lengthBins = [1, 2, 3, 4, 5, 10, 20, 50, 100, Int.max]

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let uc = try DataFolder.useCase(a.useCase, in: context)
    if let s = a.seed, s < 0 { throw StepError("seed must be ≥ 0", argument: ["seed"]) }
    let folder = try DataFolder.resolve(uc, data: a.data, syntheticSeed: a.seed.map { UInt64($0) }, in: context)
    let captures = try CaptureFiles.list(useCase: uc, dataFolder: folder)
    let relFolder = StepValues.projectRelative(folder, root: context.projectRoot)
    let capturePaths = captures.map { relFolder == "." ? $0 : (relFolder as NSString).appendingPathComponent($0) }
    let output = try SampleGenerator.run(
      useCase: uc, dataFolder: folder, options: .init(inferencePoints: [2]), source: .captures)
    let classes = uc.classes.filter { !uc.unwantedClasses.contains($0) }

    // Per class: flows, packets (Σ L) and captures holding at least one of its flows, over both splits.
    var flows: [String: Int] = [:]
    var packets: [String: Int] = [:]
    var files: [String: Set<String>] = [:]
    var lengths: [Int] = []
    for s in UseCase.splitNames {
      let fc = output.flowCounts[s]!
      for k in fc.keys {
        let e = fc[k]!
        flows[e.label, default: 0] += 1
        packets[e.label, default: 0] += e.packetCount
        files[e.label, default: []].insert(k.file)
        lengths.append(e.packetCount)
      }
    }
    var rows: [[String]] = []
    var metrics: [Metric] = [Metric("captures", Double(captures.count), unit: "files")]
    for c in classes {
      let f = files[c]?.count ?? 0
      rows.append([c, String(f), String(packets[c] ?? 0), String(flows[c] ?? 0)])
      metrics.append(Metric("flows", Double(flows[c] ?? 0), unit: "flows", labels: ["class": c]))
      metrics.append(Metric("packets", Double(packets[c] ?? 0), unit: "packets", labels: ["class": c]))
    }
    let totalFlows = lengths.count
    metrics.append(Metric("flowsTotal", Double(totalFlows), unit: "flows"))
    metrics.append(Metric("packetsUsed", Double(output.report.packets.used), unit: "packets"))

    // Flow-length histogram: how many flows end before N = 2, 3, 4 matters for the hybrid samples.
    var binRows: [[String]] = []
    var lower = 1
    for (i, upper) in Self.lengthBins.enumerated() {
      let isLast = i == Self.lengthBins.count - 1
      let n = lengths.filter { $0 >= lower && (isLast || $0 <= upper) }.count
      let label = isLast ? "≥ \(lower)" : (lower == upper ? "\(lower)" : "\(lower)–\(upper)")
      let share = totalFlows == 0 ? 0 : Double(n) / Double(totalFlows) * 100
      binRows.append([label, String(n), NumberFormat.fixed(share, 1)])
      if !isLast { lower = upper + 1 }
    }
    let sorted = lengths.sorted()
    let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    metrics.append(Metric("flowLengthMedian", Double(median), unit: "packets"))
    let short = lengths.filter { $0 < 4 }.count
    metrics.append(
      Metric("flowsShorterThan4", totalFlows == 0 ? 0 : Double(short) / Double(totalFlows) * 100, unit: "%"))

    let chart = ChartSpec.bar(
      BarChart(
        labels: ChartLabels(
          title: "Class distribution (\(uc.name))",
          description: "Flows and thousands of packets per class, train and test splits together",
          xLabel: "class", yLabel: "count"),
        categories: classes,
        series: [
          BarSeries("flows", classes.map { Double(flows[$0] ?? 0) }),
          BarSeries("packets / 1000", classes.map { Double(packets[$0] ?? 0) / 1000 }),
        ],
        mode: .grouped, orientation: .horizontal, valueDecimals: 0))
    let figure = StepFigures.make(
      chart, id: "fig-class-distribution",
      caption: "Flows and packets (thousands) per class. Unequal bars mean the macro F1 of later chapters "
        + "weighs rare classes as much as common ones.", shows: ["flows", "packets", "classes"], in: context)

    var notes: [String] = []
    for b in output.report.badFiles { notes.append("skipped unreadable capture: \(b.error)") }
    return StepOutput(
      values: [
        "useCase": .string(uc.name), "classes": StepValues.strings(classes),
        "captures": StepValues.strings(capturePaths), "dataDir": .string(relFolder),
        "flows": .int(totalFlows), "packets": .int(output.report.packets.used),
      ],
      metrics: metrics, figures: [figure],
      tables: [
        StepTable(
          id: "classes", caption: "Per class: captures, packets (flow lengths summed) and flows",
          columns: ["class", "captures", "packets", "flows"], rows: rows),
        StepTable(
          id: "flow-lengths", caption: "Flow lengths L (packets per flow, both splits)",
          columns: ["L", "flows", "share %"], rows: binRows),
      ],
      notes: notes)
  }
}
