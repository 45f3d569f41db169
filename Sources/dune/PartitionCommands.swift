import ArgumentParser
import DUNESupport
import Foundation
import Partition

/// `dune partition`: set partitioning of the classes into blocks (spec §5).
struct PartitionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "partition",
    abstract: "Partition the classes into blocks with per-block feature sets (SPP, spec §5).",
    discussion: """
      Reads the PCFI weights (first column = class name) and the per-class F1 scores (percent), removes the
      unwanted classes, keeps the first M rows and R columns in file order and joins F1 by class name.
      Methods: greedy (published heuristic), exact (optimum of C(k)·Σg, M ≤ 16), ilp (optimum of plain Σg
      with ≤ M − 1 blocks, the reference ILP's objective, M ≤ 16), random (seeded baseline).
      """)

  @Option(help: "PCFI weights CSV (class column first, then features).") var weights: String
  @Option(help: "Per-class score CSV (columns class, f1_score in percent).") var scores: String
  @Option(name: .customLong("classes"), help: "m: number of classes (first m W rows after removal).") var classes: Int
  @Option(name: .customLong("features"), help: "r: number of features (first r W columns).") var features: Int
  @Option(help: "Comma-separated classes to remove first, e.g. 'mitm,dos,backdoor'.") var unwanted: String = ""
  @Option(help: "greedy | exact | ilp | random.") var method: String = "greedy"
  @Option(help: "Fix the number of blocks k (1 ≤ k ≤ m − 1; greedy, exact, ilp).") var blocks: Int?
  @Option(
    name: .customLong("max-blocks"),
    help: "At most K blocks (a chain of at most K switches): the best level or optimum with ≤ K blocks.")
  var maxBlocks: Int?
  @Option(help: "Seed of the random baseline.") var seed: UInt64 = 0
  @Flag(help: "Reference bug S1: F sorted by class name and used positionally against W's rows.")
  var referencePositionalF1 = false
  @Option(help: "Write the reference solution CSV (Cluster, Class List, Feature List) here.") var out: String?
  @Flag(help: "Print the solution as JSON instead of a text summary.") var json = false

  func run() async throws {
    try await reportingErrors {
      guard let m = SPPMethod(rawValue: method) else {
        throw UsageError("unknown method '\(method)' (greedy, exact, ilp, random)")
      }
      let options = SPPLoadOptions(
        classes: classes, features: features,
        unwanted: unwanted.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
        alignment: referencePositionalF1 ? .referencePositional : .byName)
      let problem = try SPPProblem.load(weightsPath: weights, scoresPath: scores, options: options)
      let solution = try SPPSolution.solve(problem, method: m, blocks: blocks, maxBlocks: maxBlocks, seed: seed)
      if let out { try AtomicFile.write(solution.referenceCSV(), to: out) }
      if json {
        FileHandle.standardOutput.write(Data(solution.json().rendered().utf8))
      } else {
        FileHandle.standardOutput.write(Data(solution.textSummary().utf8))
      }
    }
  }
}

/// `dune sequence`: the order of the sub-models along the switch chain (spec §7).
struct SequenceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sequence",
    abstract: "Order the sub-models along the switch chain by exact subset DP (spec §7, n ≤ 20).")

  @Option(help: "Cluster-level false-positive matrix (cm_matrix_cluster.csv layout, percent).") var fp: String
  @Option(help: "Per-sub-model macro F1 CSV (columns Cluster, Macro_f1_FL, percent).") var f1: String
  @Flag(help: "Also list every optimal order (ties).") var allOptimal = false
  @Option(help: "Largest number of optimal orders to list.") var optimalLimit: Int = 10_000
  @Option(help: "Number of runner-up orders to report.") var runnerUps: Int = 3
  @Option(help: "Write the ranked orders as CSV (rank, order, objective) here.") var out: String?
  @Flag(help: "Print the result as JSON instead of a text summary.") var json = false

  func run() async throws {
    try await reportingErrors {
      guard runnerUps >= 0, runnerUps <= 254 else { throw UsageError("--runner-ups must be in 0…254") }
      guard optimalLimit >= 1 else { throw UsageError("--optimal-limit must be at least 1") }
      let problem = try SequencingProblem.load(falsePositivePath: fp, f1Path: f1)
      let result = SequencingSolver.solve(
        problem, allOptimal: allOptimal, optimalLimit: optimalLimit, runnerUps: runnerUps)
      if let out { try AtomicFile.write(result.csv(), to: out) }
      let text =
        json
        ? result.json(problem: problem, includeAllOptimal: allOptimal).rendered()
        : result.textSummary(includeAllOptimal: allOptimal)
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }
}

