import ArgumentParser
import DUNESupport
import DataPlane
import Forest
import Foundation
import Partition
import Traffic

/// Parses a comma-separated list of positive integers (`what` names the option in errors).
func parseIntList(_ text: String, _ what: String) throws -> [Int] {
  let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  let values = items.compactMap { Int($0) }
  guard !items.isEmpty, values.count == items.count, values.allSatisfy({ $0 >= 0 }) else {
    throw UsageError("\(what) must be a comma-separated list of non-negative integers, got '\(text)'")
  }
  return values
}

/// Options shared by `dune clusters` and `dune bench clusters`: the grid and the data.
struct ClusterGridOptions: ParsableArguments {
  @Option(help: "Folder with <usecase>_<split>_<N>.csv and <usecase>_<split>_flow_counts.csv.") var samples: String
  @Option(name: .customLong("use-case"), help: "Use case name or JSON file.") var useCase: String
  @Flag(
    name: .customLong("restrict-spp-features"),
    help:
      "Candidates = each cluster's SPP features (default: the use case's cluster-analysis set, reference behaviour).")
  var restrictSPPFeatures = false
  @Option(help: "Tree counts.") var trees = "1,3,5"
  @Option(help: "Leaf budgets (max_leaf_nodes).") var leaves = ConstrainedGrid.Settings.referenceLeafBudgets.map(
    String.init
  ).joined(separator: ",")
  @Option(help: "Inference points.") var n = "2,3,4"
  @Option(help: "Nested top-k subset sizes: 'nested' (1…F) or a list.") var subsets = "nested"
  @Option(
    help:
      "Feature ranking: per-point (reference: one MDI ranking per trees × leaves) or shared (one per N and cluster).")
  var ranking = "per-point"
  @Option(help: "Feature set overriding the use case's cluster-analysis set.") var features: String?
  @Option(help: "Forest seed.") var seed: UInt64 = 42
  @Option(help: "Worker threads (default: all cores).") var threads: Int?

  func settings(useCase u: UseCase) throws -> ClusterAnalysis.Settings {
    guard let rank = ConstrainedGrid.Ranking(rawValue: ranking) else {
      throw UsageError("--ranking must be per-point or shared")
    }
    let sizes: [Int]? = subsets == "nested" ? nil : try parseIntList(subsets, "--subsets")
    let threadCount = threads ?? defaultThreadCount
    guard threadCount >= 1 else { throw UsageError("--threads must be ≥ 1") }
    let grid = ConstrainedGrid.Settings(
      treeCounts: try parseIntList(trees, "--trees"), leafBudgets: try parseIntList(leaves, "--leaves"),
      subsetSizes: sizes,
      ranking: rank, seed: seed, threads: threadCount)
    do {
      try grid.validate()
    } catch let e as ClusterAnalysisError {
      throw UsageError(e.message)
    }
    let clusterFeatures: [String]
    do {
      clusterFeatures = try FeatureCatalog.resolve(features ?? u.featureSets.cluster)
    } catch let e as FeatureSetError {
      throw UsageError(e.message)
    }
    let points = try parseIntList(n, "--n")
    guard points.allSatisfy({ $0 >= 1 }) else { throw UsageError("--n values must be ≥ 1") }
    return ClusterAnalysis.Settings(
      grid: grid, inferencePoints: points, restrictToSPPFeatures: restrictSPPFeatures, clusterFeatures: clusterFeatures)
  }

  /// Loads the samples with every feature any cluster may use (cluster set ∪ SPP features).
  func load(useCase u: UseCase, clusters: [ClusterDefinition], settings: ClusterAnalysis.Settings) throws
    -> ClusterAnalysisData
  {
    var columns = settings.clusterFeatures
    for c in clusters { for f in c.sppFeatures where !columns.contains(f) { columns.append(f) } }
    return try ClusterAnalysisData.load(
      folder: samples, useCase: u.name, inferencePoints: settings.inferencePoints, classes: u.classes, features: columns
    )
  }
}

