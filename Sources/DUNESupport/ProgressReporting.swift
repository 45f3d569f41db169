import Foundation

/// One progress report: `done` of `total` units (`unit`, e.g. "grid points") of the work `label`.
public struct ProgressUpdate: Sendable, Equatable {
  /// Tells apart counters with the same label.
  public var counter: Int
  public var label: String
  public var unit: String
  public var done: Int
  public var total: Int

  /// An update of counter `counter`.
  public init(counter: Int, label: String, unit: String, done: Int, total: Int) {
    self.counter = counter
    self.label = label
    self.unit = unit
    self.done = done
    self.total = total
  }

  /// `done / total` in 0…1 (1 for empty work).
  public var fraction: Double { total <= 0 ? 1 : min(1, Double(done) / Double(total)) }
}

/// Receives progress reports, from any thread (the runner draws them on its status line).
public protocol ProgressSink: Sendable {
  func progress(_ update: ProgressUpdate)
}

/// How long-running library code reports progress without knowing who shows it.
///
/// The runner binds `sink` while a step runs; library code asks for a counter *on the calling
/// thread* (task-local values do not reach threads it starts itself; `parallelMap` carries the
/// binding into its workers) and advances it from anywhere:
///
/// ```swift
/// let progress = ProgressReporting.counter("unconstrained grid", total: points, unit: "grid points")
/// for … { …; progress.advance() }
/// ```
/// Without a sink, counters do nothing.
public enum ProgressReporting {
  /// Where counters created in this task (or on this thread) report.
  @TaskLocal public static var sink: (any ProgressSink)?

  /// A counter for `total` units of work, reporting to the current `sink`.
  public static func counter(_ label: String, total: Int, unit: String) -> ProgressCounter {
    ProgressCounter(label: label, total: total, unit: unit, sink: sink)
  }
}

/// A thread-safe count of finished work units; reports when the done share moves by 0.1 % or more.
public final class ProgressCounter: @unchecked Sendable {
  private let sink: (any ProgressSink)?
  private let lock = NSLock()
  private var update: ProgressUpdate
  private var reportedPermille = -1

  private static let ids = IDSource()

  init(label: String, total: Int, unit: String, sink: (any ProgressSink)?) {
    self.sink = sink
    update = ProgressUpdate(counter: sink == nil ? 0 : Self.ids.next(), label: label, unit: unit, done: 0, total: total)
    if let sink {
      reportedPermille = 0
      sink.progress(update)
    }
  }

  /// Marks `n` more units done.
  public func advance(by n: Int = 1) {
    guard let sink else { return }
    let snapshot: ProgressUpdate? = lock.withLock {
      update.done += n
      let permille = Int(update.fraction * 1000)
      guard permille != reportedPermille || update.done >= update.total else { return nil }
      reportedPermille = permille
      return update
    }
    if let snapshot { sink.progress(snapshot) }
  }

  /// Marks the work complete (e.g. when fewer units than announced turned out to be needed).
  public func finish() {
    guard let sink else { return }
    let snapshot = lock.withLock {
      update.done = max(update.done, update.total)
      return update
    }
    sink.progress(snapshot)
  }
}

/// Process-wide counter ids.
private final class IDSource: @unchecked Sendable {
  private let lock = NSLock()
  private var last = 0
  func next() -> Int {
    lock.withLock {
      last += 1
      return last
    }
  }
}
