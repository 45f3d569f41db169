import DUNESupport
import Foundation
import Literate

/// An exclusive `flock(2)` on `.dune/lock`: one runner per project at a time.
///
/// The kernel releases the lock when the process dies, so a crashed run never leaves a stale lock.
/// Each `acquire` opens its own file description, so two locks in one process also exclude each other.
public final class ProjectLock: @unchecked Sendable {
  // `fd` is only changed under `guard` (release may come from another thread in tests).
  private let mutex = NSLock()
  private var fd: Int32 = -1
  /// The lock file path.
  public let path: String

  /// Takes the lock at `path`: waits for it when `wait` is true, otherwise fails at once if it is held.
  public init(path: String, wait: Bool) throws {
    self.path = path
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw LocatedError(file: path, "cannot open lock file: \(String(cString: strerror(errno)))") }
    while flock(fd, wait ? LOCK_EX : (LOCK_EX | LOCK_NB)) != 0 {
      if errno == EINTR { continue }
      let busy = errno == EWOULDBLOCK
      close(fd)
      fd = -1
      if busy {
        throw UsageError(
          "another dune process is running in this project (lock \(path) is held); wait for it or pass --wait")
      }
      throw LocatedError(file: path, "cannot lock: \(String(cString: strerror(errno)))")
    }
    let pid = "\(getpid())\n"
    _ = ftruncate(fd, 0)
    _ = pid.withCString { write(fd, $0, strlen($0)) }
  }

  /// Releases the lock (also done on deinit).
  public func release() {
    mutex.lock()
    defer { mutex.unlock() }
    guard fd >= 0 else { return }
    flock(fd, LOCK_UN)
    close(fd)
    fd = -1
  }

  deinit { release() }
}
