import Dispatch
import Foundation

/// Runs `count` independent jobs on up to `threads` workers and returns their results in index order.
///
/// Workers pull the next index from a shared counter, so the assignment of jobs to threads varies
/// from run to run; results never depend on it because every job is a pure function of its index.
/// If jobs throw, the error of the lowest failing index is rethrown after all jobs have finished.
/// The error type is the job's (typed throws): jobs that cannot fail make a call that cannot fail.
/// Jobs see the caller's `ProgressReporting.sink`.
public func parallelMap<T: Sendable, E: Error>(
  count: Int, threads: Int, _ job: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
  let slots = ResultSlots<T, E>(count: count)
  let sink = ProgressReporting.sink
  DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
    ProgressReporting.$sink.withValue(sink) {
      while let i = slots.claim() {
        do throws(E) { slots.store(.success(try job(i)), at: i) } catch { slots.store(.failure(error), at: i) }
      }
    }
  }
  return try slots.results()
}

/// The default worker count: every active core.
public var defaultThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }

/// Lock-protected job counter and result slots shared by the workers of `parallelMap`.
private final class ResultSlots<T: Sendable, E: Error>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private let count: Int
  private var values: [Result<T, E>?]

  init(count: Int) {
    self.count = count
    values = Array(repeating: nil, count: count)
  }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ value: Result<T, E>, at i: Int) {
    lock.lock()
    values[i] = value
    lock.unlock()
  }

  func results() throws(E) -> [T] { try values.map { r throws(E) in try r!.get() } }
}
