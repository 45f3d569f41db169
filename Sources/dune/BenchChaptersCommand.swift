import ArgumentParser
import DUNESupport
import Foundation
import Literate
import LiterateRuntime
import Steps
import Traffic

/// `dune bench chapters`: the chapters from an empty cache, every step timed (wall and CPU) with its
/// peak memory — the numbers the README's performance section quotes.
///
/// The run happens in a scratch project whose committed files (`chapters/`, `paper/inputs/`, use
/// cases, …) are links to this project's; its cache and `results/` are its own. Only generated
/// synthetic datasets are shared (`.dune/datasets`), so a large benchmark profile is written once.
struct BenchChapters: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chapters",
    abstract: "Run the chapters from an empty cache; report each step's wall and CPU time and peak memory.",
    discussion: """
      Examples: dune bench chapters --use-case iot-sentinel
                dune bench chapters --use-case usecases/synthetic-unsw.json --until clusters
      """)

  @Argument(help: "Chapters to run (default: all).") var chapters: [String] = []
  @Option(name: .customLong("use-case"), help: "Use case name or JSON file.") var useCase = "iot-sentinel"
  @Option(help: "Stop after this step id.") var until: String?
  @Option(
    name: .customShort("P"), help: ArgumentHelp("Another parameter or execution setting.", valueName: "name=value"))
  var parameters: [String] = []
  @Option(help: "Project folder holding chapters/ (default: current folder).") var project: String = "."
  @Flag(help: "Keep the scratch project (its results/ and cache) and print where it is.") var keep = false

  func run() async throws {
    try await reportingErrors {
      let fm = FileManager.default
      let root = URL(fileURLWithPath: project, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath))
        .standardizedFileURL
      let base = fm.temporaryDirectory.appendingPathComponent("dune-bench-chapters-\(getpid())")
      let scratch = base.appendingPathComponent("project")
      try? fm.removeItem(at: base)
      try fm.createDirectory(at: scratch.appendingPathComponent(".dune"), withIntermediateDirectories: true)
      defer { if !keep { try? fm.removeItem(at: base) } }
      // Chapters and `-P data=` may name inputs beside the project by a relative path (`../<folder>/…`):
      // the scratch project gets the same neighbours.
      let parent = root.deletingLastPathComponent()
      for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where name != root.lastPathComponent {
        try? fm.createSymbolicLink(
          at: base.appendingPathComponent(name), withDestinationURL: parent.appendingPathComponent(name))
      }
      // The chapters read committed inputs anywhere in the project (paper/inputs/, partition tables):
      // link everything but what a run writes (results/, .dune/) and what it must not see (.git, builds).
      func linkEntries(of folder: URL, into target: URL, except skipped: (String) -> Bool) throws {
        for name in try fm.contentsOfDirectory(atPath: folder.path).sorted() where !skipped(name) {
          try fm.createSymbolicLink(
            at: target.appendingPathComponent(name), withDestinationURL: folder.appendingPathComponent(name))
        }
      }
      try linkEntries(of: root, into: scratch) {
        [".dune", ".git", "results", "paper"].contains($0) || $0.hasPrefix(".build") || $0.hasPrefix(".swiftpm")
      }
      let paper = root.appendingPathComponent("paper")
      if fm.fileExists(atPath: paper.path) {
        try fm.createDirectory(at: scratch.appendingPathComponent("paper"), withIntermediateDirectories: true)
        try linkEntries(of: paper, into: scratch.appendingPathComponent("paper")) { $0 == "figures" }
      }
      let datasets = root.appendingPathComponent(".dune/datasets")
      try fm.createDirectory(at: datasets, withIntermediateDirectories: true)
      try fm.createSymbolicLink(at: scratch.appendingPathComponent(".dune/datasets"), withDestinationURL: datasets)

      // The use case and its data, resolved against this project (the scratch one has neither).
      var overrides: [String: Value] = [:]
      var execution: [String: String] = [:]
      let ucPath = root.appendingPathComponent(useCase).path
      let isFile = fm.fileExists(atPath: ucPath)
      let uc = try UseCase.resolve(isFile ? ucPath : useCase)
      overrides["use-case"] = .string(isFile ? ucPath : useCase)
      if let d = uc.dataFolder, uc.synthetic == nil {
        overrides["data"] = .string(d.hasPrefix("/") ? d : root.appendingPathComponent(d).standardizedFileURL.path)
      }
      for p in parameters {
        guard let eq = p.firstIndex(of: "=") else { throw UsageError("-P expects name=value, got '\(p)'") }
        let name = String(p[..<eq])
        let value = String(p[p.index(after: eq)...])
        if StepExecution.isExecutionKey(name) {
          execution[name] = value
        } else {
          overrides[name] = Value.parsingCommandLine(value)
        }
      }

      let timer = StepTimer(inner: ProgressPrinter.standardOutput(verbosity: .quiet))
      let runner = Runner(project: Project(root: scratch), registry: defaultRegistry, observer: timer)
      let wall0 = Date()
      let summary = try runner.run(
        RunOptions(
          selection: Selection(chapters: chapters, until: until), overrides: overrides, gitCommit: "bench",
          environment: ProcessInfo.processInfo.environment, execution: execution))
      let wall = Date().timeIntervalSince(wall0)
      printOut(
        "bench chapters: use case \(uc.name), \(ProcessInfo.processInfo.activeProcessorCount) cores, empty cache"
          + (execution["executor"].map { ", executor \($0)" } ?? ""))
      printOut(timer.table())
      printOut(
        "run total (steps, cache, store and report): \(NumberFormat.fixed(wall, 2)) s wall, \(NumberFormat.fixed(StepTimer.cpuSeconds(), 2)) s CPU, peak RSS \(StepTimer.megabytes(StepTimer.peakRSS())) MiB"
      )
      if keep { printOut("scratch project kept in \(scratch.path)") }
      if let failure = summary.failure {
        FileHandle.standardError.write(Data("\(failure)\n".utf8))
        throw ExitCode(1)
      }
    }
  }
}

