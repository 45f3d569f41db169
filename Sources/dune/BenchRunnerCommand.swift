import ArgumentParser
import DUNESupport
import Foundation
import Literate
import LiterateRuntime

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
      // CPU time of this process: on a shared, loaded machine wall time mostly measures the queue.
      func cpu() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
      }

      let block = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 131) })
      var h = SHA256()
      var start = clock.now
      var cpuStart = cpu()
      for _ in 0..<mebibytes { h.update(block) }
      let digest = SHA256.hexString(h.finalize())
      let t = seconds(clock.now - start)
      let tc = cpu() - cpuStart
      printOut(
        "sha256: \(mebibytes) MiB in \(NumberFormat.fixed(t, 3)) s wall = \(NumberFormat.fixed(Double(mebibytes) / t, 1)) MiB/s; \(NumberFormat.fixed(tc, 3)) s CPU = \(NumberFormat.fixed(Double(mebibytes) / tc, 1)) MiB/s (\(digest.prefix(12)))"
      )

      let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-bench-\(getpid())")
      defer { try? FileManager.default.removeItem(at: root) }
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
      for c in 0..<chapters {
        var text =
          "---\nparams:\n  k: 3\n---\n# Chapter \(c)\n\nSome prose with a | table |\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        text += "```dune values\n#| id: v\nvalues:\n  x: \(c)\n  k: ${params.k}\n```\n\n"
        for s in 0..<6 {
          text +=
            "Prose before step \(s).\n\n```dune values\n#| id: s\(s)\nvalues:\n  prev: ${step.\(s == 0 ? "v" : "s\(s - 1)").\(s == 0 ? "x" : "prev")}\n  n: \(s)\n```\n\n"
        }
        text += "```dune check\nexpect:\n  - value: ${step.s5.prev}\n    equals: \(c)\n```\n"
        try Data(text.utf8).write(to: root.appendingPathComponent(String(format: "chapters/%03d-c.md", c)))
      }
      let runner = Runner(project: Project(root: root), registry: StepRegistry(builtinStepKinds))
      func timed<T>(_ body: () throws -> T) rethrows -> (T, String) {
        start = clock.now
        cpuStart = cpu()
        let result = try body()
        return (
          result,
          "\(NumberFormat.fixed(seconds(clock.now - start), 3)) s wall / \(NumberFormat.fixed(cpu() - cpuStart, 3)) s CPU"
        )
      }
      let (first, tFirst) = try timed { try runner.run(RunOptions(gitCommit: "bench")) }
      let (second, tSecond) = try timed { try runner.run(RunOptions(gitCommit: "bench")) }
      let (_, tRender) = try timed { try runner.render(environment: [:]) }
      printOut("runner: \(first.outcomes.count) steps in \(chapters) chapters")
      printOut("  first run   \(tFirst) (\(first.executed.count) executed)")
      printOut("  no-op re-run \(tSecond) (\(second.executed.count) executed)")
      printOut("  render      \(tRender)")
    }
  }
}
