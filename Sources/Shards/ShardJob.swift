import DUNESupport
import Foundation

/// `job.json`: what a sharded computation is, so that any machine seeing the folder can compute a shard.
public struct ShardJobManifest: Codable, Sendable, Equatable {
  /// Bumped when the folder layout or this manifest changes.
  public static let currentFormat = 1

  public var format: Int
  /// Which computation (`forest.grid`, `clusters`): selects the handler that computes a shard.
  public var kind: String
  /// SHA-256 over the kind, the parameters, the input files, the code and the assignment.
  public var id: String
  /// `CodeIdentity` of the program that planned the job; shards must be computed by the same one.
  public var code: String
  /// Number of work units; shard s computes `assignment[s − 1]`.
  public var unitCount: Int
  public var assignment: [[Int]]
  /// Input file name (under `inputs/`) → SHA-256 of its bytes.
  public var inputs: [String: String]
  /// SHA-256 of `parameters.json` (the kind's own settings).
  public var parameters: String

  public var shardCount: Int { assignment.count }
}

/// The header of a shard result (`results/shard-<i>.json`); the payload beside it is the kind's own.
public struct ShardResultHeader: Codable, Sendable, Equatable {
  public var job: String
  public var shard: Int
  public var of: Int
  public var units: [Int]
  public var code: String
}

/// A result file: header plus payload.
public struct ShardResultFile<Payload: Codable & Sendable>: Codable, Sendable {
  public var header: ShardResultHeader
  public var payload: Payload
}

/// A job folder on a file system every worker can read: `job.json`, `parameters.json`, `inputs/`,
/// `results/shard-<i>.json`, `logs/`. Results are written atomically, so a folder is always in a
/// consistent state and a re-run sees exactly which shards are done.
public struct ShardJob: Sendable {
  public let folder: URL
  public let manifest: ShardJobManifest

  /// Creates (or reuses, when its id matches) the folder of a job under `root`.
  ///
  /// `inputs` maps a name under `inputs/` to the file to copy there; `costs` estimates each unit's
  /// work for `ShardAssignment.balance`. The folder name carries the id, so a job with different
  /// parameters, inputs, code or shard count never mixes results with this one.
  public static func prepare(
    root: String, kind: String, parameters: Data, inputs: [String: String], costs: [Double], shards: Int,
    code: String = CodeIdentity.current
  ) throws -> ShardJob {
    guard !costs.isEmpty else { throw UsageError("a sharded \(kind) needs at least one work unit") }
    guard shards >= 1 else { throw UsageError("the shard count must be ≥ 1, got \(shards)") }
    var hashes: [String: String] = [:]
    for (name, source) in inputs {
      guard !name.isEmpty, !name.contains("/") else {
        throw UsageError("input name '\(name)' must be a plain file name")
      }
      hashes[name] = try SHA256.hexOfFile(atPath: source)
    }
    let assignment = ShardAssignment.balance(costs: costs, shards: min(shards, costs.count))
    let parametersHash = SHA256.hex(parameters)
    var identity = "dune-shard-job \(ShardJobManifest.currentFormat)\nkind \(kind)\nparameters \(parametersHash)\n"
    for name in hashes.keys.sorted() { identity += "input \(name) \(hashes[name]!)\n" }
    identity += "code \(code)\nassignment \(assignment.map { $0.map(String.init).joined(separator: ",") })\n"
    let id = SHA256.hex(identity)
    let manifest = ShardJobManifest(
      format: ShardJobManifest.currentFormat, kind: kind, id: id, code: code, unitCount: costs.count,
      assignment: assignment, inputs: hashes, parameters: parametersHash)
    let folder = URL(fileURLWithPath: root).appendingPathComponent("\(kind)-\(id.prefix(16))")
    let fm = FileManager.default
    if let existing = try? open(folder.path), existing.manifest == manifest { return existing }
    // Build the folder beside its final place, then rename: a half-copied job is never seen.
    let staging = URL(fileURLWithPath: root).appendingPathComponent(".\(kind)-\(id.prefix(16)).tmp-\(getpid())")
    try? fm.removeItem(at: staging)
    do {
      try fm.createDirectory(at: staging.appendingPathComponent("inputs"), withIntermediateDirectories: true)
      for sub in ["results", "logs"] {
        try fm.createDirectory(at: staging.appendingPathComponent(sub), withIntermediateDirectories: true)
      }
      for (name, source) in inputs {
        try fm.copyItem(atPath: source, toPath: staging.appendingPathComponent("inputs/\(name)").path)
      }
    } catch {
      try? fm.removeItem(at: staging)
      throw LocatedError(file: staging.path, "cannot create the shard job folder: \(error.localizedDescription)")
    }
    try AtomicFile.write(parameters, to: staging.appendingPathComponent("parameters.json").path)
    try AtomicFile.write(try encode(manifest), to: staging.appendingPathComponent("job.json").path)
    try? fm.removeItem(at: folder)
    guard rename(staging.path, folder.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? fm.removeItem(at: staging)
      throw LocatedError(file: folder.path, "cannot move the shard job folder into place: \(reason)")
    }
    return try open(folder.path)
  }