/// `dune bench partition`: timings of the SPP solvers and the sequencing DP on seeded random instances.
struct BenchPartition: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "partition",
    abstract: "Time exact SPP (m = 16), greedy SPP (m = 24 / UNSW), and sequencing (n = 16, 20).")

  @Option(help: "Classes of the exact SPP instance (≤ 16).") var exactClasses: Int = 16
  @Option(help: "Folder with the reference inputs (for greedy on UNSW).") var reference: String = "paper/inputs"
  @Option(help: "Seed of the random instances.") var seed: UInt64 = 1

  func run() async throws {
    try await reportingErrors {
      var rng = SplitMix64(seed: seed)
      let clock = ContinuousClock()
      func seconds(_ d: Duration) -> String {
        let c = d.components
        let s = Double(c.seconds) + Double(c.attoseconds) * 1e-18
        return s < 1 ? NumberFormat.fixed(s * 1000, 2) + " ms" : NumberFormat.fixed(s, 3) + " s"
      }
      func randomSPP(_ m: Int, _ r: Int) throws -> SPPProblem {
        let w = (0..<m).map { _ -> [Double] in
          let row = (0..<r).map { _ in Double.random(in: 0..<1, using: &rng) }
          let total = row.reduce(0, +)
          return row.map { $0 / total }
        }
        return try SPPProblem(
          classNames: (0..<m).map { "c\($0)" }, featureNames: (0..<r).map { "f\($0)" }, weights: w,
          f1Percent: (0..<m).map { _ in Double.random(in: 20..<100, using: &rng) })
      }

      let big = try randomSPP(exactClasses, 15)
      let model = GainModel(big)
      var table: [Double] = []
      let tTable = clock.measure { table = model.allSubsetGains() }
      printOut("gain table m=\(exactClasses) r=15: \(table.count) subsets in \(seconds(tTable))")
      var exact: ExactResult?
      let tExact = try clock.measure { exact = try ExactPartitionSolver.solve(model, objective: .compact) }
      printOut(
        "exact SPP C(k)·Σg m=\(exactClasses) r=15: \(seconds(tExact)) → \(exact!.partition.blockCount) blocks, "
          + "objective \(NumberFormat.fixed(exact!.objective, 5))")
      let tPlain = try clock.measure { exact = try ExactPartitionSolver.solve(model, objective: .plainSum) }
      printOut("exact SPP plain Σg (ILP objective) m=\(exactClasses): \(seconds(tPlain))")
      let tGreedy16 = try clock.measure { _ = try GreedyAgglomerative.run(model) }
      printOut("greedy SPP m=\(exactClasses): \(seconds(tGreedy16))")

      let weights = URL(fileURLWithPath: reference).appendingPathComponent("importance_weights.csv").path
      let scores = URL(fileURLWithPath: reference).appendingPathComponent("score_per_class.csv").path
      let unsw: SPPProblem
      let label: String
      if FileManager.default.fileExists(atPath: weights) {
        unsw = try SPPProblem.load(
          weightsPath: weights, scoresPath: scores,
          options: SPPLoadOptions(classes: 24, features: 15, unwanted: ["Blipcare Blood Pressure meter", "IPhone"]))
        label = "UNSW m=24 r=15"
      } else {
        unsw = try randomSPP(24, 15)
        label = "random m=24 r=15 (reference folder not found)"
      }
      let reps = 20
      var greedy: GreedyResult?
      let tGreedy = try clock.measure {
        for _ in 0..<reps { greedy = try GreedyAgglomerative.run(GainModel(unsw)) }
      }
      printOut(
        "greedy SPP \(label): \(seconds(tGreedy / reps)) per run → TotalGain "
          + NumberFormat.fixed(greedy!.partition.totalGain, 5))

      for n in [16, 20] {
        let claims = (0..<n).map { _ in (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) } }
        let fp = try ClusterFalsePositiveMatrix(claimsBySubModel: claims).percent
        let problem = try SequencingProblem(
          falsePositive: fp, f1Percent: (0..<n).map { _ in Double.random(in: 20..<100, using: &rng) })
        var result: SequencingResult?
        let tDP = clock.measure { result = SequencingSolver.solve(problem, runnerUps: 0) }
        printOut("sequencing DP n=\(n): \(seconds(tDP)) → cost \(NumberFormat.fixed(result!.objective, 5))")
        let tK = clock.measure { result = SequencingSolver.solve(problem, runnerUps: 3) }
        printOut("sequencing DP + 3 runner-ups (k-best) n=\(n): \(seconds(tK))")
      }
    }
  }
}