/// `dune clusters`: step 4 — one resource-bounded sub-model per SPP block, proxy and chained F1.
struct ClustersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clusters",
    abstract:
      "Cluster analysis (step 4): constrained grid per block, TCAM-aware selection, proxy vs chained F1, FP matrix.")

  @OptionGroup var grid: ClusterGridOptions
  @Option(help: "SPP solution CSV (Cluster, Class List, Feature List), as written by dune partition --out.")
  var partition: String
  @Option(help: "Chain order for the chained F1, e.g. 1,2,0 (default: the optimal sequencing order of the FP matrix).")
  var order: String?
  @Flag(
    name: .customLong("downstream-other"),
    help: "Also retrain with downstream-only Other in the chain order (§6.8) and score that chain.")
  var downstreamOther = false
  @Option(help: "Output folder for cluster_info.csv, grids, FP matrix, models and the JSON summary.") var out: String?
  @Flag(help: "Print the JSON summary instead of a text table.") var json = false

  func run() async throws {
    try await reportingErrors {
      let u = try UseCase.resolve(grid.useCase)
      let clusters = try ClusterPartitionFile.load(path: partition)
      let settings = try grid.settings(useCase: u)
      let data = try grid.load(useCase: u, clusters: clusters, settings: settings)
      let started = Date()
      let result = try ClusterAnalysis.run(data: data, clusters: clusters, settings: settings) { line in
        if !json { printOut(line) }
      }
      let seconds = Date().timeIntervalSince(started)
      let problem = try SequencingProblem(
        falsePositive: result.falsePositive.percent, f1Percent: result.clusters.map { $0.selected.macroF1 * 100 })
      let sequence = SequencingSolver.solve(problem)
      let chainOrder: [Int]
      if let text = order {
        chainOrder = try parseIntList(text, "--order")
        guard chainOrder.count == clusters.count, Set(chainOrder) == Set(0..<clusters.count) else {
          throw UsageError("--order must be a permutation of 0…\(clusters.count - 1), got '\(text)'")
        }
      } else {
        chainOrder = sequence.order
      }
      let chained = try ClusterAnalysis.chained(result, data: data, order: chainOrder)
      if let folder = out {
        try ClusterAnalysisOutputs.write(
          result, useCase: u.name, classes: u.classes, chained: chained, settings: settings, to: folder)
      }
      var downstream: ChainedEvaluation?
      if downstreamOther {
        downstream = try DownstreamOtherRetraining.run(result, data: data, order: chainOrder, settings: settings.grid)
          .chained
      }
      if json {
        guard
          case .object(var doc) = ClusterAnalysisOutputs.summaryJSON(
            result, classes: u.classes, chained: chained, settings: settings)
        else { return }
        doc["sequencing"] = .object([
          "order": .array(sequence.order.map(JSONValue.int)), "objective": .fixed(sequence.objective, decimals: 9),
        ])
        if let d = downstream {
          doc["chainedDownstreamOther"] = ClusterAnalysisOutputs.chainedJSON(d, classes: u.classes)
        }
        print(JSONValue.object(doc).rendered(), terminator: "")
        return
      }
      printOut(Self.table(result, chained: chained, classes: u.classes))
      printOut(
        "sequencing order \(sequence.order) cost \(NumberFormat.fixed(sequence.objective, 5)); chain evaluated in order \(chainOrder)"
      )
      if let d = downstream {
        printOut(
          "downstream-only Other, chained FL macro \(NumberFormat.fixed(d.strict.fl.macroF1 * 100, 2)) weighted \(NumberFormat.fixed(d.strict.fl.weightedF1 * 100, 2)) (unknown excluded: macro \(NumberFormat.fixed(d.excluded.fl.macroF1 * 100, 2)))"
        )
      }
      printOut("grid time \(NumberFormat.fixed(seconds, 1)) s")
    }
  }

  /// The text report: selection per cluster, then proxy and chained F1 side by side.
  static func table(_ r: ClusterAnalysis.Result, chained: ChainedEvaluation, classes: [String]) -> String {
    func p(_ x: Double) -> String { NumberFormat.fixed(x * 100, 2) }
    var out = "cluster  N trees budget leaves feats  macroFL  noOther  TCAM%  score  classes\n"
    for c in r.clusters {
      let s = c.selected
      out +=
        "\(c.definition.id)  \(s.n) \(s.treeCount) \(s.leafBudget) \(s.leaves.max() ?? 0) \(s.features.count)  \(p(s.macroF1))  \(p(s.macroF1WithoutOther))  \(p(s.tcam))  \(NumberFormat.fixed(s.successScore, 4))  \(c.definition.classes.joined(separator: ","))\n"
    }
    out += "TCAM total \(p(r.totalTCAM)) % (reference print, without cluster 0: \(p(r.referenceCompatTCAM)) %)\n"
    var chainedF1: [String: Double] = [:]
    for (l, s) in zip(chained.strict.fl.labels, chained.strict.fl.scores) where l < classes.count {
      chainedF1[classes[l]] = s.f1
    }
    out += "class  cluster  support  proxyF1  chainedF1\n"
    for e in r.proxy.entries {
      out += "\(e.className)  \(e.cluster)  \(Int(e.support))  \(p(e.f1))  \(chainedF1[e.className].map(p) ?? "-")\n"
    }
    out += "proxy   FL macro \(p(r.proxy.macro))  weighted \(p(r.proxy.weighted))\n"
    out +=
      "chained FL macro \(p(chained.strict.fl.macroF1))  weighted \(p(chained.strict.fl.weightedF1))  micro \(p(chained.strict.fl.microF1))  (unknown = error; \(NumberFormat.fixed(chained.unknownFlowWeight, 2)) flows' worth unknown)\n"
    out +=
      "chained FL macro \(p(chained.excluded.fl.macroF1))  weighted \(p(chained.excluded.fl.weightedF1))  micro \(p(chained.excluded.fl.microF1))  (unknown excluded)\n"
    out +=
      "chained PL macro \(p(chained.strict.pl.macroF1))  weighted \(p(chained.strict.pl.weightedF1))  micro \(p(chained.strict.pl.microF1))  (unknown = error)\n"
    out += "aligned flows \(chained.alignedFlows), unaligned \(chained.unalignedFlows)"
    return out
  }
}

