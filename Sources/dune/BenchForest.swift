import ArgumentParser
import DUNESupport
import Forest
import Foundation
import Traffic

/// `dune bench forest`: training throughput of the random forest (default: 32 trees, depth 23, the
/// 29 `easy` features, iot-sentinel N = 3 when its samples are given, else a generated table);
/// `--leaves` times best-first fits with a leaf budget instead, as chapter 04's sub-models grow.
struct BenchForest: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forest", abstract: "Random-forest training and prediction throughput.")

  @Option(help: "Sample folder; without it a generated table is used.") var samples: String?
  @Option(name: .customLong("use-case")) var useCase = "iot-sentinel"
  @Option var n = 3
  @Option var trees = 32
  @Option var depth = 23
  @Option(help: "Grow best-first to this many leaves (max_leaf_nodes, chapter 04's growth) instead of to --depth.")
  var leaves: Int?
  @Option var features = "easy"
  @Option(help: "Rows of the generated table.") var rows = 50_000
  @Option var threads: Int?
  @Option(name: .customLong("repeat"), help: "Repetitions (the best time is reported).") var repetitions = 1

  func run() async throws {
    try await reportingErrors {
      let threadCount = threads ?? defaultThreadCount
      let names = try FeatureCatalog.resolve(features)
      let train: LabelledSet
      let test: LabelledSet
      let classes: [String]
      var source = "generated"
      if let folder = samples {
        let u = try UseCase.resolve(useCase)
        let p = try SampleFiles(folder: folder, useCase: u.name).load(n: n, classes: u.classes, features: names)
        train = p.train
        test = p.test
        classes = u.classes
        source = "\(u.name) N=\(n)"
      } else {
        classes = (0..<25).map { "c\($0)" }
        train = Self.generated(rows: rows, features: names.count, classes: classes.count, seed: 1)
        test = Self.generated(rows: rows / 3, features: names.count, classes: classes.count, seed: 2)
      }
      let growth: TreeGrowth =
        leaves.map { .bestFirst(maxLeafNodes: $0, maxDepth: nil) } ?? .depthFirst(maxDepth: depth)
      let params = ForestParameters(treeCount: trees, growth: growth)
      var bestTrain = Double.infinity
      var bestPredict = Double.infinity
      var trainCPU = Double.infinity
      var model: ForestModel?
      for _ in 0..<max(1, repetitions) {
        let c0 = Self.cpuSeconds()
        let t0 = Date()
        let m = try RandomForest.train(
          train, classes: classes, features: names, parameters: params, threads: threadCount)
        let t1 = Date()
        trainCPU = min(trainCPU, Self.cpuSeconds() - c0)
        _ = m.predictSoft(test.matrix, threads: threadCount)
        let t2 = Date()
        bestTrain = min(bestTrain, t1.timeIntervalSince(t0))
        bestPredict = min(bestPredict, t2.timeIntervalSince(t1))
        model = m
      }
      let nodes = model!.trees.reduce(0) { $0 + $1.nodeCount }
      printOut(
        "bench forest: \(source), \(train.rowCount) training rows × \(names.count) features, \(trees) trees \(leaves.map { "best-first to \($0) leaves" } ?? "depth \(depth)"), \(threadCount) threads"
      )
      printOut(
        "  train   \(NumberFormat.fixed(bestTrain, 3)) s  \(NumberFormat.fixed(Double(train.rowCount * trees) / bestTrain, 0)) row·trees/s  (\(nodes) nodes; CPU \(NumberFormat.fixed(trainCPU, 3)) s over all threads)"
      )
      printOut(
        "  predict \(NumberFormat.fixed(bestPredict, 3)) s  \(NumberFormat.fixed(Double(test.rowCount) / bestPredict, 0)) rows/s (\(test.rowCount) rows)"
      )
    }
  }

  /// CPU time of the whole process (all threads), to read timings on a shared machine.
  static func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// A seeded table with few- and many-valued integer columns and labels that depend on them.
  static func generated(rows: Int, features: Int, classes: Int, seed: UInt64) -> LabelledSet {
    var rng = SplitMix64(seed: seed)
    var columns: [[Double]] = []
    for f in 0..<features {
      let levels = [2, 8, 64, 1500, 60_000][f % 5]
      columns.append((0..<rows).map { _ in Double(rng.int(in: 0...(levels - 1))) })
    }
    var labels: [Int32] = []
    for r in 0..<rows {
      let score = Int(columns[0][r]) * 7 + Int(columns[1][r]) * 3 + Int(columns[3][r]) / 97 + rng.int(in: 0...2)
      labels.append(Int32(score % classes))
    }
    let weights = (0..<rows).map { _ in 1.0 / Double(rng.int(in: 1...20)) }
    return LabelledSet(matrix: FeatureMatrix(columns: columns), labels: labels, weights: weights)
  }
}
