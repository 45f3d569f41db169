import ArgumentParser
import DUNESupport
import Forest
import Foundation
import Traffic

/// `dune forest …`: train and evaluate random forests, run the unconstrained grid, compute PCFI.
struct ForestGroup: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forest",
    abstract: "Random forests on hybrid samples: evaluate, grid search (step 2), PCFI.",
    subcommands: [ForestEvaluate.self, ForestGrid.self, ForestPCFI.self])
}

/// Options shared by the forest commands: where the samples are and which classes/features to use.
struct ForestDataOptions: ParsableArguments {
  @Option(help: "Folder with <usecase>_<split>_<N>.csv and <usecase>_<split>_flow_counts.csv.")
  var samples: String

  @Option(name: .customLong("use-case"), help: "Use case name or JSON file (class list, file prefix).")
  var useCase: String

  @Option(help: "Comma-separated class list overriding the use case's.")
  var classes: String?

  @Option(
    help:
      "Feature set name (pkt, flow, all, easy, no_time) or comma-separated feature names; default: the use case's unconstrained set."
  )
  var features: String?

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  /// The resolved use case, class list and feature list.
  func resolve() throws -> (useCase: UseCase, classes: [String], features: [String]) {
    let u = try UseCase.resolve(useCase)
    let cls = classes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? u.classes
    guard !cls.isEmpty else { throw UsageError("empty class list") }
    let feats: [String]
    do {
      feats = try FeatureCatalog.resolve(features ?? u.featureSets.unconstrained)
    } catch let e as FeatureSetError {
      throw UsageError(e.message)
    }
    guard !feats.isEmpty else { throw UsageError("empty feature list") }
    return (u, cls, feats)
  }

  var threadCount: Int {
    get throws {
      guard let t = threads else { return defaultThreadCount }
      guard t >= 1 else { throw UsageError("--threads must be ≥ 1") }
      return t
    }
  }
}

/// Options of one forest's hyper-parameters.
struct ForestModelOptions: ParsableArguments {
  @Option(help: "Number of trees.") var trees: Int
  @Option(help: "Maximum depth (depth-first growth).") var depth: Int?
  @Option(help: "Maximum leaf count (best-first growth).") var leaves: Int?
  @Option(name: .customLong("max-features"), help: "sqrt, all or an integer.") var maxFeatures = "sqrt"
  @Option(help: "gini or entropy.") var criterion = "gini"
  @Flag(help: "Bootstrap samples per tree (reference: off).") var bootstrap = false
  @Option(help: "Forest seed.") var seed: UInt64 = 42

  func parameters() throws -> ForestParameters {
    guard trees >= 1 else { throw UsageError("--trees must be ≥ 1") }
    let growth: TreeGrowth
    switch (depth, leaves) {
    case (let d?, nil):
      guard d >= 1 else { throw UsageError("--depth must be ≥ 1") }
      growth = .depthFirst(maxDepth: d)
    case (nil, let l?):
      guard l >= 2 else { throw UsageError("--leaves must be ≥ 2") }
      growth = .bestFirst(maxLeafNodes: l, maxDepth: nil)
    default:
      throw UsageError("give exactly one of --depth and --leaves")
    }
    guard let mf = MaxFeatures(argument: maxFeatures) else {
      throw UsageError("--max-features must be sqrt, all or a positive integer")
    }
    guard let cr = SplitCriterion(rawValue: criterion) else { throw UsageError("--criterion must be gini or entropy") }
    return ForestParameters(
      treeCount: trees, growth: growth, criterion: cr, maxFeatures: mf, bootstrap: bootstrap, seed: seed)
  }
}

/// Scores in percent, as printed by the forest commands.
struct ScoreTriple: Codable {
  var macro: Double
  var weighted: Double
  var micro: Double
  init(_ r: ClassificationReport) {
    macro = r.macroF1 * 100
    weighted = r.weightedF1 * 100
    micro = r.microF1 * 100
  }
}

