import DUNESupport
import Foundation
import Testing

@testable import Shards

/// Job folders: planning, result files, and the merge's checks.
@Suite struct ShardJobTests {
  static func scratch() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dune-shards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func input(_ dir: URL, _ text: String) throws -> String {
    let p = dir.appendingPathComponent("in-\(UUID().uuidString).csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: p))
    return p
  }

  @Test func specParsesAndRejects() throws {
    #expect(try ShardSpec(parsing: "2/8") == ShardSpec(index: 2, count: 8))
    for bad in ["0/3", "4/3", "a/3", "1-3", "1/0", "/"] {
      #expect(throws: UsageError.self) { try ShardSpec(parsing: bad) }
    }
  }

  @Test func balanceCoversEveryUnitOnceAndIsDeterministic() {
    let costs: [Double] = [5, 1, 1, 1, 3, 2, 2, 8, 1]
    let groups = ShardAssignment.balance(costs: costs, shards: 3)
    #expect(groups.flatMap { $0 }.sorted() == Array(costs.indices))
    #expect(groups == ShardAssignment.balance(costs: costs, shards: 3))
    let loads = groups.map { $0.reduce(0) { $0 + costs[$1] } }
    #expect(loads.max()! - loads.min()! <= 1)
    #expect(ShardAssignment.balance(costs: [1, 1], shards: 4).filter { !$0.isEmpty }.count == 2)
  }

  @Test func arraySpecCompressesRanges() {
    #expect(SlurmExecutor.arraySpec([1, 2, 3, 5, 7, 8]) == "1-3,5,7-8")
    #expect(SlurmExecutor.arraySpec([4]) == "4")
    #expect(SlurmExecutor.arraySpec([3, 1, 2, 2]) == "1-3")
  }

  @Test func preparedJobReopensAndKeepsItsResults() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = try Self.input(dir, "x\n1\n")
    func plan() throws -> ShardJob {
      try ShardJob.prepare(
        root: dir.path, kind: "test", parameters: Data("{\"p\":1}".utf8), inputs: ["a.csv": a], costs: [3, 1, 1, 1],
        shards: 2)
    }
    let job = try plan()
    #expect(job.manifest.shardCount == 2 && job.manifest.unitCount == 4)
    #expect(job.missingShards() == [1, 2])
    try job.writeResult(shard: 2, payload: [7])
    // Planning the same job again reuses the folder and its finished shard.
    let again = try plan()
    #expect(again.folder == job.folder && again.missingShards() == [1])
    #expect(throws: ShardMergeError.self) { try again.readResults([Int].self) }
    try again.writeResult(shard: 1, payload: [3])
    let results = try again.readResults([Int].self)
    #expect(results.map(\.payload) == [[3], [7]])
    #expect(results.flatMap(\.units).sorted() == [0, 1, 2, 3])
  }

  @Test func differentInputsParametersOrCodeMakeAnotherJob() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = try Self.input(dir, "x\n1\n")
    let b = try Self.input(dir, "x\n2\n")
    func id(_ input: String, _ p: String, code: String = "c1", shards: Int = 2) throws -> String {
      try ShardJob.prepare(
        root: dir.path, kind: "test", parameters: Data(p.utf8), inputs: ["a.csv": input], costs: [1, 1, 1],
        shards: shards, code: code
      ).manifest.id
    }
    let base = try id(a, "{}")
    #expect(try id(b, "{}") != base)
    #expect(try id(a, "{\"x\":1}") != base)
    #expect(try id(a, "{}", code: "c2") != base)
    #expect(try id(a, "{}", shards: 3) != base)
    #expect(try id(a, "{}") == base)
  }

  @Test func resultsOfAnotherJobOrCodeAreRejected() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = try Self.input(dir, "x\n1\n")
    let job = try ShardJob.prepare(
      root: dir.path, kind: "test", parameters: Data("{}".utf8), inputs: ["a.csv": a], costs: [1, 1], shards: 2)
    try job.writeResult(shard: 1, payload: [1], code: "another build")
    #expect(job.problem(shard: 1) == .invalid("computed by a different dune binary (another build)"))
    try Data("{\"header\":{\"job\":\"x\",\"shard\":1,\"of\":2,\"units\":[0],\"code\":\"c\"},\"payload\":[]}".utf8)
      .write(to: URL(fileURLWithPath: job.resultPath(shard: 1)))
    #expect(job.problem(shard: 1) == .invalid("result of another job (x)"))
    try Data("garbage".utf8).write(to: URL(fileURLWithPath: job.resultPath(shard: 2)))
    #expect(job.problem(shard: 2) == .invalid("unreadable result file"))
    #expect(job.missingShards() == [1, 2])
    // A changed input is caught before a shard is computed.
    try Data("changed".utf8).write(to: URL(fileURLWithPath: job.inputPath("a.csv")))
    #expect(throws: LocatedError.self) { try job.verifyInputs() }
    // A changed parameters file makes the folder unusable.
    try Data("{\"p\":2}".utf8).write(to: URL(fileURLWithPath: job.parametersPath))
    #expect(throws: LocatedError.self) { try ShardJob.open(job.folder.path) }
  }
}