/// `dune bench clusters`: wall time of the full constrained grid (step 4) on a sample folder.
struct BenchClusters: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clusters", abstract: "Constrained-grid (step 4) timing: fits, points and seconds per cluster.")

  @OptionGroup var grid: ClusterGridOptions
  @Option(help: "SPP solution CSV; default: the use case's classes dealt round-robin into --blocks clusters.")
  var partition: String?
  @Option(help: "Clusters of the default partition.") var blocks = 5

  func run() async throws {
    try await reportingErrors {
      let u = try UseCase.resolve(grid.useCase)
      let clusters: [ClusterDefinition]
      if let path = partition {
        clusters = try ClusterPartitionFile.load(path: path)
      } else {
        guard blocks >= 1, blocks <= u.classes.count else { throw UsageError("--blocks must be 1…\(u.classes.count)") }
        clusters = (0..<blocks).map { q in
          ClusterDefinition(
            id: q, classes: u.classes.indices.filter { $0 % blocks == q }.map { u.classes[$0] }, sppFeatures: [])
        }
      }
      let settings = try grid.settings(useCase: u)
      let t0 = Date()
      let data = try grid.load(useCase: u, clusters: clusters, settings: settings)
      let t1 = Date()
      let cpu0 = BenchCapture.processCPUSeconds()
      let result = try ClusterAnalysis.run(data: data, clusters: clusters, settings: settings)
      let cpu = BenchCapture.processCPUSeconds() - cpu0
      let t2 = Date()
      let points = result.clusters.reduce(0) { $0 + $1.rows.count }
      let fits = result.clusters.reduce(0) { a, c in a + c.stats.reduce(0) { $0 + $1.rankingFits + $1.evaluationFits } }
      let naive = result.clusters.reduce(0) { a, c in a + c.stats.reduce(0) { $0 + $1.naiveFits } }
      let trainRows = data.points.map { "N=\($0.n): \($0.train.rowCount)" }.joined(separator: ", ")
      printOut(
        "bench clusters: \(u.name), \(clusters.count) clusters, training rows \(trainRows), \(settings.grid.threads) threads, ranking \(settings.grid.ranking.rawValue)"
      )
      printOut("  load   \(NumberFormat.fixed(t1.timeIntervalSince(t0), 3)) s")
      printOut(
        "  grid   \(NumberFormat.fixed(t2.timeIntervalSince(t1), 3)) s  \(points) points, \(fits) fits (naive grid: \(naive) fits), \(NumberFormat.fixed(Double(points) / t2.timeIntervalSince(t1), 1)) points/s"
      )
      printOut(
        "  CPU    \(NumberFormat.fixed(cpu, 3)) s (user + system, all threads; the wall time depends on the machine's load)"
      )
      printOut("  refits agree with the grid: \(result.clusters.allSatisfy(\.refitAgrees))")
    }
  }
}
