import DUNESupport
import DataPlane
import Experiments
import Forest
import Foundation
import Literate
import Partition
import Report
import Traffic

/// `seeds` (chapter 06): the headline comparison repeated over seeds, as mean ± standard deviation
/// with a paired test of DUNE against the monolithic switch.
///
/// The sample split stays fixed. For every seed the whole method runs again with that seed: chapter
/// 02's best forest (its hyper-parameters kept) gives W and F, chapter 03's greedy SPP (with the
/// run's `max-switches` bound) the partition, chapter 04's grid and selection the sub-models,
/// chapter 05 their order and the downstream-only `Other` retraining, and chapter 06 the emulated
/// chains and the monolithic switch with the TCAM of the busiest DUNE switch. The run's own seed
/// reproduces chapter 06's numbers (its grids are reused from chapter 04).
struct SeedRepeatsStep: StepKind {
  struct Arguments: Decodable, Sendable {
    var samples: String
    /// Chapter 02's `best_model.json`.
    var forest: String
    /// Chapter 04's `candidates.csv`.
    var candidates: String
    var useCase: String
    var data: String?
    var profile: String?
    /// The run's seed; the repeats use seed, seed + 1, …
    var seed: Int?
    /// How many seeds (≥ 1).
    var seeds: Int
    /// Chapter 03's bound on the number of blocks (0 = none).
    var maxSwitches: Int?
    /// r, the SPP's feature count (chapter 03: 15).
    var features: Int?
    var timeShift: Int?
  }

  let name = "seeds"
  var codeModules: [String] { ["DataPlane", "Experiments", "Forest", "Partition", "Report", "Traffic"] }
  let summary =
    "The headline comparison over several seeds: mean ± standard deviation, paired tests of DUNE vs monolithic."
  var outputs: [OutputDeclaration] {
    var out = [OutputDeclaration("seeds", .integer)]
    for system in ["dune", "duneDownstream", "monolithic"] {
      out += [
        OutputDeclaration("\(system)Mean", .number, unit: "fraction"),
        OutputDeclaration("\(system)SD", .number, unit: "fraction"),
        OutputDeclaration("\(system)MainSeed", .any, unit: "fraction"),
      ]
    }
    for v in ["advantage", "downstreamAdvantage"] {
      out += [
        OutputDeclaration("\(v)Mean", .any, unit: "fraction"), OutputDeclaration("\(v)SD", .any, unit: "fraction"),
        OutputDeclaration("\(v)TTestP", .any), OutputDeclaration("\(v)SignFlipP", .any),
        OutputDeclaration("\(v)Significant", .bool), OutputDeclaration("\(v)Verdict", .string),
      ]
    }
    return out
  }
  var inputArguments: [String] { ["samples", "forest", "candidates"] }

