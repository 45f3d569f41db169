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
