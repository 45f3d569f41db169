import ArgumentParser
import DUNESupport
import DataPlane
import Forest
import Foundation
import Partition
import Traffic

/// `dune dataplane monolithic`: the one-switch baseline's grid (`MonolithicGrid`), as chapter 06 runs it.
struct DataPlaneMonolithic: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monolithic",
    abstract: "Monolithic baseline grid: one forest on all classes, the best macro F1 (FL) that fits one switch.",
    discussion: """
      Writes monolithic_grid.csv (every candidate) and, when a forest fits, monolithic.json (the forest, \
      for dune dataplane compile/emulate). Samples with --time-shift S are quantised as chapter 06 does.
      """)

  @Option(help: "Folder with <usecase>_<split>_<N>.csv and <usecase>_<split>_flow_counts.csv.") var samples: String
  @Option(name: .customLong("use-case"), help: "Use case name or JSON file.") var useCase: String
  @Option(help: "Inference points.") var n = "2,3,4"
  @Option(help: "TCAM budget in blocks (default: one Tofino-1 pipe).") var tcamBlocks: Int?
  @Option(help: "Tree counts.") var trees = MonolithicGrid.Settings.defaultTreeCounts.map(String.init)
    .joined(separator: ",")
  @Option(help: "Leaf budgets (max_leaf_nodes).") var leaves = MonolithicGrid.Settings.defaultLeafBudgets.map(
    String.init
  ).joined(separator: ",")
  @Option(help: "Top-k feature subset sizes (features ranked by MDI).") var subsets = MonolithicGrid.Settings
    .defaultSubsetSizes.map(String.init).joined(separator: ",")
  @Option(help: "Feature set overriding the use case's cluster-analysis set.") var features: String?
  @Option(help: "Quantise the four ns time features to bits [31:SHIFT] (0 = none).") var timeShift = 0
  @Option(help: "Forest seed.") var seed: UInt64 = 42
  @Option(help: "Output folder.") var out: String?

  func run() async throws {
    try await reportingErrors {
      let u = try UseCase.resolve(useCase)
      let columns: [String]
      do {
        columns = try FeatureCatalog.resolve(features ?? u.featureSets.cluster)
      } catch let e as FeatureSetError {
        throw UsageError(e.message)
      }
      guard (0...31).contains(timeShift) else { throw UsageError("--time-shift must be in 0…31") }
      let points = try parseIntList(n, "--n")
      guard !points.isEmpty, points.allSatisfy({ $0 >= 1 }) else { throw UsageError("--n values must be ≥ 1") }
      let settings = MonolithicGrid.Settings(
        treeCounts: try parseIntList(trees, "--trees"), leafBudgets: try parseIntList(leaves, "--leaves"),
        subsetSizes: try parseIntList(subsets, "--subsets"), seed: seed)
      guard settings.treeCounts.allSatisfy({ $0 >= 1 }), settings.leafBudgets.allSatisfy({ $0 >= 2 }) else {
        throw UsageError("tree counts must be ≥ 1 and leaf budgets ≥ 2")
      }
      var budget = SwitchBudget.tofino1
      if let tcamBlocks { budget.tcamBlocks = tcamBlocks }
      let folder = try QuantisedSamples.prepare(folder: samples, useCase: u.name, shift: timeShift)
      defer { QuantisedSamples.cleanup(folder, shift: timeShift) }
      let data = try ClusterAnalysisData.load(
        folder: folder, useCase: u.name, inferencePoints: points, classes: u.classes, features: columns)
      let grid = try MonolithicGrid.run(
        points: data.points.map { MonolithicGrid.Point(n: $0.n, train: $0.train, test: $0.test) }, classes: u.classes,
        features: columns, settings: settings, scheme: QuantisedSamples.scheme(shift: timeShift), budget: budget)
      if let out {
        try AtomicFile.write(
          MonolithicGrid.csv(grid.rows), to: (out as NSString).appendingPathComponent("monolithic_grid.csv"))
        try grid.selected?.model.write(to: (out as NSString).appendingPathComponent("monolithic.json"))
      }
      let fitting = grid.rows.filter(\.fits).count
      printOut("\(grid.rows.count) candidates, \(fitting) fit \(budget.tcamBlocks) TCAM blocks")
      if let s = grid.selected {
        let r = s.row
        printOut(
          "selected: N = \(r.n), top-\(r.features) features, \(r.trees) trees, leaf budget \(r.leafBudget), "
            + "macro F1 (FL, test samples) \(NumberFormat.fixed(r.macroF1FL * 100, 2)) %, \(r.tcamBlocks) TCAM blocks")
      } else {
        printOut("no candidate fits the budget")
        throw ExitCode(1)
      }
    }
  }
}
