import Foundation

/// Writes files so that a reader never sees a half-written one: write a temporary sibling, then rename.
public enum AtomicFile {
  /// Writes `data` to `path` atomically, creating parent folders. Throws a `LocatedError` naming `path`.
  public static func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw LocatedError(file: path, "cannot create folder \(dir.path): \(error.localizedDescription)")
    }
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    if let reason = writeFile(data, to: tmp.path) {
      throw LocatedError(file: path, "cannot write (\(reason))")
    }
    if rename(tmp.path, url.path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp.path)
      throw LocatedError(file: path, "cannot rename temporary file into place: \(reason)")
    }
  }

  /// Writes `data` to a new file at `path` (replacing one there); nil, or why not (the file removed).
  ///
  /// Plain open/write/close: `FileManager.createFile` writes a temporary of its own and fsyncs every
  /// file, which costs milliseconds per file on some disks — seconds per run for the hundreds of
  /// files a run writes. Readers are protected by the rename that follows, not by the flush.
  public static func writeFile(_ data: Data, to path: String) -> String? {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard fd >= 0 else { return String(cString: strerror(errno)) }
    var failure: String?
    data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      var done = 0
      while done < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        done += n
      }
    }
    if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
    if failure != nil { unlink(path) }
    return failure
  }

  /// Writes UTF-8 `text` to `path` atomically.
  public static func write(_ text: String, to path: String) throws {
    try write(Data(text.utf8), to: path)
  }
}