/// Times every step: wall and process CPU between start and finish, and the peak resident memory
/// sampled every 20 ms while it runs.
final class StepTimer: RunObserver, ProgressSink, @unchecked Sendable {
  struct Row {
    var label: String
    var status: String
    var wall: Double
    var cpu: Double
    var peakRSS: Int
  }

  let inner: ProgressPrinter
  private let lock = NSLock()
  private var rows: [Row] = []
  private var started = Date()
  private var cpuStart = 0.0
  private var peak = 0
  private var sampling = false

  init(inner: ProgressPrinter) { self.inner = inner }

  func stepStarted(_ step: PlannedStep) {
    inner.stepStarted(step)
    lock.withLock {
      started = Date()
      cpuStart = Self.cpuSeconds()
      peak = Self.currentRSS()
      sampling = true
    }
    Thread.detachNewThread { [self] in
      while lock.withLock({ sampling }) {
        let r = Self.currentRSS()
        lock.withLock { peak = max(peak, r) }
        Thread.sleep(forTimeInterval: 0.02)
      }
    }
  }

  func stepFinished(_ step: PlannedStep, outcome: StepOutcome) {
    inner.stepFinished(step, outcome: outcome)
    lock.withLock {
      sampling = false
      rows.append(
        Row(
          label: outcome.label, status: outcome.status.rawValue, wall: Date().timeIntervalSince(started),
          cpu: Self.cpuSeconds() - cpuStart, peakRSS: max(peak, Self.currentRSS())))
    }
  }

  func progress(_ update: ProgressUpdate) { inner.progress(update) }

  func table() -> String {
    let all = lock.withLock { rows }
    var out = "  step                                   status   wall s    CPU s   peak RSS MiB\n"
    for r in all {
      out +=
        "  \(r.label.padding(toLength: 38, withPad: " ", startingAt: 0)) \(r.status.padding(toLength: 6, withPad: " ", startingAt: 0)) \(pad(NumberFormat.fixed(r.wall, 2), 8)) \(pad(NumberFormat.fixed(r.cpu, 2), 8)) \(pad(Self.megabytes(r.peakRSS), 14))\n"
    }
    let wall = all.reduce(0) { $0 + $1.wall }
    let cpu = all.reduce(0) { $0 + $1.cpu }
    out +=
      "  \("all steps".padding(toLength: 45, withPad: " ", startingAt: 0)) \(pad(NumberFormat.fixed(wall, 2), 8)) \(pad(NumberFormat.fixed(cpu, 2), 8))"
    return out
  }

  private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

  static func megabytes(_ bytes: Int) -> String { NumberFormat.fixed(Double(bytes) / 1_048_576, 0) }

  /// CPU seconds of this process so far (all threads).
  static func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  /// Resident set size now (`/proc/self/statm`), in bytes.
  static func currentRSS() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// The process's peak resident set size, in bytes.
  static func peakRSS() -> Int {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return u.ru_maxrss * 1024
  }
}
