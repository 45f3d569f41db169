import ArgumentParser
import DUNESupport
import Foundation
import Shards
import Steps

/// `dune shard`: the worker side of sharded grids (what a Slurm array task runs) and job inspection.
struct ShardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shard",
    abstract: "Compute one shard of a job folder written by `dune run -P executor=slurm`, or show a job's state.",
    subcommands: [ShardRun.self, ShardStatus.self])
}

/// `dune shard run JOB --index i`: computes shard i and writes `results/shard-<i>.json` atomically.
struct ShardRun: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Compute one shard of a job (a Slurm array task runs this).")

  @Argument(help: "The job folder (holds job.json).") var job: String
  @Option(help: "Shard number, 1-based (default: $SLURM_ARRAY_TASK_ID).") var index: Int?
  @Option(help: "Worker threads (default: $SLURM_CPUS_PER_TASK, else all cores).") var threads: Int?

  func run() async throws {
    try await reportingErrors {
      let env = ProcessInfo.processInfo.environment
      guard let i = index ?? env["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) else {
        throw UsageError("give --index (no SLURM_ARRAY_TASK_ID in the environment)")
      }
      let t = threads ?? env["SLURM_CPUS_PER_TASK"].flatMap { Int($0) } ?? ProcessInfo.processInfo.activeProcessorCount
      let clock = ContinuousClock()
      let start = clock.now
      try ShardComputations.runShard(folder: job, index: i, threads: t)
      let d = clock.now - start
      printOut(
        "shard \(i) of \(job): done in \(NumberFormat.fixed(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, 2)) s"
      )
    }
  }
}

/// `dune shard status JOB`: which shards have a valid result, and why the others do not.
struct ShardStatus: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "List a job's shards: done, missing, or invalid (and why).")

  @Argument(help: "The job folder (holds job.json).") var job: String

  func run() async throws {
    try await reportingErrors {
      let j = try ShardJob.open(job)
      let m = j.manifest
      printOut("job \(m.id.prefix(16)) kind \(m.kind): \(m.unitCount) units in \(m.shardCount) shards")
      var missing = 0
      for i in 1...m.shardCount {
        let p = j.problem(shard: i)
        if p != nil { missing += 1 }
        printOut("  shard \(i): \(p.map { "\($0)" } ?? "done") (units \(j.units(ofShard: i)))")
      }
      printOut(missing == 0 ? "complete: ready to merge" : "\(missing) shard(s) without a valid result")
      if missing > 0 { throw ExitCode(1) }
    }
  }
}
