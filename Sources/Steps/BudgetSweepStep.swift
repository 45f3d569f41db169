import DUNESupport
import DataPlane
import Experiments
import Forest
import Foundation
import Literate
import Partition
import Report
import Traffic

/// `sweep.budget` (chapter 06): chained FL macro F1 of DUNE (both `Other` variants) and of the
/// monolithic switch as the per-switch budget grows — TCAM blocks at a fixed number of stages, and
/// stages at a fixed number of TCAM blocks — with the resources each point uses.
///
/// At every budget, each block of chapter 03's partition takes its best candidate by the success
/// score (§6.5) among those whose sub-model fits the budget (chapter 04's grid, refitted), the chain
/// is ordered (§7) and retrained for downstream-only `Other`; the monolithic switch takes the best
/// forest of its grid that fits the same budget.
struct BudgetSweepStep: StepKind {
  struct Arguments: Decodable, Sendable {
    var samples: String
    /// Chapter 04's `candidates.csv` (its grids, reused for the run's seed).
    var candidates: String
    /// Chapter 03's `partition.csv`.
    var partition: String
    var useCase: String
    var data: String?
    var profile: String?
    var seed: Int?
    var timeShift: Int?
    /// TCAM blocks per switch of the first sweep.
    var tcamBlocks: [Int]
    /// Stages per switch of the second sweep.
    var stages: [Int]
    /// Stages during the TCAM sweep (default: a Tofino-1 pipe's 12).
    var tcamSweepStages: Int?
    /// TCAM blocks during the stage sweep (default: a Tofino-1 pipe's 288).
    var stageSweepTCAMBlocks: Int?
  }

