import Dispatch
import Foundation

/// Runs `count` independent jobs on `threads` workers and returns their results in index order.
///
/// Workers pull the next index from a shared counter, so the assignment of jobs to threads varies
/// from run to run; results never depend on it because every job is a pure function of its index.
func parallelMap<T: Sendable>(count: Int, threads: Int, _ job: @Sendable (Int) -> T) -> [T] {
  let slots = ResultSlots<T>(count: count)
  let workers = max(1, min(threads, count))
  DispatchQueue.concurrentPerform(iterations: workers) { _ in
    while let i = slots.claim() { slots.store(job(i), at: i) }
  }
  return slots.results()
}

/// Lock-protected job counter and result array shared by the workers of `parallelMap`.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private let count: Int
  private var values: [T?]

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

  func store(_ value: T, at i: Int) {
    lock.lock()
    values[i] = value
    lock.unlock()
  }

  func results() -> [T] { values.map { $0! } }
}

/// The default worker count: every active core.
public var defaultThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }
