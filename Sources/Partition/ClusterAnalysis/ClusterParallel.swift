import Dispatch
import Foundation

/// Runs `count` independent pure jobs on up to `threads` workers; results in index order.
///
/// The grid parallelises across fits (each fit single-threaded) because its forests have 1–5 trees:
/// per-tree parallelism inside a fit would leave cores idle.
func clusterParallelMap<T: Sendable>(count: Int, threads: Int, _ job: @Sendable (Int) throws -> T) throws -> [T] {
  let box = JobResults<T>(count: count)
  DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
    while let i = box.claim() {
      do { box.store(.success(try job(i)), at: i) } catch { box.store(.failure(error), at: i) }
    }
  }
  return try box.results()
}

/// Lock-protected job counter and result slots of `clusterParallelMap`.
private final class JobResults<T: Sendable>: @unchecked Sendable {
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

  /// The results in index order; the first failure (lowest index) is rethrown.
  func results() throws -> [T] { try values.map { try $0!.get() } }
}