  let name = "sweep.budget"
  var codeModules: [String] { ["DataPlane", "Experiments", "Forest", "Partition", "Report", "Traffic"] }
  let summary = "DUNE (both Other variants) vs the monolithic switch as the per-switch TCAM and stage budget grows."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("points", .integer),
      OutputDeclaration("largestAdvantage", .any, unit: "fraction"),
      OutputDeclaration("largestAdvantageTCAMBlocks", .any, unit: "blocks"),
      OutputDeclaration("smallestAdvantage", .any, unit: "fraction"),
      OutputDeclaration("smallestAdvantageTCAMBlocks", .any, unit: "blocks"),
    ]
  }
  var inputArguments: [String] { ["samples", "candidates", "partition"] }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let u = try ChainStepSupport.useCase(a.useCase, in: context)
    let tofino = SwitchBudget.tofino1
    let fixedStages = a.tcamSweepStages ?? tofino.stages
    let fixedTCAM = a.stageSweepTCAMBlocks ?? tofino.tcamBlocks
    guard !a.tcamBlocks.isEmpty, a.tcamBlocks.allSatisfy({ $0 >= 1 }) else {
      throw StepError("tcamBlocks must be a non-empty list of positive block counts", argument: ["tcamBlocks"])
    }
    guard !a.stages.isEmpty, a.stages.allSatisfy({ $0 >= 1 }) else {
      throw StepError("stages must be a non-empty list of positive stage counts", argument: ["stages"])
    }
    let blocks = try ChainStepSupport.located("partition") {
      try ClusterPartitionFile.load(path: context.resolve(a.partition))
    }
    let chapter04 = try ExperimentSetup.candidates(a.candidates, context: context)
    let data = try ExperimentSetup.load(
      useCase: u, samples: a.samples, data: a.data, profile: a.profile,
      n: ExperimentSetup.inferencePoints(chapter04), timeShift: a.timeShift,
      context: context)
    let seed = UInt64(max(0, a.seed ?? 42))
    let lab = ExperimentSetup.lab(
      data, seed: seed, chapterSeed: seed, chapter04: chapter04,
      threads: ProcessInfo.processInfo.activeProcessorCount)
    let tcamPoints = Array(Set(a.tcamBlocks)).sorted().map { SwitchLimits(tcamBlocks: $0, stages: fixedStages) }
    let stagePoints = Array(Set(a.stages)).sorted().map { SwitchLimits(tcamBlocks: fixedTCAM, stages: $0) }
    let progress = ProgressReporting.counter(
      "budget sweep", total: tcamPoints.count + stagePoints.count, unit: "budgets")
    defer { progress.finish() }
    func sweep(_ points: [SwitchLimits]) throws -> [Comparison] {
      try points.map { l in
        defer { progress.advance() }
        return try lab.compare(blocks, limits: l, monolithicLimits: l)
      }
    }
    let byTCAM = try sweep(tcamPoints)
    let byStages = try sweep(stagePoints)

    var metrics: [Metric] = []
    var rows: [[String]] = []
    for (sweep, list) in [("TCAM", byTCAM), ("stages", byStages)] {
      for c in list {
        let l = c.limits!
        metrics += ExperimentSetup.metrics(
          c, labels: ["sweep": sweep, "tcamBlocks": String(l.tcamBlocks), "stages": String(l.stages)])
        rows.append([sweep, String(l.tcamBlocks), String(l.stages)] + ExperimentSetup.comparisonCells(c))
      }
    }
    let advantages = byTCAM.compactMap { c in c.advantage(.reference).map { (c.limits!.tcamBlocks, $0) } }
    let largest = advantages.max { $0.1 < $1.1 }
    let smallest = advantages.min { $0.1 < $1.1 }
    try context.write(try DeterministicJSON.text(["tcam": byTCAM, "stages": byStages]), to: "budget_sweep.json")

    func series(_ list: [Comparison], x: (SwitchLimits) -> Int) -> [PointSeries] {
      func points(_ f: (Comparison) -> Double?) -> [ChartPoint] {
        list.compactMap { c in f(c).map { ChartPoint(Double(x(c.limits!)), $0 * 100) } }
      }
      return [
        PointSeries("DUNE, reference Other", points { $0.dune(.reference)?.macroF1FL }),
        PointSeries("DUNE, downstream-only Other", points { $0.dune(.downstream)?.macroF1FL }),
        PointSeries("monolithic", points { $0.monolithic?.macroF1FL }),
      ]
    }
    let tcamChart = LineChart(
      labels: ChartLabels(
        title: "Chained FL macro F1 vs TCAM per switch",
        description: "at \(fixedStages) stages per switch; DUNE picks each sub-model within the budget",
        xLabel: "TCAM blocks per switch", yLabel: "chained FL macro F1 (%)"),
      series: series(byTCAM) { $0.tcamBlocks }, xDecimals: 0, yDecimals: 1)
    let stageChart = LineChart(
      labels: ChartLabels(
        title: "Chained FL macro F1 vs stages per switch",
        description: "at \(fixedTCAM) TCAM blocks per switch (resource-model stage estimate)",
        xLabel: "pipeline stages per switch", yLabel: "chained FL macro F1 (%)"),
      series: series(byStages) { $0.stages }, xDecimals: 0, yDecimals: 1)
    let figures = [
      ChainStepSupport.figure(
        "fig-budget-tcam",
        caption:
          "Chained FL macro F1 (strict) of DUNE in both Other variants and of the monolithic switch, each within the same per-switch TCAM budget (\(fixedStages) stages). A missing point: nothing fits that budget. The table gives each point's resources.",
        .line(tcamChart), shows: ["chainedMacroF1FL", "budget-sweep"], context: context),
      ChainStepSupport.figure(
        "fig-budget-stages",
        caption:
          "The same comparison as the per-switch stage budget grows (\(fixedTCAM) TCAM blocks), stages as the resource model estimates them.",
        .line(stageChart), shows: ["chainedMacroF1FL", "budget-sweep"], context: context),
    ]
    let table = StepTable(
      id: "budget-sweep",
      caption:
        "Every budget point: chained FL macro F1 (%, strict) of DUNE (reference and downstream-only Other) and of the monolithic switch, DUNE's advantage in points, and the resources used — DUNE's busiest switch and whole chain (TCAM blocks), its most stages, and the monolithic forest's.",
      columns: ["sweep", "TCAM blocks", "stages"] + ExperimentSetup.comparisonColumns, rows: rows)
    var values: [String: Value] = [
      "points": .int(rows.count), "largestAdvantage": .null, "largestAdvantageTCAMBlocks": .null,
      "smallestAdvantage": .null, "smallestAdvantageTCAMBlocks": .null,
    ]
    if let l = largest {
      values["largestAdvantage"] = .double(l.1)
      values["largestAdvantageTCAMBlocks"] = .int(l.0)
    }
    if let s = smallest {
      values["smallestAdvantage"] = .double(s.1)
      values["smallestAdvantageTCAMBlocks"] = .int(s.0)
    }
    var notes = [
      "partition of chapter 03: \(blocks.count) blocks; seed \(seed); TCAM sweep at \(fixedStages) stages, stage sweep at \(fixedTCAM) TCAM blocks"
    ]
    if let l = largest, let s = smallest {
      notes.append(
        "DUNE − monolithic over the TCAM sweep: from \(ChainStepSupport.pct(s.1)) points (\(s.0) blocks) to \(ChainStepSupport.pct(l.1)) points (\(l.0) blocks)"
      )
    }
    return StepOutput(values: values, metrics: metrics, figures: figures, tables: [table], notes: notes)
  }
}
