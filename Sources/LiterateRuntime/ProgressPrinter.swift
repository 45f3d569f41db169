import DUNESupport
import Foundation
import Literate

/// Prints run progress: one line per step when output is not a terminal; on a terminal, a `\r` status
/// line naming the running step, its elapsed time and, when the step reports progress, the fraction
/// done and an estimated time to completion (redrawn every `tickInterval`). Without a terminal, a
/// step that reports progress gets one progress line per `lineInterval` (a minute by default).
///
/// Lines look like `ran    02-model/forest  0.42 s` and, with `verbose`, name the key and why a step ran.
public final class ProgressPrinter: RunObserver, ProgressSink, @unchecked Sendable {
  public enum Verbosity: Sendable { case quiet, normal, verbose }

  private let verbosity: Verbosity
  private let terminal: Bool
  private let write: @Sendable (String) -> Void
  private let lock = NSLock()
  private let tickInterval: DispatchTimeInterval
  private let lineInterval: DispatchTimeInterval

  /// `terminal` decides between live redraw and plain lines (pass `isatty(1) != 0`); `write` receives raw text.
  public init(
    verbosity: Verbosity, terminal: Bool, tickInterval: DispatchTimeInterval = .milliseconds(500),
    lineInterval: DispatchTimeInterval = .seconds(60), write: @escaping @Sendable (String) -> Void
  ) {
    self.tickInterval = tickInterval
    self.lineInterval = lineInterval
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

  /// Redraws the status line (terminal) or prints a progress line (otherwise) while a step runs.
  private var ticker: DispatchSourceTimer?
  /// Counters of the running step that have not finished, by counter id, with when each started.
  private var counters: [Int: (update: ProgressUpdate, started: ContinuousClock.Instant)] = [:]

  public func stepStarted(_ step: PlannedStep) {
    guard verbosity != .quiet else { return }
    let status = "… \(step.label) (\(step.block.kind))"
    let started = ContinuousClock.now
    let interval = terminal ? tickInterval : lineInterval
    lock.withLock {
      counters = [:]
      if terminal { write("\r\u{1B}[K" + status) }
      let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
      timer.schedule(deadline: .now() + interval, repeating: interval)
      timer.setEventHandler { [weak self] in
        guard let self else { return }
        let elapsed = Self.seconds(ContinuousClock.now - started)
        self.lock.withLock {
          guard self.ticker != nil else { return }
          let progress = self.currentProgress()
          if self.terminal {
            self.write("\r\u{1B}[K\(status) \(NumberFormat.fixed(elapsed, 1)) s" + (progress.map { " · \($0)" } ?? ""))
          } else if let progress {
            self.write("\(status) \(Self.duration(elapsed)): \(progress)\n")
          }
        }
      }
      ticker = timer
      timer.resume()
    }
  }

  public func progress(_ update: ProgressUpdate) {
    lock.withLock {
      if update.done >= update.total {
        counters[update.counter] = nil
      } else {
        counters[update.counter] = (update, counters[update.counter]?.started ?? ContinuousClock.now)
      }
    }
  }

  /// The progress text of the most recently started unfinished counter (the innermost work). Under `lock`.
  private func currentProgress() -> String? {
    guard let latest = counters.values.max(by: { $0.update.counter < $1.update.counter }) else { return nil }
    return Self.progressText(latest.update, elapsed: Self.seconds(ContinuousClock.now - latest.started))
  }

  /// `unconstrained grid: 120/540 grid points (22 %), ETA 3 min 30 s`; the estimate assumes the
  /// remaining units take as long as the finished ones did on average.
  public static func progressText(_ u: ProgressUpdate, elapsed: Double) -> String {
    var text =
      "\(u.label): \(thousands(u.done))/\(thousands(u.total)) \(u.unit) (\(NumberFormat.fixed(u.fraction * 100, 0)) %)"
    if u.done > 0, u.done < u.total, elapsed > 0 {
      text += ", ETA " + duration(elapsed * Double(u.total - u.done) / Double(u.done))
    }
    return text
  }

  /// `42 s`, `3 min 30 s`, `1 h 05 min`.
  static func duration(_ s: Double) -> String {
    let whole = Int(s.rounded())
    if whole < 60 { return "\(whole) s" }
    if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
    let minutes = whole / 60 % 60
    return "\(whole / 3600) h \(minutes < 10 ? "0" : "")\(minutes) min"
  }

  static func thousands(_ n: Int) -> String { UnitFormat.count(Double(n)) }

  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  public func stepFinished(_ step: PlannedStep, outcome: StepOutcome) {
    lock.withLock {
      ticker?.cancel()
      ticker = nil
      counters = [:]
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
