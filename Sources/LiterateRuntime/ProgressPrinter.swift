import DUNESupport
import Foundation
import Literate

/// Prints run progress: one line per step when output is not a terminal; on a terminal, a `\r` status
/// line naming the running step and its elapsed time (redrawn every `tickInterval`).
///
/// Lines look like `ran    02-model/forest  0.42 s` and, with `verbose`, name the key and why a step ran.
public final class ProgressPrinter: RunObserver, @unchecked Sendable {
  public enum Verbosity: Sendable { case quiet, normal, verbose }

  private let verbosity: Verbosity
  private let terminal: Bool
  private let write: @Sendable (String) -> Void
  private let lock = NSLock()
  private let tickInterval: DispatchTimeInterval

  /// `terminal` decides between live redraw and plain lines (pass `isatty(1) != 0`); `write` receives raw text.
  public init(
    verbosity: Verbosity, terminal: Bool, tickInterval: DispatchTimeInterval = .milliseconds(500),
    write: @escaping @Sendable (String) -> Void
  ) {
    self.tickInterval = tickInterval
    self.verbosity = verbosity
    self.terminal = terminal
    self.write = write
  }

  /// A printer on standard output, TTY-aware.
  public static func standardOutput(verbosity: Verbosity) -> ProgressPrinter {
    ProgressPrinter(verbosity: verbosity, terminal: isatty(1) != 0) { text in
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }

  /// Redraws the status line with the running step's elapsed time (terminal only).
  private var ticker: DispatchSourceTimer?

  public func stepStarted(_ step: PlannedStep) {
    guard verbosity != .quiet, terminal else { return }
    let status = "… \(step.label) (\(step.block.kind))"
    let started = ContinuousClock.now
    lock.withLock {
      write("\r\u{1B}[K" + status)
      let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
      timer.schedule(deadline: .now() + tickInterval, repeating: tickInterval)
      timer.setEventHandler { [weak self] in
        guard let self else { return }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.lock.withLock {
          if self.ticker != nil { self.write("\r\u{1B}[K\(status) \(NumberFormat.fixed(seconds, 1)) s") }
        }
      }
      ticker = timer
      timer.resume()
    }
  }

  public func stepFinished(_ step: PlannedStep, outcome: StepOutcome) {
    lock.withLock {
      ticker?.cancel()
      ticker = nil
    }
    guard verbosity != .quiet || outcome.status == .failed else { return }
    var line = Self.line(outcome)
    if verbosity == .verbose {
      if let key = outcome.key { line += "  key \(key.prefix(12))" }
    }
    if verbosity == .verbose || [.stale, .missing].contains(outcome.status), !outcome.reasons.isEmpty {
      line += "  — " + outcome.reasons.joined(separator: "; ")
    }
    lock.withLock { write((terminal ? "\r\u{1B}[K" : "") + line + "\n") }
  }

  /// The plain one-line form of an outcome (also used by `--dry-run --explain`).
  public static func line(_ o: StepOutcome) -> String {
    let status = o.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
    var line = "\(status) \(o.label)"
    if [.ran, .failed, .expectedError].contains(o.status) { line += "  " + NumberFormat.fixed(o.seconds, 2) + " s" }
    return line
  }
}
