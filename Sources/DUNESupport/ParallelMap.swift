import Dispatch
import Foundation

/// Runs `count` independent jobs on up to `threads` workers and returns their results in index order.
///
/// Workers pull the next index from a shared counter, so the assignment of jobs to threads varies
/// from run to run; results never depend on it because every job is a pure function of its index.
/// If jobs throw, the error of the lowest failing index is rethrown after all jobs have finished.
/// Jobs see the caller's `ProgressReporting.sink`.
public func parallelMap<T: Sendable>(
  count: Int, threads: Int, _ job: @Sendable (Int) throws -> T
) throws -> [T] {
  let slots = ResultSlots<T>(count: count)
  let sink = ProgressReporting.sink
  DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
    ProgressReporting.$sink.withValue(sink) {
      while let i = slots.claim() {
        do { slots.store(.success(try job(i)), at: i) } catch { slots.store(.failure(error), at: i) }
      }
    }
  }
  return try slots.results()
}

/// Lock-protected job counter and result slots shared by the workers of `parallelMap`.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private let count: Int
  private var values: [Result<T, any Error>?]

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

  func store(_ value: Result<T, any Error>, at i: Int) {
    lock.lock()
    values[i] = value
    lock.unlock()
  }

  func results() throws -> [T] { try values.map { try $0!.get() } }
}
