import DUNESupport
import DataPlane
import Experiments
import Forest
import Foundation
import Literate
import Partition
import Report
import Traffic

/// What the chapter-06 experiments load: the samples and test traffic of chapters 04–06 and the
/// settings those chapters used, so a lab with the run's seed reproduces their numbers.
enum ExperimentSetup {
  /// The experiment data of a use case: quantised samples over its cluster-analysis features, the
  /// replayed test captures, the grid of `profile`.
  static func load(
    useCase u: UseCase, samples: String, data: String?, profile: String?, n: [Int]?, timeShift: Int?,
    context: StepContext
  ) throws -> ExperimentData {
    let profile = profile ?? "pinned"
    guard profile == "pinned" || profile == "full" else {
      throw StepError("profile must be 'pinned' or 'full', got '\(profile)'", argument: ["profile"])
    }
    let grid = try ClustersStep.gridSettings(
      pinned: profile == "pinned", trees: nil, leaves: nil, subsets: nil, seed: nil)
    let points = n ?? ClustersStep.defaultPoints
    guard !points.isEmpty, points.allSatisfy({ $0 >= 1 }) else {
      throw StepError("n values must be ≥ 1", argument: ["n"])
    }
    let features = try ChainStepSupport.located("useCase") { try FeatureCatalog.resolve(u.featureSets.cluster) }
    let shift = timeShift ?? 16
    guard (0...31).contains(shift) else { throw StepError("timeShift must be in 0…31", argument: ["timeShift"]) }
    let raw = ChainStepSupport.folder(ofAnchor: samples, in: context)
    let loaded = try ChainStepSupport.located("samples") {
      try ClusterAnalysisData.load(
        folder: raw, useCase: u.name, inferencePoints: points, classes: u.classes, features: features,
        adjust: QuantisedSamples.quantiser(shift: shift))
    }
    let dataFolder = try DataplaneStep.dataFolder(data, useCase: u, context: context)
    let captures = try ChainStepSupport.located("data") {
      try ChainReplay.testCaptures(useCase: u, dataFolder: dataFolder)
    }
    return ExperimentData(
      classes: u.classes, samples: loaded, replay: Replay(captures: captures),
      scheme: QuantisedSamples.scheme(shift: shift), emulator: ChainEmulatorConfig(),
      cluster: ClusterAnalysis.Settings(
        grid: grid, inferencePoints: points, restrictToSPPFeatures: false, clusterFeatures: features),
      monolithic: MonolithicGrid.Settings())
  }

  /// Chapter 04's grids (its `candidates.csv`), which a lab with chapter 04's seed reuses.
  static func candidates(_ path: String, context: StepContext) throws -> [ClusterCandidatesFile.Cluster] {
    try ChainStepSupport.located("candidates") {
      try ClusterCandidatesFile.parse(CSVTable.read(path: context.resolve(path)))
    }
  }

  /// Chapter 04's inference points (those of its grids), so the experiments load exactly its samples.
  static func inferencePoints(_ chapter04: [ClusterCandidatesFile.Cluster]) -> [Int]? {
    let points = Set(chapter04.flatMap { $0.candidates.map(\.n) }).sorted()
    return points.isEmpty ? nil : points
  }

  /// A lab for `seed`; given chapter 04's seed it starts from chapter 04's grids.
  static func lab(
    _ data: ExperimentData, seed: UInt64, chapterSeed: UInt64, chapter04: [ClusterCandidatesFile.Cluster],
    threads: Int
  ) -> ChainLab {
    let lab = ChainLab(data: data, seed: seed, threads: threads)
    if seed == chapterSeed { for c in chapter04 { lab.preload(block: c.classes, candidates: c.candidates) } }
    return lab
  }

  /// A fraction as percent for tables, "–" when absent.
  static func pct(_ x: Double?) -> String { x.map(ChainStepSupport.pct) ?? "–" }

  /// The monolithic forest of a comparison in a few words.
  static func describe(_ m: MonolithicOutcome?) -> String {
    guard let m else { return "none fits" }
    return "N = \(m.row.n), top-\(m.row.features), \(m.row.trees) × \(m.row.leafBudget) leaves"
  }

  /// Metrics of one comparison: F1 and resources per system, with `labels` identifying the point.
  static func metrics(_ c: Comparison, labels: [String: String]) -> [Metric] {
    var out: [Metric] = []
    for d in c.dune {
      var l = labels
      l["system"] = d.variant == .reference ? "dune" : "dune-downstream"
      out += [
        Metric("chainedMacroF1FL", d.macroF1FL * 100, unit: "%", labels: l),
        Metric("chainedMacroF1FLExcludingUnknown", d.macroF1FLExcludingUnknown * 100, unit: "%", labels: l),
        Metric("maxTCAMBlocks", Double(d.maxTCAMBlocks), unit: "blocks", labels: l),
        Metric("totalTCAMBlocks", Double(d.totalTCAMBlocks), unit: "blocks", labels: l),
        Metric("maxStages", Double(d.maxStages), unit: "stages", labels: l),
        Metric("switches", Double(d.switches), unit: "switches", labels: l),
      ]
    }
    if let m = c.monolithic {
      var l = labels
      l["system"] = "monolithic"
      out += [
        Metric("chainedMacroF1FL", m.macroF1FL * 100, unit: "%", labels: l),
        Metric("maxTCAMBlocks", Double(m.tcamBlocks), unit: "blocks", labels: l),
        Metric("maxStages", Double(m.stages), unit: "stages", labels: l),
      ]
    }
    return out
  }

  /// The columns shared by the sweep tables after the point's own columns.
  static let comparisonColumns = [
    "DUNE", "DUNE, downstream Other", "monolithic", "DUNE − monolithic", "DUNE TCAM (max / total)", "DUNE stages",
    "monolithic TCAM", "monolithic stages", "monolithic forest",
  ]

  static func comparisonCells(_ c: Comparison) -> [String] {
    let r = c.dune(.reference)
    let d = c.dune(.downstream)
    let flag = { (o: ChainOutcome?) in o.map { $0.fits ? "" : " (exceeds)" } ?? "" }
    return [
      pct(r?.macroF1FL), pct(d?.macroF1FL) + flag(d), pct(c.monolithic?.macroF1FL), pct(c.advantage(.reference)),
      r.map { "\($0.maxTCAMBlocks) / \($0.totalTCAMBlocks)" } ?? "–", r.map { String($0.maxStages) } ?? "–",
      c.monolithic.map { String($0.tcamBlocks) } ?? "–", c.monolithic.map { String($0.stages) } ?? "–",
      describe(c.monolithic),
    ]
  }
}
