import DUNESupport
import Foundation
import Literate
import Partition
import Report

/// `partition` (chapter 03): set partitioning of the classes into blocks (`SPPSolution`, as
/// `dune partition`), optionally compared with the exact optimum (m ≤ 16) and random partitions.
///
/// ```yaml
/// weights: ${file.forest.importance_weights.csv}   # W: class column, then features
/// scores: ${file.forest.score_per_class.csv}        # F: class, f1_score (percent)
/// classes: 24          # m: first m W rows after removing `unwanted` (default: all of them)
/// features: 15         # r: first r W columns (default 15, or fewer if W has fewer)
/// unwanted: [IPhone]   # removed first
/// method: greedy       # greedy | exact | ilp | random
/// blocks: 4            # optional fixed k (greedy, exact, ilp)
/// maxBlocks: 6         # optional bound: at most k blocks (= switches); 0 or absent = no bound
/// seed: 42             # random baseline(s)
/// compare: true        # also exact (m ≤ 16) and 100 random partitions
/// figureSuffix: unsw   # optional: figure ids become fig-spp-gain-unsw, fig-spp-methods-unsw
/// ```
/// Writes `partition.csv` (`Cluster,Class List,Feature List`) and `partition.json`. Values: `blocks`,
/// `totalGain`, `classes` (one list of class names per block).
public struct PartitionStep: StepKind {
  public struct Arguments: Decodable, Sendable {
    public var weights: String
    public var scores: String
    public var classes: Int?
    public var features: Int?
    public var unwanted: [String]?
    public var method: String?
    public var blocks: Int?
    /// At most this many blocks (a chain of at most that many switches); 0 = no bound.
    public var maxBlocks: Int?
    public var seed: Int?
    public var compare: Bool?
    public var figureSuffix: String?
  }

