import Foundation
import Testing
import Traffic

/// True when Slurm's client tools answer and an up partition has a node that can run jobs
/// (`scripts/slurm-local start` makes one); a node that is down would leave the test waiting forever.
let slurmResponds: Bool = {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["sinfo", "-h", "-o", "%a %t"]
  let out = Pipe()
  p.standardOutput = out
  p.standardError = FileHandle.nullDevice
  guard (try? p.run()) != nil else { return false }
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  p.waitUntilExit()
  let usable: Set<Substring> = ["up idle", "up mix", "up alloc", "up comp"]
  return p.terminationStatus == 0 && text.split(separator: "\n").contains { usable.contains($0) }
}()

/// The pinned forest grid and a cluster analysis through a real Slurm (the single-node cluster of
/// `scripts/slurm-local`): the same bytes as the local executor; a cancelled array task fails the
/// step naming the shard, and the re-run submits only that shard.
@Suite(.serialized, .enabled(if: slurmResponds, "no Slurm cluster answers (start one with scripts/slurm-local start)"))
struct SlurmIntegrationTests {
  static let classes = SyntheticDataset.classNames(count: 6)

  static func project() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-slurm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    func write(_ name: String, _ text: String) throws {
      try Data(text.utf8).write(to: root.appendingPathComponent(name))
    }
    try write("usecase.json", UseCase.synthetic(SyntheticParameters(classes: 6, seed: 3, scale: 0.25)).jsonText())
    let c = classes
    try write(
      "partition.csv",
      """
      Cluster,Class List,Feature List
      0,"['\(c[0])', '\(c[1])']","['ip.len']"
      1,"['\(c[2])', '\(c[3])', '\(c[4])']","['ip.len']"
      2,['\(c[5])'],"['ip.len']"

      """)
    try write(
      "chapters/00-data.md",
      """
      ---
      params:
        use-case: usecase.json
        seed: 3
      ---
      # Data

      ```dune dataset
      #| id: dataset
      useCase: ${params.use-case}
      data: ""
      seed: ${params.seed}
      ```

      ```dune samples
      #| id: samples
      useCase: ${params.use-case}
      data: ${step.dataset.dataDir}
      n: [2, 3]
      captures: ${step.dataset.captures}
      ```
      """)
    try write(
      "chapters/01-grids.md",
      """
      ---
      params:
        use-case: usecase.json
      ---
      # Grids

      ```dune forest.grid
      #| id: forest
      samples: ${file.samples.samples.json}
      useCase: ${params.use-case}
      trees: [2, 4]
      depth: [4, 6]
      n: [2, 3]
      seed: 1
      ```

      ```dune clusters
      #| id: clusters
      samples: ${file.samples.samples.json}
      partition: partition.csv
      useCase: ${params.use-case}
      n: [2, 3]
      seed: 1
      ```
      """)
    return root
  }

  /// Every published file of the two grid steps, by path under results/.
  static func outputs(_ root: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for step in ["01-grids/forest", "01-grids/clusters"] {
      let dir = root.appendingPathComponent("results/\(step)")
      for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
        out["\(step)/\(name)"] = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path)
      }
    }
    return out
  }

  static let slurm = [
    "-P", "executor=slurm", "-P", "slurm-poll=0.2", "-P", "slurm-shards=3", "-P", "slurm-concurrency=1",
  ]

  @Test func slurmMatchesLocalAndResubmitsOnlyTheCancelledShard() throws {
    let local = try Self.project()
    let cluster = try Self.project()
    defer {
      try? FileManager.default.removeItem(at: local)
      try? FileManager.default.removeItem(at: cluster)
    }
    let l = try RunCommandTests.dune(["run"], in: local)
    #expect(l.status == 0, "\(l.err)")

    // Cancel the last task of the clusters array while it waits behind the others (concurrency 1).
    let run = Process()
    run.executableURL = RunCommandTests.binary
    run.arguments = ["run"] + Self.slurm
    run.currentDirectoryURL = cluster
    let errPipe = Pipe()
    run.standardError = errPipe
    run.standardOutput = FileHandle.nullDevice
    try run.run()
    var cancelled: String?
    let deadline = Date().addingTimeInterval(600)
    while cancelled == nil && run.isRunning && Date() < deadline {
      let q = try Self.command("squeue", ["-h", "-r", "-o", "%F %K %T %j"])
      for line in q.split(separator: "\n") {
        let f = line.split(separator: " ")
        if f.count == 4, f[3].hasPrefix("dune-clusters-"), f[2] == "PENDING", f[1] == "3" {
          _ = try Self.command("scancel", ["\(f[0])_3"])
          cancelled = "\(f[0])_3"
        }
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
    let failedErr = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    run.waitUntilExit()
    #expect(cancelled != nil, "never saw task 3 of the clusters array pending")
    #expect(run.terminationStatus == 1)
    #expect(failedErr.contains("step 'clusters' (clusters) failed: 1 of 3 shards failed"), "\(failedErr)")
    #expect(failedErr.contains("shard 3/3: cancelled"), "\(failedErr)")
    #expect(!FileManager.default.fileExists(atPath: cluster.appendingPathComponent("results/01-grids/clusters").path))

    let again = try RunCommandTests.dune(["run"] + Self.slurm, in: cluster)
    #expect(again.status == 0, "\(again.err)")
    #expect(again.err.contains("submitted shards 3 of 3 as Slurm job"), "\(again.err)")
    #expect(!again.err.contains("submitted shards 1"), "\(again.err)")
    #expect(again.out.contains("ran            01-grids/clusters"))
    #expect(again.out.contains("fresh          01-grids/forest"))

    let a = try Self.outputs(local)
    let b = try Self.outputs(cluster)
    #expect(a.count >= 6)
    #expect(a.keys.sorted() == b.keys.sorted())
    for (name, bytes) in a { #expect(b[name] == bytes, "\(name) differs between the local and the Slurm executor") }
    // The job folders are removed once merged.
    let shards = cluster.appendingPathComponent(".dune/shards")
    let left = (try? FileManager.default.contentsOfDirectory(atPath: shards.path)) ?? []
    #expect(left.isEmpty, "\(left)")
  }

  static func command(_ tool: String, _ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return text
  }
}
