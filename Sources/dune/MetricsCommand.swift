import ArgumentParser
import DUNESupport
import Foundation
import Store

/// `dune metrics`: list a run's metrics, or compare two runs.
struct MetricsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics", abstract: "List metrics of a run (default: the latest) or compare two runs with --diff.")

  @Option(help: "Run id to list (see --runs).")
  var run: Int64?

  @Option(parsing: .upToNextOption, help: ArgumentHelp("Compare two runs.", valueName: "RUN_A RUN_B"))
  var diff: [Int64] = []

  @Flag(help: "List the runs instead of metrics.")
  var runs = false

  @Option(help: "SQLite store path (default .dune/dune.sqlite).")
  var db: String = ".dune/dune.sqlite"

  func validate() throws {
    if !diff.isEmpty && diff.count != 2 { throw ValidationError("--diff takes exactly two run ids") }
  }

  func run() async throws {
    try await reportingErrors {
      guard FileManager.default.fileExists(atPath: db) else {
        throw UsageError("no store at \(db): run `dune run` first")
      }
      let store = try MetricsStore(path: db)
      if runs {
        for r in try store.runs() { printOut("\(r.id)\t\(r.started)\t\(r.gitCommit)\t\(r.parameters)") }
        return
      }
      if diff.count == 2 {
        printOut(
          ["chapter", "step", "metric", "labels", "unit", "run \(diff[0])", "run \(diff[1])", "delta"].joined(
            separator: "\t"))
        for d in try store.diff(diff[0], diff[1]) {
          let a = d.a.map(NumberFormat.shortest) ?? "–"
          let b = d.b.map(NumberFormat.shortest) ?? "–"
          let delta = d.delta.map { ($0 > 0 ? "+" : "") + NumberFormat.shortest($0) } ?? "–"
          printOut(
            [d.chapter, d.step, d.name, d.labels == "{}" ? "" : d.labels, d.unit, a, b, delta].joined(separator: "\t"))
        }
        return
      }
      guard let id = try run ?? store.latestRun()?.id else { throw UsageError("the store has no runs yet") }
      printOut(["chapter", "step", "metric", "labels", "value", "unit"].joined(separator: "\t"))
      for m in try store.metrics(run: id) {
        printOut(
          [m.chapter, m.step, m.name, m.labels == "{}" ? "" : m.labels, NumberFormat.shortest(m.value), m.unit].joined(
            separator: "\t"))
      }
    }
  }
}