  public init() {}
  public let name = "partition"
  public var codeModules: [String] { ["Partition", "Report"] }
  public var summary: String { "partition the classes into blocks with per-block feature sets (SPP)" }
  public var inputArguments: [String] { ["weights", "scores"] }
  public var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("blocks", .integer, unit: "blocks"), OutputDeclaration("totalGain", .number, unit: "gain"),
      OutputDeclaration("classes", .list),
    ]
  }

  /// Random partitions drawn for the comparison.
  static let randomDraws = 100

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let methodName = a.method ?? "greedy"
    guard let method = SPPMethod(rawValue: methodName) else {
      throw StepError("unknown method '\(methodName)' (greedy, exact, ilp, random)", argument: ["method"])
    }
    let seed = UInt64(max(0, a.seed ?? 0))
    let unwanted = a.unwanted ?? []
    let weights = try CSVTable.read(path: context.resolve(a.weights))
    let scores = try CSVTable.read(path: context.resolve(a.scores))
    let available = weights.records.filter { !unwanted.contains($0.fields[0]) }.count
    let m = a.classes ?? min(available, SPPProblem.maxClasses)
    let r = a.features ?? min(15, max(1, weights.header.count - 1))
    let problem = try SPPProblem.parse(
      weights: weights, scores: scores, options: SPPLoadOptions(classes: m, features: r, unwanted: unwanted))
    guard (a.maxBlocks ?? 0) >= 0 else {
      throw StepError("maxBlocks must be ≥ 0 (0 = no bound)", argument: ["maxBlocks"])
    }
    let bound = a.maxBlocks.flatMap { $0 == 0 ? nil : $0 }
    let solution: SPPSolution
    do {
      solution = try SPPSolution.solve(problem, method: method, blocks: a.blocks, maxBlocks: bound, seed: seed)
    } catch let e as UsageError {
      throw StepError(e.message, argument: bound != nil ? ["maxBlocks"] : a.blocks == nil ? ["method"] : ["blocks"])
    }
    try context.write(solution.referenceCSV(), to: "partition.csv")
    try context.write(solution.json().rendered(), to: "partition.json")

    let model = GainModel(problem)
    let suffix = a.figureSuffix.map { $0.isEmpty ? "" : "-" + $0 } ?? ""
    let compare = a.compare ?? false
    // Greedy levels: the curve the reference plots (total gain of each level against its block count).
    var greedy: GreedyResult?
    if method != .greedy || a.blocks != nil { greedy = try GreedyAgglomerative.run(model, maxBlocks: bound) }
    let levels = greedy?.levels ?? solution.levels
    var greedyByK: [Int: Double] = [:]
    for l in levels where greedyByK[l.partition.blockCount] == nil {
      greedyByK[l.partition.blockCount] = l.partition.totalGain
    }
    let greedyBest = greedy?.partition ?? solution.partition
    // Greedy's own choice without the bound: how many switches the unbounded method would ask for.
    let unbounded = bound == nil ? greedyBest : try GreedyAgglomerative.run(model).partition
    var exact: ExactResult?
    if compare && problem.classCount <= ExactPartitionSolver.maxClasses {
      exact = try ExactPartitionSolver.solve(model, objective: .compact, maxBlocks: bound)
    }
    var randomGains: [Double] = []
    // A random partition needs 2 ≤ k ≤ m − 1 blocks (and a bound of at least 2).
    if compare && problem.classCount >= 3 && (bound ?? 2) >= 2 {
      var rng = SplitMix64(seed: seed)
      for _ in 0..<Self.randomDraws {
        randomGains.append(try RandomPartition.draw(model, using: &rng, maxBlocks: bound).totalGain)
      }
    }

    var metrics: [Metric] = [
      Metric("blocks", Double(solution.partition.blockCount), unit: "blocks"),
      Metric("totalGain", solution.partition.totalGain, unit: "gain"),
      Metric("sumGain", solution.partition.sumGain, unit: "gain"),
    ]
    if let b = bound {
      metrics.append(Metric("maxBlocks", Double(b), unit: "blocks"))
      metrics.append(Metric("greedyUnboundedBlocks", Double(unbounded.blockCount), unit: "blocks"))
    }
    var methodRows: [[String]] = [
      ["greedy", String(greedyBest.blockCount), NumberFormat.fixed(greedyBest.totalGain, 5)]
    ]
    if let e = exact {
      methodRows.append(["exact", String(e.partition.blockCount), NumberFormat.fixed(e.partition.totalGain, 5)])
      metrics.append(Metric("exactTotalGain", e.partition.totalGain, unit: "gain"))
      metrics.append(Metric("greedyGap", e.partition.totalGain - greedyBest.totalGain, unit: "gain"))
    }
    if !randomGains.isEmpty {
      let mean = randomGains.reduce(0, +) / Double(randomGains.count)
      let best = randomGains.max()!
      methodRows.append(["random (best of \(randomGains.count))", "", NumberFormat.fixed(best, 5)])
      methodRows.append(["random (mean of \(randomGains.count))", "", NumberFormat.fixed(mean, 5)])
      metrics.append(Metric("randomMeanTotalGain", mean, unit: "gain"))
      metrics.append(Metric("randomBestTotalGain", best, unit: "gain"))
    }

    var figures: [StepFigure] = []
    var series = [
      PointSeries("greedy levels", greedyByK.keys.sorted().map { ChartPoint(Double($0), greedyByK[$0]!) })
    ]
    if let e = exact {
      let pts = e.bestSumByBlocks.indices.dropFirst().compactMap { k in
        e.bestSumByBlocks[k].map {
          ChartPoint(Double(k), ClassPartition.compactness(blocks: k, classes: problem.classCount) * $0)
        }
      }
      series.append(PointSeries("exact best per k", pts))
    }
    figures.append(
      StepFigures.make(
        .line(
          LineChart(
            labels: ChartLabels(
              title: "Total gain vs number of blocks (m = \(problem.classCount), r = \(problem.featureCount))",
              description: "G = (m − k)/(m − 1) · Σ g for each greedy level"
                + (exact == nil ? "" : " and the exact optimum per k"),
              xLabel: "number of blocks k", yLabel: "total gain G"),
            series: series, xDecimals: 0, yDecimals: 2)),
        id: "fig-spp-gain" + suffix,
        caption: "Total gain of the partition against its number of blocks; the chosen partition is the maximum"
          + (bound.map { " among at most \($0) blocks (without the bound: \(unbounded.blockCount) blocks)" } ?? "")
          + " (\(solution.partition.blockCount) blocks, G = \(NumberFormat.fixed(solution.partition.totalGain, 5))).",
        shows: ["totalGain"], in: context))
    if compare {
      var cats = ["greedy"]
      var vals = [greedyBest.totalGain]
      if let e = exact {
        cats.append("exact")
        vals.append(e.partition.totalGain)
      }
      if !randomGains.isEmpty {
        cats += ["random best", "random mean"]
        vals += [randomGains.max()!, randomGains.reduce(0, +) / Double(randomGains.count)]
      }
      figures.append(
        StepFigures.make(
          .bar(
            BarChart(
              labels: ChartLabels(
                title: "Greedy vs exact vs random partitions",
                description: ("Total gain G of the greedy heuristic, the exact optimum (m ≤ 16) and "
                  + "\(Self.randomDraws) random partitions"),
                xLabel: "method", yLabel: "total gain G"),
              categories: cats, series: [BarSeries("total gain", vals)], valueDecimals: 3)),
          id: "fig-spp-methods" + suffix,
          caption: "How close greedy comes to the optimum, and how far above chance both are.", in: context))
    }

    var blockRows: [[String]] = []
    for (i, b) in solution.partition.blocks.enumerated() {
      blockRows.append([
        String(i), solution.blockClassNames[i].joined(separator: ", "),
        solution.blockFeatureNames[i].joined(separator: ", "), NumberFormat.fixed(b.gain, 5),
      ])
    }
    var tables = [
      StepTable(
        id: "blocks", caption: "Blocks of the \(method.rawValue) solution: classes, selected features φ*, gain g",
        columns: ["block", "classes", "features", "g"], rows: blockRows)
    ]
    if compare {
      tables.append(
        StepTable(
          id: "methods", caption: "Total gain by method", columns: ["method", "blocks", "total gain"], rows: methodRows)
      )
    }
    return StepOutput(
      values: [
        "blocks": .int(solution.partition.blockCount), "totalGain": .double(solution.partition.totalGain),
        "classes": .array(solution.blockClassNames.map(StepValues.strings)),
      ],
      metrics: metrics, figures: figures, tables: tables)
  }
}