  /// Opens an existing job folder; checks the manifest's format and the parameters' hash.
  public static func open(_ path: String) throws -> ShardJob {
    let folder = URL(fileURLWithPath: path)
    let jobPath = folder.appendingPathComponent("job.json").path
    guard let data = FileManager.default.contents(atPath: jobPath) else {
      throw LocatedError(file: jobPath, "not a shard job folder (no job.json)")
    }
    let manifest: ShardJobManifest
    do {
      manifest = try JSONDecoder().decode(ShardJobManifest.self, from: data)
    } catch {
      throw LocatedError(file: jobPath, "unreadable job manifest: \(error)")
    }
    guard manifest.format == ShardJobManifest.currentFormat else {
      throw LocatedError(
        file: jobPath, "job format \(manifest.format), this dune reads format \(ShardJobManifest.currentFormat)")
    }
    let job = ShardJob(folder: folder, manifest: manifest)
    guard let parameters = FileManager.default.contents(atPath: job.parametersPath),
      SHA256.hex(parameters) == manifest.parameters
    else {
      throw LocatedError(file: job.parametersPath, "missing or changed since the job was planned")
    }
    return job
  }

  public var parametersPath: String { folder.appendingPathComponent("parameters.json").path }

  /// The kind's parameters (`parameters.json`).
  public func parameters() throws -> Data {
    guard let data = FileManager.default.contents(atPath: parametersPath) else {
      throw LocatedError(file: parametersPath, "cannot read")
    }
    return data
  }

  /// The path of input `name`.
  public func inputPath(_ name: String) -> String { folder.appendingPathComponent("inputs/\(name)").path }

  /// The folder holding the inputs.
  public var inputsFolder: String { folder.appendingPathComponent("inputs").path }

  /// The result file of shard `i` (1-based).
  public func resultPath(shard i: Int) -> String { folder.appendingPathComponent("results/shard-\(i).json").path }

  /// The log folder (batch systems write one file per task there).
  public var logsFolder: String { folder.appendingPathComponent("logs").path }

  /// The units of shard `i` (1-based).
  public func units(ofShard i: Int) -> [Int] { manifest.assignment[i - 1] }

  /// Writes shard `i`'s result atomically, after checking the inputs are those the job was planned on.
  public func writeResult<P: Codable & Sendable>(shard i: Int, payload: P, code: String = CodeIdentity.current) throws {
    guard (1...manifest.shardCount).contains(i) else {
      throw UsageError("shard \(i) outside 1…\(manifest.shardCount) of job \(manifest.id.prefix(16))")
    }
    let file = ShardResultFile(
      header: ShardResultHeader(
        job: manifest.id, shard: i, of: manifest.shardCount, units: units(ofShard: i), code: code),
      payload: payload)
    try AtomicFile.write(try Self.encode(file), to: resultPath(shard: i))
  }

