import DUNESupport
import Foundation
import Literate
import Shards

/// Where a step's grid runs, read from `StepContext.execution` (`dune run -P executor=… -P slurm-…=…`).
///
/// `local` (the default) computes in this process on every core. `slurm` writes the grid's inputs
/// to a job folder on a shared file system, runs its shards as one Slurm job array and merges the
/// results, which are byte-identical to a local run (the settings are therefore not part of any
/// cache key). A failed or cancelled job fails the step, caches nothing and names the shards and
/// their logs; the job folder keeps the finished shards, so a re-run submits only the others.
public struct StepExecution: Sendable {
  public enum Mode: Sendable, Equatable {
    case local
    case slurm(SlurmSettings)
  }

  public var mode: Mode
  /// The shared folder holding job folders (`slurm-dir`, default `<project>/.dune/shards`).
  public var root: String
  /// Shards per job (`slurm-shards`); nil = one per work unit, at most 64.
  public var shards: Int?
  /// Status lines of a running job.
  public var progress: ShardProgress
  /// Replaces the Slurm tools (tests).
  public var scheduler: (any BatchScheduler)?

  /// Every `-P` key `dune run` routes here instead of to the chapters' parameters.
  public static let keys: Set<String> = [
    "executor", "slurm-partition", "slurm-time", "slurm-concurrency", "slurm-cpus", "slurm-mem", "slurm-options",
    "slurm-retries", "slurm-poll", "slurm-dir", "slurm-shards", "slurm-dune",
  ]

  /// True for the `-P` names that are execution settings.
  public static func isExecutionKey(_ name: String) -> Bool { name == "executor" || name.hasPrefix("slurm-") }

  public init(
    mode: Mode = .local, root: String, shards: Int? = nil, progress: ShardProgress = .silent,
    scheduler: (any BatchScheduler)? = nil
  ) {
    self.mode = mode
    self.root = root
    self.shards = shards
    self.progress = progress
    self.scheduler = scheduler
  }

  /// Reads the settings; unknown keys and malformed values are errors naming the key.
  public static func parse(_ settings: [String: String], projectRoot: URL) throws -> StepExecution {
    for k in settings.keys.sorted() where !keys.contains(k) {
      throw StepError("unknown execution setting -P \(k) (known: \(keys.sorted().joined(separator: ", ")))")
    }
    func int(_ k: String, min: Int) throws -> Int? {
      guard let text = settings[k] else { return nil }
      guard let v = Int(text), v >= min else { throw StepError("-P \(k) must be an integer ≥ \(min), got '\(text)'") }
      return v
    }
    let rootSetting = settings["slurm-dir"].map { $0.hasPrefix("/") ? $0 : projectRoot.appendingPathComponent($0).path }
    let root = rootSetting ?? projectRoot.appendingPathComponent(".dune/shards").path
    let shards = try int("slurm-shards", min: 1)
    switch settings["executor"] ?? "local" {
    case "local":
      return StepExecution(mode: .local, root: root, shards: shards, progress: .stderr)
    case "slurm":
      var s = SlurmSettings()
      s.partition = settings["slurm-partition"]
      s.timeLimit = settings["slurm-time"]
      s.concurrency = try int("slurm-concurrency", min: 1)
      s.cpusPerTask = try int("slurm-cpus", min: 1) ?? 1
      s.memory = settings["slurm-mem"]
      s.extraOptions = settings["slurm-options"].map { $0.split(separator: " ").map(String.init) } ?? []
      s.retries = try int("slurm-retries", min: 0) ?? 2
      if let p = settings["slurm-poll"] {
        guard let v = Double(p), v > 0 else { throw StepError("-P slurm-poll must be a positive number of seconds") }
        s.pollSeconds = v
      }
      if let d = settings["slurm-dune"] { s.executable = d }
      return StepExecution(mode: .slurm(s), root: root, shards: shards, progress: .stderr)
    case let other:
      throw StepError("-P executor must be local or slurm, got '\(other)'")
    }
  }

  /// The execution of a step run by the runner.
  public static func of(_ context: StepContext) throws -> StepExecution {
    try parse(context.execution, projectRoot: context.projectRoot)
  }

  /// Plans a job of computation `C`, has every shard computed by the configured executor and returns
  /// the payloads in shard order. The job folder is removed once its results are read.
  func runSharded<C: ShardedComputation>(
    _ computation: C.Type, parameters: C.Parameters, inputs: [String: String], costs: [Double]
  ) throws -> [C.Payload] {
    guard case .slurm(let settings) = mode else {
      throw StepError("internal: only the Slurm executor runs shard jobs")
    }
    let data = try ShardComputations.encode(parameters)
    let job = try ShardJob.prepare(
      root: root, kind: C.kind, parameters: data, inputs: inputs, costs: costs, shards: shards ?? min(costs.count, 64))
    let executor = SlurmExecutor(settings: settings, scheduler: scheduler ?? SlurmCommands())
    do {
      try executor.complete(job, progress: progress)
    } catch let e as ShardFailure {
      throw StepError("\(e)")
    }
    let results = try job.readResults(C.Payload.self)
    try? FileManager.default.removeItem(at: job.folder)
    return results.map(\.payload)
  }
}

extension ShardProgress {
  /// One line on standard error per change of status.
  public static let stderr: ShardProgress = {
    let last = LastLine()
    return ShardProgress { done, total, status in
      let line = "  shards \(done)/\(total): \(status)"
      if last.swap(line) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
  }()
}

/// The last status line printed (so an unchanged poll prints nothing).
private final class LastLine: @unchecked Sendable {
  private let lock = NSLock()
  private var text = ""

  /// Stores `line`; true when it differs from the previous one.
  func swap(_ line: String) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if line == text { return false }
    text = line
    return true
  }
}