  /// One seed's outcome.
  struct SeedResult: Encodable, Sendable {
    var seed: UInt64
    var blocks: Int
    var comparison: Comparison
  }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let u = try ChainStepSupport.useCase(a.useCase, in: context)
    guard (1...64).contains(a.seeds) else { throw StepError("seeds must be in 1…64", argument: ["seeds"]) }
    let bound = a.maxSwitches.flatMap { $0 <= 0 ? nil : $0 }
    let forest = try ChainStepSupport.located("forest") {
      try JSONDecoder().decode(BigForest.self, from: Data(contentsOf: URL(fileURLWithPath: context.resolve(a.forest))))
    }
    // Chapter 02's data: the raw samples of the best N over the use case's unconstrained features.
    let unconstrained = try ChainStepSupport.located("useCase") {
      try FeatureCatalog.resolve(u.featureSets.unconstrained)
    }
    let prepared = try ChainStepSupport.located("samples") {
      try SampleFiles(folder: ChainStepSupport.folder(ofAnchor: a.samples, in: context), useCase: u.name).load(
        n: forest.n, classes: u.classes, features: unconstrained)
    }
    let chapter04 = try ExperimentSetup.candidates(a.candidates, context: context)
    let data = try ExperimentSetup.load(
      useCase: u, samples: a.samples, data: a.data, profile: a.profile,
      n: ExperimentSetup.inferencePoints(chapter04), timeShift: a.timeShift, context: context)
    let mainSeed = UInt64(max(0, a.seed ?? 42))
    let seeds = (0..<a.seeds).map { mainSeed + UInt64($0) }
    let sppFeatures = a.features ?? 15
    // Seeds are independent: one per core, each single-threaded (the run's seed is the cheap one,
    // its grids come from chapter 04).
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let progress = ProgressReporting.counter("seed repeats", total: seeds.count, unit: "seeds")
    defer { progress.finish() }
    let results = try parallelMap(count: seeds.count, threads: min(cores, seeds.count)) { i -> SeedResult in
      defer { progress.advance() }
      let s = seeds[i]
      let threads = seeds.count >= cores ? 1 : cores
      let problem = try forest.partitionProblem(
        prepared: prepared, classes: u.classes, seed: s, sppFeatures: sppFeatures, threads: threads)
      let solution = try SPPSolution.solve(problem, method: .greedy, maxBlocks: bound)
      let lab = ExperimentSetup.lab(data, seed: s, chapterSeed: mainSeed, chapter04: chapter04, threads: threads)
      let blocks = clusterDefinitions(solution)
      return SeedResult(seed: s, blocks: blocks.count, comparison: try lab.compare(blocks))
    }
    try context.write(try DeterministicJSON.text(results), to: "seeds.json")
    return Self.output(results, context: context)
  }

  static func output(_ results: [SeedResult], context: StepContext) -> StepOutput {
    let p = ChainStepSupport.pct
    func f1(_ r: SeedResult, _ system: String) -> Double? {
      switch system {
      case "dune": return r.comparison.dune(.reference)?.macroF1FL
      case "duneDownstream": return r.comparison.dune(.downstream)?.macroF1FL
      default: return r.comparison.monolithic?.macroF1FL
      }
    }
    let titles = ["dune": "DUNE", "duneDownstream": "DUNE, downstream-only Other", "monolithic": "monolithic"]
    var values: [String: Value] = ["seeds": .int(results.count)]
    var metrics: [Metric] = []
    var summaries: [String: SampleSummary] = [:]
    // Seeds where every system exists (a chain or a monolithic forest may not fit): the paired set.
    let complete = results.filter { r in ["dune", "duneDownstream", "monolithic"].allSatisfy { f1(r, $0) != nil } }
    for system in ["dune", "duneDownstream", "monolithic"] {
      let xs = complete.map { f1($0, system)! }
      let s = SampleSummary(xs)
      summaries[system] = s
      values["\(system)Mean"] = .double(s.mean)
      values["\(system)SD"] = .double(s.standardDeviation)
      values["\(system)MainSeed"] = results.first.flatMap { f1($0, system) }.map(Value.double) ?? .null
      let l = ["system": system == "dune" ? "dune" : system == "duneDownstream" ? "dune-downstream" : "monolithic"]
      metrics += [
        Metric("chainedMacroF1FLMean", s.mean * 100, unit: "%", labels: l),
        Metric("chainedMacroF1FLSD", s.standardDeviation * 100, unit: "%", labels: l),
      ]
      for r in results {
        if let x = f1(r, system) {
          metrics.append(
            Metric("chainedMacroF1FL", x * 100, unit: "%", labels: l.merging(["seed": String(r.seed)]) { $1 }))
        }
      }
    }
    let mono = complete.map { f1($0, "monolithic")! }
    var testRows: [[String]] = []
    var verdicts: [String] = []
    for (key, system) in [("advantage", "dune"), ("downstreamAdvantage", "duneDownstream")] {
      let c = PairedComparison(complete.map { f1($0, system)! }, mono)
      let verdict = c.verdict(titles[system]!, versus: "monolithic")
      verdicts.append(verdict)
      values["\(key)Mean"] = c.count == 0 ? .null : .double(c.meanDifference)
      values["\(key)SD"] = c.count == 0 ? .null : .double(c.standardDeviation)
      values["\(key)TTestP"] = c.tTestP.map(Value.double) ?? .null
      values["\(key)SignFlipP"] = c.signFlipP.map(Value.double) ?? .null
      values["\(key)Significant"] = .bool(c.significant)
      values["\(key)Verdict"] = .string(verdict)
      let l = ["comparison": "\(system) − monolithic"]
      if c.count > 0 {
        metrics.append(Metric("advantageMean", c.meanDifference * 100, unit: "%", labels: l))
        metrics.append(Metric("advantageSD", c.standardDeviation * 100, unit: "%", labels: l))
      }
      if let t = c.tTestP { metrics.append(Metric("tTestP", t, labels: l)) }
      if let sf = c.signFlipP { metrics.append(Metric("signFlipP", sf, labels: l)) }
      if let ci = c.confidenceInterval {
        metrics.append(Metric("advantageCILow", ci.lowerBound * 100, unit: "%", labels: l))
        metrics.append(Metric("advantageCIHigh", ci.upperBound * 100, unit: "%", labels: l))
      }
      testRows.append([
        "\(titles[system]!) − monolithic", String(c.count), p(c.meanDifference), p(c.standardDeviation),
        c.confidenceInterval.map { "\(p($0.lowerBound)) … \(p($0.upperBound))" } ?? "–",
        c.t.map { NumberFormat.fixed($0, 3) } ?? "–", String(c.degreesOfFreedom),
        c.tTestP.map { NumberFormat.fixed($0, 4) } ?? "–", c.signFlipP.map { NumberFormat.fixed($0, 4) } ?? "–",
        c.significant ? "yes" : "no",
      ])
    }
    let perSeed = results.map { r in
      [
        String(r.seed), String(r.blocks), ExperimentSetup.pct(f1(r, "dune")),
        ExperimentSetup.pct(f1(r, "duneDownstream")), ExperimentSetup.pct(f1(r, "monolithic")),
        ExperimentSetup.pct(r.comparison.advantage(.reference)), String(r.comparison.monolithicLimits.tcamBlocks),
        ExperimentSetup.describe(r.comparison.monolithic),
      ]
    }
    let summaryRows = ["dune", "duneDownstream", "monolithic"].map { system -> [String] in
      let s = summaries[system]!
      let xs = complete.map { f1($0, system)! }
      return [
        titles[system]!, String(s.count), p(s.mean), p(s.standardDeviation), xs.min().map(p) ?? "–",
        xs.max().map(p) ?? "–",
      ]
    }
    let chart = BarChart(
      labels: ChartLabels(
        title: "Chained FL macro F1 over \(complete.count) seeds", description: "mean ± standard deviation",
        xLabel: "system", yLabel: "chained FL macro F1 (%)"),
      categories: ["DUNE", "DUNE, downstream Other", "monolithic"],
      series: [
        BarSeries(
          "mean ± SD", ["dune", "duneDownstream", "monolithic"].map { summaries[$0]!.mean * 100 },
          errors: ["dune", "duneDownstream", "monolithic"].map { summaries[$0]!.standardDeviation * 100 })
      ], valueDecimals: 2, valueRange: 0...100)
    return StepOutput(
      values: values, metrics: metrics,
      figures: [
        ChainStepSupport.figure(
          "fig-seeds",
          caption:
            "The headline comparison repeated over seeds (split fixed; every forest and so the partition, the sub-models and the monolithic forest change): mean and standard deviation of the strict chained FL macro F1.",
          .bar(chart), shows: ["chainedMacroF1FLMean", "seed-summary", "per-seed"], context: context)
      ],
      tables: [
        StepTable(
          id: "seed-summary", caption: "Chained FL macro F1 (%, strict) over the seeds where every system exists.",
          columns: ["system", "seeds", "mean", "SD", "min", "max"], rows: summaryRows),
        StepTable(
          id: "paired-tests",
          caption:
            "Paired comparisons over the seeds (differences in points): the paired t-test (its 95 % CI of the mean difference) decides; the exact sign-flip permutation test needs no normality but cannot go below 2/2^n.",
          columns: [
            "comparison", "seeds", "mean difference", "SD", "95 % CI", "t", "df", "p (t-test)", "p (sign flip)",
            "beyond the noise",
          ], rows: testRows),
        StepTable(
          id: "per-seed",
          caption:
            "Per seed: blocks of the partition, chained FL macro F1 (%, strict) of each system, DUNE − monolithic (points), the monolithic TCAM budget (busiest DUNE switch) and the monolithic forest.",
          columns: [
            "seed", "blocks", "DUNE", "DUNE, downstream Other", "monolithic", "DUNE − monolithic", "budget",
            "monolithic forest",
          ], rows: perSeed),
      ],
      notes: verdicts
        + (complete.count < results.count
          ? ["\(results.count - complete.count) seed(s) left out: a system did not fit its budget"] : []))
  }
}
