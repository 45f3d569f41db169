import DUNESupport

/// Shard `index` of `count` (1-based, as written on the command line: `--shard 2/8`).
public struct ShardSpec: Hashable, Sendable, Codable, CustomStringConvertible {
  public var index: Int
  public var count: Int

  /// A shard; `index` must lie in `1...count`.
  public init(index: Int, count: Int) throws {
    guard count >= 1, (1...count).contains(index) else {
      throw UsageError("shard must be i/n with 1 ≤ i ≤ n, got \(index)/\(count)")
    }
    self.index = index
    self.count = count
  }

  /// Parses `i/n`.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
      throw UsageError("shard must be written i/n (e.g. 2/8), got '\(text)'")
    }
    try self.init(index: i, count: n)
  }

  public var description: String { "\(index)/\(count)" }
}

/// Deterministic assignment of independent work units to shards.
public enum ShardAssignment {
  /// Splits units `0..<costs.count` into `shards` groups of similar total cost: longest unit first,
  /// each to the currently lightest shard (ties: the lower shard). Every group is sorted; a group is
  /// empty only when there are fewer units than shards. Pure: the same costs give the same groups.
  public static func balance(costs: [Double], shards: Int) -> [[Int]] {
    let n = max(1, shards)
    var groups = [[Int]](repeating: [], count: n)
    var load = [Double](repeating: 0, count: n)
    let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
    for u in order {
      var target = 0
      for s in 1..<n where load[s] < load[target] { target = s }
      groups[target].append(u)
      load[target] += max(costs[u], 0)
    }
    return groups.map { $0.sorted() }
  }
}
