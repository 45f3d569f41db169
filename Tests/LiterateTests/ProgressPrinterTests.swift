import DUNESupport
import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

@Suite struct ProgressPrinterTests {
  final class Sink: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []
    func append(_ s: String) { lock.withLock { chunks.append(s) } }
    var text: String { lock.withLock { chunks.joined() } }
  }

  private func run(terminal: Bool, verbosity: ProgressPrinter.Verbosity) throws -> String {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let sink = Sink()
    let printer = ProgressPrinter(verbosity: verbosity, terminal: terminal) { sink.append($0) }
    _ = try Runner(project: p.project, registry: testRegistry, observer: printer).run(RunOptions(gitCommit: "x"))
    return sink.text
  }

  @Test func oneLinePerStepWithoutATerminal() throws {
    let lines = try run(terminal: false, verbosity: .normal).split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines[0].hasPrefix("ran            01-count/count  "))
    #expect(lines[0].hasSuffix(" s"))
    #expect(lines.allSatisfy { !$0.contains("\r") })
  }

  @Test func liveStatusLineOnATerminal() throws {
    let text = try run(terminal: true, verbosity: .normal)
    #expect(text.hasPrefix("\r\u{1B}[K… 01-count/count (count-lines)\r\u{1B}[Kran            01-count/count  "))
    #expect(text.components(separatedBy: "\n").count == 5)
  }

  @Test func quietPrintsNothingAndVerboseNamesKeys() throws {
    #expect(try run(terminal: false, verbosity: .quiet).isEmpty)
    let verbose = try run(terminal: false, verbosity: .verbose)
    #expect(verbose.contains("key "))
    #expect(verbose.contains("— never run"))
  }
}

/// Sleeps, to show the live status line ticking.
struct Sleep: StepKind {
  struct Arguments: Decodable, Sendable { var seconds: Double }
  let name = "sleep"
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    Thread.sleep(forTimeInterval: a.seconds)
    return StepOutput()
  }
}

@Suite struct LiveStatusTests {
  @Test func statusLineTicksWhileAStepRuns() throws {
    let p = try TempProject(["01-s.md": "# S\n\n```dune sleep\nseconds: 0.5\n```\n"])
    defer { p.remove() }
    let sink = ProgressPrinterTests.Sink()
    let printer = ProgressPrinter(verbosity: .normal, terminal: true, tickInterval: .milliseconds(100)) {
      sink.append($0)
    }
    _ = try Runner(project: p.project, registry: StepRegistry([Sleep()]), observer: printer).run(
      RunOptions(gitCommit: "x"))
    let text = sink.text
    #expect(text.contains("\r\u{1B}[K… 01-s/sleep-1 (sleep) 0."))
    // The final line replaces the status line, and no tick is drawn after it.
    let last = try #require(text.components(separatedBy: "\r\u{1B}[K").last)
    #expect(last.hasPrefix("ran            01-s/sleep-1  0."))
    #expect(last.hasSuffix(" s\n"))
  }
}

/// Reports `units` units of progress, pausing `pause` seconds after each.
struct Counting: StepKind {
  struct Arguments: Decodable, Sendable {
    var units: Int
    var pause: Double
  }
  let name = "counting"
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let counter = ProgressReporting.counter("counting", total: a.units, unit: "units")
    for _ in 0..<a.units {
      Thread.sleep(forTimeInterval: a.pause)
      counter.advance()
    }
    return StepOutput()
  }
}

@Suite struct StepProgressTests {
  func run(terminal: Bool) throws -> String {
    let p = try TempProject(["01-s.md": "# S\n\n```dune counting\nunits: 8\npause: 0.1\n```\n"])
    defer { p.remove() }
    let sink = ProgressPrinterTests.Sink()
    let printer = ProgressPrinter(
      verbosity: .normal, terminal: terminal, tickInterval: .milliseconds(150), lineInterval: .milliseconds(250)
    ) { sink.append($0) }
    _ = try Runner(project: p.project, registry: StepRegistry([Counting()]), observer: printer).run(
      RunOptions(gitCommit: "x"))
    return sink.text
  }

  @Test func terminalLineShowsFractionAndETA() throws {
    let text = try run(terminal: true)
    #expect(text.contains("· counting: "))
    #expect(text.contains(" units ("))
    #expect(text.contains(", ETA "))
  }

  @Test func withoutATerminalProgressComesAsWholeLines() throws {
    let lines = try run(terminal: false).split(separator: "\n").map(String.init)
    let progress = lines.filter { $0.hasPrefix("… 01-s/counting-1 (counting)") }
    #expect(!progress.isEmpty)
    #expect(progress.allSatisfy { $0.contains("/8 units (") && !$0.contains("\r") })
    #expect(lines.last?.hasPrefix("ran ") == true)
  }

  @Test func progressTextEstimatesTheRemainingTime() {
    let u = ProgressUpdate(counter: 1, label: "grid", unit: "grid points", done: 135, total: 540)
    #expect(ProgressPrinter.progressText(u, elapsed: 70) == "grid: 135/540 grid points (25 %), ETA 3 min 30 s")
    let big = ProgressUpdate(counter: 1, label: "replay", unit: "packets", done: 1000, total: 1_234_567)
    #expect(
      ProgressPrinter.progressText(big, elapsed: 3).hasPrefix("replay: 1,000/1,234,567 packets (0 %), ETA 1 h 01 min"))
  }

  @Test func countersReachWorkersOfParallelMapAndDoNothingWithoutASink() throws {
    final class Collect: ProgressSink, @unchecked Sendable {
      let lock = NSLock()
      var updates: [ProgressUpdate] = []
      func progress(_ update: ProgressUpdate) { lock.withLock { updates.append(update) } }
    }
    let collect = Collect()
    try ProgressReporting.$sink.withValue(collect) {
      _ = try parallelMap(count: 4, threads: 2) { i -> Int in
        let c = ProgressReporting.counter("job \(i)", total: 2, unit: "steps")
        c.advance()
        c.advance()
        return i
      }
    }
    #expect(collect.updates.filter { $0.done == 2 }.count == 4)
    ProgressReporting.counter("nobody listens", total: 3, unit: "x").advance()
    #expect(collect.updates.count == 12)
  }
}