struct ForestEvaluate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Train one forest on N's training samples and score it FL/PL on the test samples.")

  @OptionGroup var data: ForestDataOptions
  @Option(help: "Inference point N.") var n: Int
  @OptionGroup var model: ForestModelOptions
  @Option(name: .customLong("save-model"), help: "Write the trained model as JSON.") var saveModel: String?
  @Flag(help: "Print the result as JSON (the only output format).") var json = false

  struct Output: Codable {
    var fl: ScoreTriple
    var pl: ScoreTriple
    var perClass: [String: Double]
    var trainSeconds: Double
    var predictSeconds: Double
    var n: Int
    var trees: Int
    var features: [String]
    var trainRows: Int
    var testRows: Int
    var expandedTestSamples: Double
    var droppedTrain: DatasetPreparation.Dropped
    var droppedTest: DatasetPreparation.Dropped
    var nodes: Int
    var leaves: Int
    var maxDepth: Int
    var hardVoteTies: Int
  }

  func run() async throws {
    try await reportingErrors {
      let (u, classes, features) = try data.resolve()
      let params = try model.parameters()
      let threads = try data.threadCount
      let prepared = try SampleFiles(folder: data.samples, useCase: u.name).load(
        n: n, classes: classes, features: features)
      let t0 = Date()
      let forest = try RandomForest.train(
        prepared.train, classes: classes, features: features, parameters: params, threads: threads)
      let t1 = Date()
      let predictions = forest.predictSoft(prepared.test.matrix, threads: threads)
      let t2 = Date()
      let ties = forest.predictHard(prepared.test.matrix).filter { $0 == nil }.count
      let e = FlowPacketEvaluation(test: prepared.test, predictions: predictions, classCount: classes.count)
      if let path = saveModel { try forest.write(to: path) }
      var perClass: [String: Double] = [:]
      for (l, s) in zip(e.fl.labels, e.fl.scores) { perClass[classes[l]] = s.f1 * 100 }
      let out = Output(
        fl: ScoreTriple(e.fl), pl: ScoreTriple(e.pl), perClass: perClass,
        trainSeconds: t1.timeIntervalSince(t0), predictSeconds: t2.timeIntervalSince(t1), n: n,
        trees: forest.trees.count, features: features, trainRows: prepared.train.rowCount,
        testRows: prepared.test.rowCount, expandedTestSamples: e.expandedSamples,
        droppedTrain: prepared.droppedTrain, droppedTest: prepared.droppedTest,
        nodes: forest.trees.reduce(0) { $0 + $1.nodeCount }, leaves: forest.trees.reduce(0) { $0 + $1.leafCount },
        maxDepth: forest.trees.map(\.depth).max() ?? 0, hardVoteTies: ties)
      printOut(try DeterministicJSON.text(out, pretty: false))
    }
  }
}

/// Parses `5...30`, `5-30` or `1,2,7` into a sorted list of distinct positive integers.
func parseIntList(_ text: String, option: String) throws -> [Int] {
  var out = Set<Int>()
  for part in text.split(separator: ",") {
    let p = part.trimmingCharacters(in: .whitespaces)
    let bounds = p.contains("...") ? p.components(separatedBy: "...") : p.components(separatedBy: "-")
    if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a <= b, a >= 1 {
      out.formUnion(a...b)
    } else if let v = Int(p), v >= 1 {
      out.insert(v)
    } else {
      throw UsageError("\(option): '\(p)' is not a positive integer or range a...b")
    }
  }
  guard !out.isEmpty else { throw UsageError("\(option): empty list") }
  return out.sorted()
}

