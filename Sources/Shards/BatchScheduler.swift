import DUNESupport
import Foundation

/// The few batch-system operations the Slurm executor needs; `SlurmCommands` runs the real tools,
/// tests substitute a scheduler that runs tasks in-process.
public protocol BatchScheduler: Sendable {
  /// Submits a batch script (an array job); returns the job id.
  func submit(scriptPath: String) throws -> String
  /// Array task id → state (PENDING, RUNNING, …) of the job's tasks still queued or running.
  func activeTasks(job: String) throws -> [Int: String]
  /// Array task id → final state (COMPLETED, FAILED, CANCELLED, TIMEOUT, …) of finished tasks, as
  /// far as the batch system still knows them (may be empty).
  func finishedTasks(job: String) -> [Int: String]
}

/// `sbatch`, `squeue`, `sacct` and `scontrol` as subprocesses (found through `PATH`).
public struct SlurmCommands: BatchScheduler {
  public init() {}

  /// Exit status and output of a command.
  public struct Output: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    var trimmedError: String { stderr.trimmingCharacters(in: .whitespacesAndNewlines) }
  }

  /// Runs `tool arguments…` and waits for it.
  public static func run(_ tool: String, _ arguments: [String]) throws -> Output {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + arguments
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    do {
      try p.run()
    } catch {
      throw UsageError("cannot run \(tool): \(error.localizedDescription)")
    }
    // Read both pipes before waiting: a full pipe would block the child.
    let errData = ReadAll(err.fileHandleForReading)
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Output(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: errData.wait(), as: UTF8.self))
  }

  /// True when the Slurm client tools are installed and a controller answers.
  public static var clusterResponds: Bool {
    guard let r = try? run("sinfo", ["-h", "-o", "%P %a"]), r.status == 0 else { return false }
    return r.stdout.split(separator: "\n").contains { $0.hasSuffix(" up") }
  }

  public func submit(scriptPath: String) throws -> String {
    let r = try Self.run("sbatch", ["--parsable", scriptPath])
    let id = r.stdout.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    guard r.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw UsageError("sbatch \(scriptPath) failed (status \(r.status)): \(r.trimmedError)")
    }
    return id
  }

  public func activeTasks(job: String) throws -> [Int: String] {
    let r = try Self.run("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"])
    if r.status != 0 {
      // A job that left the controller's memory is no longer "invalid" work, just finished.
      if r.stderr.contains("Invalid job id") { return [:] }
      throw UsageError("squeue -j \(job) failed (status \(r.status)): \(r.trimmedError)")
    }
    return Self.parseQueue(r.stdout)
  }

  public func finishedTasks(job: String) -> [Int: String] {
    if let r = try? Self.run("sacct", ["-n", "-X", "-P", "-j", job, "-o", "JobID,State"]), r.status == 0 {
      let states = Self.parseAccounting(r.stdout, job: job)
      if !states.isEmpty { return states }
    }
    if let r = try? Self.run("scontrol", ["-o", "show", "job", job]), r.status == 0 {
      return Self.parseControl(r.stdout)
    }
    return [:]
  }

  /// `squeue -h -r -o '%K %T'` lines: array task id and state.
  static func parseQueue(_ text: String) -> [Int: String] {
    var out: [Int: String] = [:]
    for line in text.split(separator: "\n") {
      let f = line.split(separator: " ")
      if f.count >= 2, let t = Int(f[0]) { out[t] = String(f[1]) }
    }
    return out
  }

  /// `sacct -n -X -P -o JobID,State` lines such as `123_4|CANCELLED by 0`.
  static func parseAccounting(_ text: String, job: String) -> [Int: String] {
    var out: [Int: String] = [:]
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "|", omittingEmptySubsequences: false)
      guard f.count >= 2, f[0].hasPrefix(job + "_"), let t = Int(f[0].dropFirst(job.count + 1)) else { continue }
      out[t] = String(f[1].split(separator: " ").first ?? "")
    }
    return out
  }

  /// `scontrol -o show job` lines: `ArrayTaskId=4` and `JobState=CANCELLED`.
  static func parseControl(_ text: String) -> [Int: String] {
    var out: [Int: String] = [:]
    for line in text.split(separator: "\n") {
      var task: Int?
      var state: String?
      for field in line.split(separator: " ") {
        if field.hasPrefix("ArrayTaskId=") { task = Int(field.dropFirst("ArrayTaskId=".count)) }
        if field.hasPrefix("JobState=") { state = String(field.dropFirst("JobState=".count)) }
      }
      if let t = task, let s = state { out[t] = s }
    }
    return out
  }
}

/// Reads a pipe to its end on a background thread.
private final class ReadAll: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var data = Data()

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
