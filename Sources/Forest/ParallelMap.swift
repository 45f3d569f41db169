import DUNESupport
import Foundation

/// `DUNESupport.parallelMap` for jobs that cannot fail.
func parallelMap<T: Sendable>(count: Int, threads: Int, _ job: @Sendable (Int) -> T) -> [T] {
  // The shared implementation only rethrows what `job` throws, and this `job` cannot throw.
  try! DUNESupport.parallelMap(count: count, threads: threads, job)
}

/// The default worker count: every active core.
public var defaultThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }
