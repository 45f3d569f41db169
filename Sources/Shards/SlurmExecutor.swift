import DUNESupport
import Foundation

/// How shards are submitted to Slurm (`dune run -P executor=slurm -P slurm-…=…`).
public struct SlurmSettings: Sendable, Equatable {
  /// `--partition`; nil = the cluster's default.
  public var partition: String?
  /// `--time` of one task (e.g. `00:30:00`); nil = the partition's default.
  public var timeLimit: String?
  /// At most this many tasks of the array at once (`--array=…%N`); nil = no limit.
  public var concurrency: Int?
  /// `--cpus-per-task`; a task uses that many threads.
  public var cpusPerTask: Int
  /// `--mem` of one task (e.g. `4G`); nil = the partition's default.
  public var memory: String?
  /// Extra `#SBATCH` options, e.g. `--account=lab`.
  public var extraOptions: [String]
  /// How often a failed task is submitted again before the step gives up (cancelled tasks never are).
  public var retries: Int
  /// Seconds between two looks at the queue.
  public var pollSeconds: Double
  /// The `dune` executable the tasks run (on a path every node sees).
  public var executable: String

  public init(
    partition: String? = nil, timeLimit: String? = nil, concurrency: Int? = nil, cpusPerTask: Int = 1,
    memory: String? = nil, extraOptions: [String] = [], retries: Int = 2, pollSeconds: Double = 2,
    executable: String = CodeIdentity.executablePath
  ) {
    self.partition = partition
    self.timeLimit = timeLimit
    self.concurrency = concurrency
    self.cpusPerTask = cpusPerTask
    self.memory = memory
    self.extraOptions = extraOptions
    self.retries = retries
    self.pollSeconds = pollSeconds
    self.executable = executable
  }
}

/// Runs the missing shards of a job as one Slurm job array, waits, resubmits failed tasks a bounded
/// number of times, and reports the shards that still have no result. A task that ran and failed
/// (non-zero exit, time limit, node failure) is resubmitted; a cancelled one is not — cancelling is
/// the user's decision — and fails the run at once.
///
/// The tasks run `dune shard run <job folder> --index $SLURM_ARRAY_TASK_ID`, so the job folder and
/// the executable must be on a file system every node sees. Every submission is appended to
/// `submissions.log` in the job folder; a head process that was interrupted re-attaches to its
/// last array if it is still queued instead of submitting the same shards twice.
public struct SlurmExecutor: ShardExecutor {
  public var settings: SlurmSettings
  public var scheduler: any BatchScheduler
  /// Waits between polls (tests pass a no-op).
  public var pause: @Sendable (Double) -> Void

  public init(
    settings: SlurmSettings, scheduler: any BatchScheduler = SlurmCommands(),
    pause: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
  ) {
    self.settings = settings
    self.scheduler = scheduler
    self.pause = pause
  }

  /// `1-3,5,7-8`: the `--array` list of `shards` (ascending, distinct).
  public static func arraySpec(_ shards: [Int]) -> String {
    var parts: [String] = []
    var i = 0
    let s = Array(Set(shards)).sorted()
    while i < s.count {
      var j = i
      while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
      parts.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
      i = j + 1
    }
    return parts.joined(separator: ",")
  }

  /// The batch script of an array over `shards` of `job`.
  public func script(for job: ShardJob, shards: [Int]) -> String {
    func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    var lines = [
      "#!/bin/sh",
      "#SBATCH --job-name=dune-\(job.manifest.kind)-\(job.manifest.id.prefix(8))",
      "#SBATCH --output=\(job.logsFolder)/shard-%a-%A.out",
      "#SBATCH --array=\(Self.arraySpec(shards))" + (settings.concurrency.map { "%\($0)" } ?? ""),
      "#SBATCH --cpus-per-task=\(settings.cpusPerTask)",
    ]
    if let p = settings.partition { lines.append("#SBATCH --partition=\(p)") }
    if let t = settings.timeLimit { lines.append("#SBATCH --time=\(t)") }
    if let m = settings.memory { lines.append("#SBATCH --mem=\(m)") }
    for o in settings.extraOptions { lines.append("#SBATCH \(o)") }
    lines.append(
      "exec \(quoted(settings.executable)) shard run \(quoted(job.folder.path)) --index \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-1}\""
    )
    return lines.joined(separator: "\n") + "\n"
  }

  /// The log of `shard` in Slurm job `id`.
  public func logPath(_ job: ShardJob, shard: Int, slurmJob id: String) -> String {
    "\(job.logsFolder)/shard-\(shard)-\(id).out"
  }

