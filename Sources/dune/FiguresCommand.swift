import ArgumentParser
import DUNESupport
import Foundation
import Literate
import LiterateRuntime
import Store

/// `dune figures`: export the paper figures (ids starting with `fig-`) of the latest run as SVG files.
///
/// Reads the store's latest run, loads each recorded step's cache entry (`.dune/cache/<key>/entry.json`)
/// and writes every figure whose id starts with `fig-` to `<out>/<id>.svg` exactly as the step rendered
/// it. Nothing is recomputed and nothing else is written.
struct FiguresCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "figures",
    abstract: "Export the latest run's paper figures (ids fig-…) as <out>/<id>.svg, from the cache, running nothing.")

  @Option(help: "Output folder (relative to the project folder).")
  var out: String = "paper/figures"

  @Option(help: "SQLite store path (default .dune/dune.sqlite).")
  var db: String?

  @Option(help: "Project folder holding chapters/ and .dune/ (default: current folder).")
  var project: String = "."

  func run() async throws {
    try await reportingErrors {
      let root = URL(
        fileURLWithPath: project, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
      let proj = Project(root: root, databasePath: db)
      guard FileManager.default.fileExists(atPath: proj.databasePath) else {
        throw UsageError("no store at \(proj.relative(proj.databasePath)): run `dune run` first")
      }
      let store = try MetricsStore(path: proj.databasePath)
      guard let run = try store.latestRun() else { throw UsageError("the store has no runs yet: run `dune run` first") }
      let figures = try Self.collect(executions: try store.executions(run: run.id), cache: proj.cacheDirectory)
      let folder = out.hasPrefix("/") ? out : proj.root.appendingPathComponent(out).path
      for f in figures {
        try AtomicFile.write(
          f.svg.hasSuffix("\n") ? f.svg : f.svg + "\n", to: (folder as NSString).appendingPathComponent("\(f.id).svg"))
      }
      printOut("wrote \(figures.count) figures of run \(run.id) to \(proj.relative(folder))")
      for f in figures { printOut("  \(f.id).svg  (\(f.source))") }
    }
  }

  /// A figure to export and the step that drew it.
  struct Exported {
    var id: String
    var svg: String
    var source: String
  }

  /// The `fig-` figures of the recorded executions, in run order; two steps drawing the same id is an error.
  static func collect(executions: [StepExecutionRecord], cache: URL) throws -> [Exported] {
    var out: [Exported] = []
    var seen: [String: String] = [:]
    for e in executions where e.status == "ran" || e.status == "cached" {
      let path = cache.appendingPathComponent(e.key).appendingPathComponent("entry.json").path
      guard let data = FileManager.default.contents(atPath: path) else {
        throw LocatedError(file: path, "cache entry of \(e.chapter)/\(e.step) is missing: run `dune run` again")
      }
      let entry: CacheEntry
      do {
        entry = try JSONDecoder().decode(CacheEntry.self, from: data)
      } catch {
        throw LocatedError(file: path, "unreadable cache entry: \(error.localizedDescription)")
      }
      let source = "\(e.chapter)/\(e.step)"
      for f in entry.output.figures where f.id.hasPrefix("fig-") {
        if let other = seen[f.id] {
          throw UsageError("figure id '\(f.id)' is drawn by both \(other) and \(source): give one a distinct id")
        }
        seen[f.id] = source
        out.append(Exported(id: f.id, svg: f.svg, source: source))
      }
    }
    return out
  }
}