struct ForestGrid: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grid",
    abstract:
      "Unconstrained model analysis (step 2): depth × trees × nested top-k features × N; writes the reference files.")

  @OptionGroup var data: ForestDataOptions
  @Option(help: "Inference points, e.g. 2,3,4.") var n = "2,3,4"
  @Option(help: "Depths, e.g. 5...30.") var depths = "5...30"
  @Option(help: "Tree counts, e.g. 1...40.") var trees = "1...40"
  @Option(help: "Nested top-k subset sizes: 'nested' (1...F), 'full' (all features only) or a list.") var subsets =
    "nested"
  @Option(name: .customLong("max-features"), help: "sqrt, all or an integer.") var maxFeatures = "sqrt"
  @Option(help: "Forest seed.") var seed: UInt64 = 42
  @Option(
    help:
      "Top-k ranking: per-n (one MDI order per N, fast) or per-point (each (trees, depth) point's own MDI order, the reference rule)."
  )
  var ranking = "per-n"
  @Option(help: "Output folder.") var out: String
  @Flag(help: "Print the summary as JSON.") var json = false

  struct Summary: Codable {
    var best: Best
    var fits: Int
    var points: Int
    var seconds: Double
    var rankings: [String: [String]]
    var files: [String]
    /// Rows dropped while preparing each N (`train`/`test`), keyed by N.
    var dropped: [String: [String: DatasetPreparation.Dropped]]
  }

  struct Best: Codable {
    var n: Int
    var trees: Int
    var gridDepth: Int
    var maxDepth: Int
    var features: [String]
    var fl: ScoreTriple
    var pl: ScoreTriple
  }

  func run() async throws {
    try await reportingErrors {
      let (u, classes, features) = try data.resolve()
      let threads = try data.threadCount
      let ns = try parseIntList(n, option: "--n")
      guard let mf = MaxFeatures(argument: maxFeatures) else {
        throw UsageError("--max-features must be sqrt, all or a positive integer")
      }
      guard let rankingRule = UnconstrainedGrid.Ranking(rawValue: ranking) else {
        throw UsageError("--ranking must be per-n or per-point")
      }
      let sizes: [Int]?
      switch subsets {
      case "nested": sizes = nil
      case "full": sizes = [features.count]
      default: sizes = try parseIntList(subsets, option: "--subsets")
      }
      let settings = UnconstrainedGrid.Settings(
        depths: try parseIntList(depths, option: "--depths"), treeCounts: try parseIntList(trees, option: "--trees"),
        subsetSizes: sizes, maxFeatures: mf, seed: seed, threads: threads, ranking: rankingRule)
      let loaded = try UnconstrainedGrid.loadInputs(
        SampleFiles(folder: data.samples, useCase: u.name), inferencePoints: ns, classes: classes, features: features)
      let prepared = loaded.prepared
      let start = Date()
      var files = UnconstrainedGrid.ResultFiles(inferencePoints: ns, classes: classes)
      let summary = try UnconstrainedGrid.run(
        inputs: loaded.inputs, classes: classes, features: features, settings: settings,
        onRow: { files.add($0) },
        progress: { FileHandle.standardError.write(Data(("grid: " + $0 + "\n").utf8)) })
      let best = summary.best
      let realised = best.realisedDepth
      let model = try UnconstrainedGrid.bestModel(
        summary, train: prepared[best.n]!.train, classes: classes, features: features, settings: settings)
      let pcfi = FeatureImportance.pcfi(model)
      for c in pcfi.zeroRowClasses {
        FileHandle.standardError.write(
          Data("warning: class '\(c)' is the majority of no leaf; its PCFI row is zero\n".utf8))
      }
      var written: [String] = []
      func put(_ name: String, _ text: String) throws {
        let path = (out as NSString).appendingPathComponent(name)
        try AtomicFile.write(text, to: path)
        written.append(path)
      }
      for v in ns { try put(GridOutputs.resultsFileName(useCase: u.name, n: v), files.text(n: v)) }
      try put(
        "importance_weights.csv", GridOutputs.importanceWeightsCSV(pcfi, classes: classes, features: best.features))
      try put("score_per_class.csv", GridOutputs.scorePerClassCSV(best.evaluation.fl, classes: classes))
      let bestOut = Best(
        n: best.n, trees: best.treeCount, gridDepth: best.maxDepth, maxDepth: realised, features: best.features,
        fl: ScoreTriple(best.evaluation.fl), pl: ScoreTriple(best.evaluation.pl))
      try put("best_model.json", try DeterministicJSON.text(bestOut, pretty: false) + "\n")
      try model.write(to: (out as NSString).appendingPathComponent("best_model_forest.json"))
      written.append((out as NSString).appendingPathComponent("best_model_forest.json"))
      let s = Summary(
        best: bestOut, fits: summary.fits, points: summary.points, seconds: Date().timeIntervalSince(start),
        rankings: Dictionary(uniqueKeysWithValues: summary.rankings.map { (String($0.key), $0.value) }), files: written,
        dropped: Dictionary(
          uniqueKeysWithValues: prepared.map {
            (String($0.key), ["train": $0.value.droppedTrain, "test": $0.value.droppedTest])
          }))
      printOut(try DeterministicJSON.text(s, pretty: false))
    }
  }
}

struct ForestPCFI: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pcfi",
    abstract: "Train one forest and write its per-class feature importance (importance_weights.csv, §4.3).")

  @OptionGroup var data: ForestDataOptions
  @Option(help: "Inference point N.") var n: Int
  @OptionGroup var model: ForestModelOptions
  @Option(help: "Output CSV path.") var out: String
  @Flag(help: "Print a JSON summary.") var json = false

  struct Output: Codable {
    var file: String
    var features: [String]
    var mdi: [Double]
    var zeroRowClasses: [String]
  }

  func run() async throws {
    try await reportingErrors {
      let (u, classes, features) = try data.resolve()
      let params = try model.parameters()
      let prepared = try SampleFiles(folder: data.samples, useCase: u.name).load(
        n: n, classes: classes, features: features)
      let forest = try RandomForest.train(
        prepared.train, classes: classes, features: features, parameters: params, threads: try data.threadCount)
      let pcfi = FeatureImportance.pcfi(forest, criterion: params.criterion)
      for c in pcfi.zeroRowClasses {
        FileHandle.standardError.write(
          Data("warning: class '\(c)' is the majority of no leaf; its PCFI row is zero\n".utf8))
      }
      // Columns in descending MDI order, as the reference writes the best model's features.
      let mdi = FeatureImportance.mdi(forest)
      let order = FeatureImportance.ranking(mdi)
      let permuted = FeatureImportance.PerClass(
        matrix: pcfi.matrix.map { row in order.map { row[$0] } }, zeroRowClasses: pcfi.zeroRowClasses)
      try AtomicFile.write(
        GridOutputs.importanceWeightsCSV(permuted, classes: classes, features: order.map { features[$0] }), to: out)
      printOut(
        try DeterministicJSON.text(
          Output(
            file: out, features: order.map { features[$0] }, mdi: order.map { mdi[$0] },
            zeroRowClasses: pcfi.zeroRowClasses), pretty: false))
    }
  }
}