  var submissionsPath: (ShardJob) -> String { { $0.folder.appendingPathComponent("submissions.log").path } }

  public func complete(_ job: ShardJob, progress: ShardProgress) throws {
    let total = job.manifest.shardCount
    var submitted: [Int: Int] = [:]
    var failed: [ShardFailure.Shard] = []
    func done() -> Int { total - job.missingShards().count }

    // Re-attach to the array of an interrupted head if it is still queued or running.
    if let last = lastSubmission(job), let active = try? scheduler.activeTasks(job: last.id), !active.isEmpty {
      progress.report(done(), total, "waiting for Slurm job \(last.id) of an earlier run")
      _ = try wait(for: last.id, job: job, progress: progress)
    }
    var pending = job.missingShards()
    if pending.isEmpty {
      progress.report(total, total, "all \(total) shards have results")
      return
    }
    while !pending.isEmpty {
      let scriptPath = job.folder.appendingPathComponent("submit.sbatch").path
      try AtomicFile.write(script(for: job, shards: pending), to: scriptPath)
      let id = try scheduler.submit(scriptPath: scriptPath)
      try appendSubmission(job, id: id, shards: pending)
      for s in pending { submitted[s, default: 0] += 1 }
      progress.report(done(), total, "submitted shards \(Self.arraySpec(pending)) of \(total) as Slurm job \(id)")
      let ends = try wait(for: id, job: job, progress: progress)
      var again: [Int] = []
      for s in pending where job.problem(shard: s) != nil {
        let log = logPath(job, shard: s, slurmJob: id)
        let hasLog = FileManager.default.fileExists(atPath: log)
        // A task that never started and left no record was removed from the queue: cancelled (a
        // cancelled pending array task vanishes without a trace when Slurm keeps no accounting).
        let state = ends[s] ?? (hasLog ? "ended without a result" : "removed from the queue before it started")
        let cancelled =
          state.hasPrefix("CANCELLED") || (ends[s] == nil && !hasLog) || (hasLog && Self.logSaysCancelled(log))
        if cancelled || submitted[s]! > settings.retries {
          let what = cancelled ? "cancelled (\(state))" : "\(state) after \(submitted[s]!) submission(s)"
          failed.append(ShardFailure.Shard(index: s, state: what, log: hasLog ? log : nil))
        } else {
          again.append(s)
        }
      }
      if !again.isEmpty {
        progress.report(done(), total, "resubmitting failed shards \(Self.arraySpec(again))")
      }
      pending = again
    }
    guard failed.isEmpty else {
      throw ShardFailure(job: job.folder.path, shardCount: total, shards: failed.sorted { $0.index < $1.index })
    }
    progress.report(total, total, "all \(total) shards have results")
  }

  /// Polls until no task of Slurm job `id` is queued or running; returns the final task states.
  func wait(for id: String, job: ShardJob, progress: ShardProgress) throws -> [Int: String] {
    let total = job.manifest.shardCount
    while true {
      let active = try scheduler.activeTasks(job: id)
      if active.isEmpty { break }
      let running = active.values.filter { $0 == "RUNNING" }.count
      progress.report(
        total - job.missingShards().count, total,
        "Slurm job \(id): \(running) running, \(active.count - running) queued")
      pause(settings.pollSeconds)
    }
    return scheduler.finishedTasks(job: id)
  }

  /// slurmstepd writes `*** JOB … CANCELLED AT … ***` into the log of a cancelled task (and adds
  /// `DUE TO TIME LIMIT` for a timeout, which is a failure worth retrying).
  static func logSaysCancelled(_ path: String) -> Bool {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
    return text.split(separator: "\n").contains {
      $0.contains("CANCELLED AT") && !$0.contains("DUE TO TIME LIMIT")
    }
  }

  struct Submission {
    var id: String
    var shards: String
  }

  func lastSubmission(_ job: ShardJob) -> Submission? {
    guard let text = try? String(contentsOfFile: submissionsPath(job), encoding: .utf8),
      let line = text.split(separator: "\n").last
    else { return nil }
    let f = line.split(separator: " ")
    return f.count >= 2 ? Submission(id: String(f[0]), shards: String(f[1])) : nil
  }

  func appendSubmission(_ job: ShardJob, id: String, shards: [Int]) throws {
    let path = submissionsPath(job)
    let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    try AtomicFile.write(old + "\(id) \(Self.arraySpec(shards))\n", to: path)
  }
}
