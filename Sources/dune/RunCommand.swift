import ArgumentParser
import DUNESupport
import Foundation
import Literate
import LiterateRuntime
import Steps
import Traffic

/// `dune run`: plan the chapters, run what is not fresh, record metrics, publish `results/`.
struct RunChapters: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the chapters' steps (cached by content), record metrics, and write results/ and the report.",
    discussion: """
      Steps are ```dune <kind> blocks in chapters/*.md, run in file-name and source order. A step reads
      earlier steps through ${step.<id>.<output>}, ${file.<id>.<name>} and ${params.<name>} in its
      arguments (quote them inside [..] or {..}). A step whose key (kind, arguments, upstream outputs,
      input file bytes, parameters, source digests of the code modules it uses) has a cache entry is
      restored, not re-run.

      Real datasets are optional inputs: `-P use-case=iot-sentinel -P data=DIR`, or set
      DUNE_IOT_SENTINEL_DATA=DIR instead of `-P data` (DIR holds captures/<device>/*.pcap).
      """)

  @Argument(help: "Chapters to run (file name, stem or prefix such as 02); default: all.")
  var chapters: [String] = []

  @Option(help: "Start at this step id (earlier steps it needs are restored or computed).")
  var from: String?

  @Option(help: "Stop after this step id.")
  var until: String?

  @Flag(help: "Re-run the selected steps even when fresh.")
  var force = false

  @Option(
    name: .customShort("P"),
    help: ArgumentHelp(
      "Override a front-matter parameter, or choose where grids run: executor=local|slurm and slurm-partition, slurm-time, slurm-concurrency, slurm-cpus, slurm-mem, slurm-options, slurm-retries, slurm-poll, slurm-dir, slurm-shards, slurm-dune (see README).",
      valueName: "name=value"))
  var parameters: [String] = []

  @Flag(help: "Only print the plan: fresh / stale / missing per step.")
  var dryRun = false

  @Flag(help: "Say why each step runs (which key component changed).")
  var explain = false

  @Flag(help: "Print only errors.")
  var quiet = false

  @Flag(help: "Print cache keys and reasons for every step.")
  var verbose = false

  @Flag(help: "Wait for another dune process on this project instead of refusing to start.")
  var wait = false

  @Option(help: "SQLite store path (default .dune/dune.sqlite).")
  var db: String?

  @Option(help: "Results folder (default results/).")
  var results: String?

  @Option(help: "Project folder holding chapters/ (default: current folder).")
  var project: String = "."

  func validate() throws {
    if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
    for p in parameters where !p.contains("=") { throw ValidationError("-P expects name=value, got '\(p)'") }
  }

  func run() async throws {
    try await reportingErrors {
      var overrides: [String: Value] = [:]
      var execution: [String: String] = [:]
      for p in parameters {
        let eq = p.firstIndex(of: "=")!
        let name = String(p[..<eq])
        let value = String(p[p.index(after: eq)...])
        // Where steps run (executor, slurm-…) is not a chapter parameter: it never changes results.
        if StepExecution.isExecutionKey(name) {
          execution[name] = value
        } else {
          overrides[name] = Value.parsingCommandLine(value)
        }
      }
      do {
        _ = try StepExecution.parse(execution, projectRoot: URL(fileURLWithPath: "/"))
      } catch let e as StepError {
        throw UsageError(e.message)
      }
      Self.addDataFromEnvironment(&overrides, environment: ProcessInfo.processInfo.environment)
      let root = URL(
        fileURLWithPath: project, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
      let proj = Project(root: root, databasePath: db, resultsDirectory: results)
      let verbosity: ProgressPrinter.Verbosity = quiet ? .quiet : (verbose || explain ? .verbose : .normal)
      let printer = ProgressPrinter.standardOutput(verbosity: dryRun ? .quiet : verbosity)
      let runner = Runner(project: proj, registry: defaultRegistry, observer: printer)
      let options = RunOptions(
        selection: Selection(chapters: chapters, from: from, until: until), overrides: overrides, force: force,
        dryRun: dryRun, waitForLock: wait, environment: ProcessInfo.processInfo.environment, execution: execution)
      let summary = try runner.run(options)
      if dryRun {
        for o in summary.outcomes {
          var line = ProgressPrinter.line(o)
          if !o.reasons.isEmpty && (explain || verbose || o.status != .fresh) {
            line += "  — " + o.reasons.joined(separator: "; ")
          }
          printOut(line)
        }
      } else if !quiet {
        let counts = Dictionary(grouping: summary.outcomes, by: \.status).mapValues(\.count)
        let parts = [StepOutcome.Status.ran, .fresh, .expectedError, .failed].compactMap { s in
          counts[s].map { "\($0) \(s.rawValue)" }
        }
        printOut(
          "\(summary.outcomes.count) steps: \(parts.joined(separator: ", ")); report in \(proj.relative(proj.resultsDirectory.path))/index.html"
        )
      }
      if let failure = summary.failure {
        FileHandle.standardError.write(Data("\(failure)\n".utf8))
        throw ExitCode(1)
      }
    }
  }
}

extension RunChapters {
  /// With `-P use-case=NAME` and no `-P data`, the data folder comes from the use case's environment
  /// variable (e.g. `DUNE_IOT_SENTINEL_DATA`). It becomes the `data` parameter here, at the edge, so it
  /// enters cache keys and the report like any `-P` value; steps never read the environment.
  static func addDataFromEnvironment(_ overrides: inout [String: Value], environment: [String: String]) {
    guard overrides["data"] == nil, case .string(let name)? = overrides["use-case"],
      let useCase = UseCase.builtin(name), let folder = useCase.environmentDataFolder(environment)
    else { return }
    overrides["data"] = .string(folder)
  }
}

/// `dune render`: rewrite results/ and the report from the cache and the store, running nothing.
struct RenderReport: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Re-render results/ and the report from the cache and the store without running steps.")

  @Flag(help: "Wait for another dune process on this project instead of refusing to start.")
  var wait = false

  @Option(help: "SQLite store path (default .dune/dune.sqlite).")
  var db: String?

  @Option(help: "Results folder (default results/).")
  var results: String?

  @Option(help: "Project folder holding chapters/ (default: current folder).")
  var project: String = "."

  func run() async throws {
    try await reportingErrors {
      let root = URL(
        fileURLWithPath: project, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
      let proj = Project(root: root, databasePath: db, resultsDirectory: results)
      try Runner(project: proj, registry: defaultRegistry).render(
        environment: ProcessInfo.processInfo.environment, waitForLock: wait)
    }
  }
}
