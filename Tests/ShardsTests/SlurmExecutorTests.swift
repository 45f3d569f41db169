import DUNESupport
import Foundation
import Testing

@testable import Shards

/// The Slurm executor's bookkeeping (submit, retry, give up, re-run) against a scheduler that runs
/// array tasks in-process; `SlurmIntegrationTests` (CLITests) does the same against a real Slurm.
@Suite struct SlurmExecutorTests {
  /// What a fake array task does.
  enum Outcome: Sendable {
    case succeed
    case fail
    case cancel
    case neverStart
  }

  /// Runs each submitted array task at once according to `plan(shard, attempt)`.
  final class FakeScheduler: BatchScheduler, @unchecked Sendable {
    let job: ShardJob
    let plan: @Sendable (Int, Int) -> Outcome
    private let lock = NSLock()
    var submissions: [[Int]] = []
    var attempts: [Int: Int] = [:]
    var states: [String: [Int: String]] = [:]

    init(job: ShardJob, plan: @escaping @Sendable (Int, Int) -> Outcome) {
      self.job = job
      self.plan = plan
    }

    func submit(scriptPath: String) throws -> String {
      let script = try String(contentsOfFile: scriptPath, encoding: .utf8)
      let line = script.split(separator: "\n").first { $0.hasPrefix("#SBATCH --array=") }!
      let spec = line.dropFirst("#SBATCH --array=".count).split(separator: "%")[0]
      var shards: [Int] = []
      for part in spec.split(separator: ",") {
        let r = part.split(separator: "-").map { Int($0)! }
        shards += Array(r[0]...(r.count == 2 ? r[1] : r[0]))
      }
      lock.lock()
      defer { lock.unlock() }
      submissions.append(shards)
      let id = String(100 + submissions.count)
      var end: [Int: String] = [:]
      for s in shards {
        attempts[s, default: 0] += 1
        let log = "\(job.logsFolder)/shard-\(s)-\(id).out"
        switch plan(s, attempts[s]!) {
        case .succeed:
          try job.writeResult(shard: s, payload: [s])
          try Data("ok\n".utf8).write(to: URL(fileURLWithPath: log))
          end[s] = "COMPLETED"
        case .fail:
          try Data("boom\n".utf8).write(to: URL(fileURLWithPath: log))
          end[s] = "FAILED"
        case .cancel:
          try Data("slurmstepd: error: *** JOB \(id)_\(s) ON vm CANCELLED AT 2026-01-01T00:00:00 ***\n".utf8)
            .write(to: URL(fileURLWithPath: log))
        case .neverStart:
          break
        }
      }
      states[id] = end
      return id
    }

    func activeTasks(job: String) throws -> [Int: String] { [:] }
    func finishedTasks(job: String) -> [Int: String] { states[job] ?? [:] }
  }

  static func job(_ dir: URL, shards: Int) throws -> ShardJob {
    let input = dir.appendingPathComponent("in.csv")
    try Data("x\n".utf8).write(to: input)
    return try ShardJob.prepare(
      root: dir.path, kind: "test", parameters: Data("{}".utf8), inputs: ["in.csv": input.path],
      costs: Array(repeating: 1, count: shards), shards: shards)
  }

  static func executor(_ s: FakeScheduler, retries: Int = 2) -> SlurmExecutor {
    SlurmExecutor(
      settings: SlurmSettings(partition: "debug", timeLimit: "00:05:00", concurrency: 2, retries: retries),
      scheduler: s, pause: { _ in })
  }

  @Test func allSucceedInOneArray() throws {
    let dir = try ShardJobTests.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let job = try Self.job(dir, shards: 4)
    let s = FakeScheduler(job: job) { _, _ in .succeed }
    try Self.executor(s).complete(job, progress: .silent)
    #expect(s.submissions == [[1, 2, 3, 4]])
    #expect(try job.readResults([Int].self).map(\.payload) == [[1], [2], [3], [4]])
    let script = try String(contentsOfFile: job.folder.appendingPathComponent("submit.sbatch").path, encoding: .utf8)
    #expect(script.contains("#SBATCH --array=1-4%2\n"))
    #expect(script.contains("#SBATCH --partition=debug\n") && script.contains("#SBATCH --time=00:05:00\n"))
    #expect(script.contains("shard run '\(job.folder.path)' --index \"$SLURM_ARRAY_TASK_ID\""))
  }

  @Test func failedTasksAreRetriedABoundedNumberOfTimes() throws {
    let dir = try ShardJobTests.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let job = try Self.job(dir, shards: 3)
    // Shard 2 fails once then succeeds; shard 3 always fails.
    let s = FakeScheduler(job: job) { shard, attempt in
      shard == 3 || (shard == 2 && attempt == 1) ? .fail : .succeed
    }
    do {
      try Self.executor(s, retries: 2).complete(job, progress: .silent)
      Issue.record("a shard that always fails must fail the run")
    } catch let f as ShardFailure {
      #expect(f.shards.map(\.index) == [3])
      #expect(f.shards[0].state.contains("FAILED after 3 submission(s)"))
      #expect(f.shards[0].log == "\(job.logsFolder)/shard-3-103.out")
      #expect("\(f)".contains("shard 3/3: FAILED"))
    }
    #expect(s.submissions == [[1, 2, 3], [2, 3], [3]])
    #expect(job.missingShards() == [3])
  }

  @Test func cancelledTaskFailsAtOnceAndARerunSubmitsOnlyIt() throws {
    let dir = try ShardJobTests.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let job = try Self.job(dir, shards: 4)
    let first = FakeScheduler(job: job) { shard, _ in shard == 2 ? .cancel : (shard == 4 ? .neverStart : .succeed) }
    do {
      try Self.executor(first).complete(job, progress: .silent)
      Issue.record("cancelled shards must fail the run")
    } catch let f as ShardFailure {
      // Neither the cancelled running task nor the one removed before it started is retried.
      #expect(f.shards.map(\.index) == [2, 4])
      #expect(f.shards[0].state == "cancelled (ended without a result)")
      #expect(f.shards[0].log == "\(job.logsFolder)/shard-2-101.out")
      #expect(f.shards[1].state == "cancelled (removed from the queue before it started)")
      #expect(f.shards[1].log == nil)
    }
    #expect(first.submissions == [[1, 2, 3, 4]])
    let rerun = FakeScheduler(job: job) { _, _ in .succeed }
    try Self.executor(rerun).complete(job, progress: .silent)
    #expect(rerun.submissions == [[2, 4]])
    #expect(job.missingShards().isEmpty)
    // Nothing is submitted when every shard is present.
    let idle = FakeScheduler(job: job) { _, _ in .fail }
    try Self.executor(idle).complete(job, progress: .silent)
    #expect(idle.submissions.isEmpty)
  }

  @Test func queueParsers() {
    #expect(SlurmCommands.parseQueue("1 RUNNING\n2 PENDING\nN/A PENDING\n") == [1: "RUNNING", 2: "PENDING"])
    #expect(
      SlurmCommands.parseAccounting("12_1|COMPLETED\n12_3|CANCELLED by 0\n13_1|FAILED\n", job: "12")
        == [1: "COMPLETED", 3: "CANCELLED"])
    #expect(
      SlurmCommands.parseControl("JobId=13 ArrayJobId=12 ArrayTaskId=2 JobState=CANCELLED Reason=None\n")
        == [2: "CANCELLED"])
  }
}
