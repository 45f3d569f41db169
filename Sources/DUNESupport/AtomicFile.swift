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
    guard FileManager.default.createFile(atPath: tmp.path, contents: data) else {
      throw LocatedError(file: path, "cannot write (folder not writable?)")
    }
    if rename(tmp.path, url.path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp.path)
      throw LocatedError(file: path, "cannot rename temporary file into place: \(reason)")
    }
  }

  /// Writes UTF-8 `text` to `path` atomically.
  public static func write(_ text: String, to path: String) throws {
    try write(Data(text.utf8), to: path)
  }
}
