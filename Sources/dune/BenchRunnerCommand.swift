import ArgumentParser
import DUNESupport
import Foundation
import Literate

/// `dune bench runner`: SHA-256 throughput and the time to plan + check a no-op re-run of a chapter set.
struct BenchRunner: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runner", abstract: "SHA-256 throughput and no-op re-run / render time of a generated chapter set.")

  @Option(help: "MiB to hash.")
  var mebibytes: Int = 256

  @Option(help: "Number of generated chapters (8 steps each).")
  var chapters: Int = 20

  func run() async throws {
    try await reportingErrors {
      let clock = ContinuousClock()
      func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

      let block = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 131) })
      var h = SHA256()
      var start = clock.now
      for _ in 0..<mebibytes { h.update(block) }
      let digest = SHA256.hexString(h.finalize())
      let t = seconds(clock.now - start)
      printOut("sha256: \(mebibytes) MiB in \(NumberFormat.fixed(t, 3)) s = \(NumberFormat.fixed(Double(mebibytes) / t, 1)) MiB/s (\(digest.prefix(12)))")

      let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-bench-\(getpid())")
      defer { try? FileManager.default.removeItem(at: root) }
      try FileManager.default.createDirectory(at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
      for c in 0..<chapters {
        var text = "---\nparams:\n  k: 3\n---\n# Chapter \(c)\n\nSome prose with a | table |\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        text += "```dune values\n#| id: v\nvalues:\n  x: \(c)\n  k: ${params.k}\n```\n\n"
        for s in 0..<6 {
          text += "Prose before step \(s).\n\n```dune values\n#| id: s\(s)\nvalues:\n  prev: ${step.\(s == 0 ? "v" : "s\(s - 1)").\(s == 0 ? "x" : "prev")}\n  n: \(s)\n```\n\n"
        }
        text += "```dune check\nexpect:\n  - value: ${step.s5.prev}\n    equals: \(c)\n```\n"
        try Data(text.utf8).write(to: root.appendingPathComponent(String(format: "chapters/%03d-c.md", c)))
      }
      let runner = Runner(project: Project(root: root), registry: StepRegistry(builtinStepKinds))
      start = clock.now
      let first = try runner.run(RunOptions(gitCommit: "bench"))
      let tFirst = seconds(clock.now - start)
      start = clock.now
      let second = try runner.run(RunOptions(gitCommit: "bench"))
      let tSecond = seconds(clock.now - start)
      start = clock.now
      try runner.render(environment: [:])
      let tRender = seconds(clock.now - start)
      printOut("runner: \(first.outcomes.count) steps in \(chapters) chapters; first run \(NumberFormat.fixed(tFirst, 3)) s (\(first.executed.count) executed), no-op re-run \(NumberFormat.fixed(tSecond, 3)) s (\(second.executed.count) executed), render \(NumberFormat.fixed(tRender, 3)) s")
    }
  }
}