  /// Checks that the inputs under `inputs/` still have the bytes the job was planned on.
  public func verifyInputs() throws {
    for (name, hash) in manifest.inputs.sorted(by: { $0.key < $1.key }) {
      guard (try? SHA256.hexOfFile(atPath: inputPath(name))) == hash else {
        throw LocatedError(file: inputPath(name), "input changed or missing since the job was planned")
      }
    }
  }

  /// Why a shard has no usable result.
  public enum ResultProblem: Sendable, Equatable, CustomStringConvertible {
    case missing
    case invalid(String)

    public var description: String {
      switch self {
      case .missing: return "no result"
      case .invalid(let why): return why
      }
    }
  }

  private struct HeaderOnly: Decodable {
    var header: ShardResultHeader
  }

  /// nil when shard `i` has a result that belongs to this job, else why not.
  public func problem(shard i: Int) -> ResultProblem? {
    guard let data = FileManager.default.contents(atPath: resultPath(shard: i)) else { return .missing }
    guard let h = try? JSONDecoder().decode(HeaderOnly.self, from: data).header else {
      return .invalid("unreadable result file")
    }
    if h.job != manifest.id { return .invalid("result of another job (\(h.job.prefix(16)))") }
    if h.shard != i || h.of != manifest.shardCount { return .invalid("result of shard \(h.shard)/\(h.of)") }
    if h.units != units(ofShard: i) { return .invalid("result covers other units") }
    if h.code != manifest.code { return .invalid("computed by a different dune binary (\(h.code.prefix(16)))") }
    return nil
  }

  /// Shards (1-based) without a valid result.
  public func missingShards() -> [Int] { (1...manifest.shardCount).filter { problem(shard: $0) != nil } }

  /// Every shard's payload in shard order, after checking that all shards are present, belong to
  /// this job (same inputs, parameters and code) and together cover every unit exactly once.
  public func readResults<P: Codable & Sendable>(_ type: P.Type) throws -> [(units: [Int], payload: P)] {
    var problems: [String] = []
    for i in 1...manifest.shardCount {
      if let p = problem(shard: i) { problems.append("shard \(i)/\(manifest.shardCount): \(p)") }
    }
    guard problems.isEmpty else {
      throw ShardMergeError(job: folder.path, problems: problems)
    }
    var seen = [Bool](repeating: false, count: manifest.unitCount)
    var out: [(units: [Int], payload: P)] = []
    for i in 1...manifest.shardCount {
      let path = resultPath(shard: i)
      let file: ShardResultFile<P>
      do {
        file = try JSONDecoder().decode(ShardResultFile<P>.self, from: FileManager.default.contents(atPath: path)!)
      } catch {
        throw LocatedError(file: path, "unreadable shard result: \(error)")
      }
      for u in file.header.units {
        guard (0..<manifest.unitCount).contains(u), !seen[u] else {
          throw ShardMergeError(job: folder.path, problems: ["unit \(u) is outside the job or computed twice"])
        }
        seen[u] = true
      }
      out.append((file.header.units, file.payload))
    }
    let uncovered = seen.indices.filter { !seen[$0] }
    guard uncovered.isEmpty else {
      throw ShardMergeError(job: folder.path, problems: ["units \(uncovered) belong to no shard"])
    }
    return out
  }

  static func encode<T: Encodable>(_ value: T) throws -> Data {
    try DeterministicJSON.data(value, pretty: false)
  }
}

/// The shards of a job cannot be merged: some are missing or do not belong to it.
public struct ShardMergeError: Error, CustomStringConvertible, Sendable {
  public var job: String
  public var problems: [String]

  public var description: String {
    "error: cannot merge the shards of \(job):\n  " + problems.joined(separator: "\n  ")
  }
}
