import Foundation

/// Progress of a sharded computation: shards done out of all, and a short status line.
public struct ShardProgress: Sendable {
  public var report: @Sendable (_ done: Int, _ total: Int, _ status: String) -> Void

  public init(_ report: @escaping @Sendable (_ done: Int, _ total: Int, _ status: String) -> Void) {
    self.report = report
  }

  /// Reports nothing.
  public static let silent = ShardProgress { _, _, _ in }
}

/// Gets the shards of a job computed somewhere.
public protocol ShardExecutor: Sendable {
  /// Returns once every shard of `job` has a valid result file; throws `ShardFailure` naming the
  /// shards that have none. Shards that already have one are not computed again.
  func complete(_ job: ShardJob, progress: ShardProgress) throws
}

/// Some shards of a job have no result after the executor gave up on them.
public struct ShardFailure: Error, CustomStringConvertible, Sendable {
  /// One shard that failed: its number, the last state the batch system reported, its log.
  public struct Shard: Sendable, Equatable {
    public var index: Int
    public var state: String
    public var log: String?

    public init(index: Int, state: String, log: String?) {
      self.index = index
      self.state = state
      self.log = log
    }
  }

  public var job: String
  public var shardCount: Int
  public var shards: [Shard]

  public init(job: String, shardCount: Int, shards: [Shard]) {
    self.job = job
    self.shardCount = shardCount
    self.shards = shards
  }

  public var description: String {
    let lines = shards.map { s in
      "shard \(s.index)/\(shardCount): \(s.state)" + (s.log.map { "; log: \($0)" } ?? "; no log (it never started)")
    }
    return "\(shards.count) of \(shardCount) shards failed (job folder \(job); a re-run submits only those):\n  "
      + lines.joined(separator: "\n  ")
  }
}
