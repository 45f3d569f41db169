import DUNESupport
import DataPlane
import Experiments
import Forest
import Foundation
import Literate
import Partition
import Report
import Traffic

/// `sweep.length` (chapter 06): chained FL macro F1 against the number of switches. For every
/// length k the partition is greedy's level with exactly k blocks (chapter 03's SPP on chapter
/// 02's W and F), the chain is built as chapters 04–05 do, and the monolithic switch gets the TCAM
/// of that chain's busiest switch.
struct ChainLengthStep: StepKind {
  struct Arguments: Decodable, Sendable {
    /// Chapter 02's W and F.
    var weights: String
    var scores: String
    var samples: String
    /// Chapter 04's `candidates.csv` and chapter 03's `partition.csv` (the run's own chain).
    var candidates: String
    var partition: String
    var useCase: String
    var data: String?
    var profile: String?
    var seed: Int?
    var timeShift: Int?
    /// Chain lengths (numbers of blocks) to build.
    var lengths: [Int]
    /// r, the SPP's feature count (chapter 03: 15).
    var features: Int?
  }

  let name = "sweep.length"
  var codeModules: [String] { ["DataPlane", "Experiments", "Forest", "Partition", "Report", "Traffic"] }
  let summary = "DUNE (both Other variants) vs the monolithic switch for chains of 2, 3, 4, … switches."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("lengths", .list), OutputDeclaration("bestLength", .any, unit: "switches"),
      OutputDeclaration("bestMacroF1FL", .any, unit: "fraction"),
    ]
  }
  var inputArguments: [String] { ["weights", "scores", "samples", "candidates", "partition"] }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let u = try ChainStepSupport.useCase(a.useCase, in: context)
    guard !a.lengths.isEmpty, a.lengths.allSatisfy({ $0 >= 1 }) else {
      throw StepError("lengths must be a non-empty list of positive block counts", argument: ["lengths"])
    }
    let weights = try CSVTable.read(path: context.resolve(a.weights))
    let scores = try CSVTable.read(path: context.resolve(a.scores))
    let problem = try SPPProblem.parse(
      weights: weights, scores: scores,
      options: SPPLoadOptions(
        classes: min(weights.records.count, SPPProblem.maxClasses),
        features: min(a.features ?? 15, max(1, weights.header.count - 1))))
    let own = try ChainStepSupport.located("partition") {
      try ClusterPartitionFile.load(path: context.resolve(a.partition))
    }
    // Greedy's level with exactly k blocks for every k (degenerate levels may skip one).
    var partitions: [(label: String, gain: Double?, blocks: [ClusterDefinition])] = []
    var skipped: [Int] = []
    for k in Array(Set(a.lengths)).sorted() {
      guard k <= problem.classCount - 1,
        let s = try? SPPSolution.solve(problem, method: .greedy, blocks: k)
      else {
        skipped.append(k)
        continue
      }
      partitions.append((String(k), s.partition.totalGain, clusterDefinitions(s)))
    }
    if !partitions.contains(where: { $0.blocks.map(\.classes) == own.map(\.classes) }) {
      partitions.append(("\(own.count) (chapter 03)", nil, own))
    }
    partitions.sort { $0.blocks.count < $1.blocks.count }

    let chapter04 = try ExperimentSetup.candidates(a.candidates, context: context)
    let data = try ExperimentSetup.load(
      useCase: u, samples: a.samples, data: a.data, profile: a.profile,
      n: ExperimentSetup.inferencePoints(chapter04), timeShift: a.timeShift,
      context: context)
    let seed = UInt64(max(0, a.seed ?? 42))
    let lab = ExperimentSetup.lab(
      data, seed: seed, chapterSeed: seed, chapter04: chapter04,
      threads: ProcessInfo.processInfo.activeProcessorCount)
    // Every new block's grid in one cluster analysis, so all cores share the work.
    _ = try lab.candidates(partitions.flatMap(\.blocks))
    let progress = ProgressReporting.counter("chain lengths", total: partitions.count, unit: "chains")
    defer { progress.finish() }
    let results = try partitions.map { p in
      defer { progress.advance() }
      return try lab.compare(p.blocks)
    }

    var metrics: [Metric] = []
    var rows: [[String]] = []
    for (p, c) in zip(partitions, results) {
      metrics += ExperimentSetup.metrics(c, labels: ["switches": String(p.blocks.count)])
      rows.append(
        [
          p.label, p.gain.map { NumberFormat.fixed($0, 5) } ?? "–", String(c.monolithicLimits.tcamBlocks),
        ] + ExperimentSetup.comparisonCells(c))
    }
    struct LengthPoint: Encodable {
      var switches: Int
      var comparison: Comparison
    }
    try context.write(
      try DeterministicJSON.text(
        zip(partitions, results).map { LengthPoint(switches: $0.blocks.count, comparison: $1) }),
      to: "chain_lengths.json")
    func points(_ f: (Comparison) -> Double?) -> [ChartPoint] {
      zip(partitions, results).compactMap { p, c in f(c).map { ChartPoint(Double(p.blocks.count), $0 * 100) } }
    }
    let chart = LineChart(
      labels: ChartLabels(
        title: "Chained FL macro F1 vs chain length",
        description:
          "greedy's partition with exactly k blocks; the monolithic switch gets the TCAM of the chain's busiest switch",
        xLabel: "switches on the path (blocks)", yLabel: "chained FL macro F1 (%)"),
      series: [
        PointSeries("DUNE, reference Other", points { $0.dune(.reference)?.macroF1FL }),
        PointSeries("DUNE, downstream-only Other", points { $0.dune(.downstream)?.macroF1FL }),
        PointSeries("monolithic, same per-switch TCAM", points { $0.monolithic?.macroF1FL }),
      ], xDecimals: 0, yDecimals: 1)
    let best = zip(partitions, results).compactMap { p, c in c.dune(.reference).map { (p.blocks.count, $0.macroF1FL) } }
      .max { $0.1 < $1.1 }
    var notes = ["lengths \(partitions.map(\.blocks.count)); seed \(seed)"]
    if !skipped.isEmpty { notes.append("no greedy level with exactly \(skipped) blocks") }
    return StepOutput(
      values: [
        "lengths": .array(partitions.map { .int($0.blocks.count) }),
        "bestLength": best.map { .int($0.0) } ?? .null, "bestMacroF1FL": best.map { .double($0.1) } ?? .null,
      ],
      metrics: metrics,
      figures: [
        ChainStepSupport.figure(
          "fig-chain-length",
          caption:
            "Chained FL macro F1 (strict) of DUNE chains of k switches (greedy's best partition into exactly k blocks; chapter 03's own partition is one of the points) in both Other variants, and of the monolithic switch with the TCAM of each chain's busiest switch.",
          .line(chart), shows: ["chainedMacroF1FL", "chain-length"], context: context)
      ],
      tables: [
        StepTable(
          id: "chain-length",
          caption:
            "Per chain length: the partition's total gain G, the monolithic switch's TCAM budget (the chain's busiest switch), chained FL macro F1 (%, strict) and resources as in the budget sweep.",
          columns: ["switches", "G", "budget (TCAM blocks)"] + ExperimentSetup.comparisonColumns, rows: rows)
      ], notes: notes)
  }
}
