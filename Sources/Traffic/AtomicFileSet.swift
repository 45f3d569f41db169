import DUNESupport
import Foundation

/// Writes several files all-or-nothing: every temporary file is written first, then all are renamed.
/// If any write fails, the temporaries are removed and no target file is touched.
public enum AtomicFileSet {
  /// Writes every (path, data) pair; throws a `LocatedError` naming the file that failed.
  public static func write(_ files: [(path: String, data: Data)]) throws {
    var temps: [(tmp: String, path: String)] = []
    func cleanUp() { for t in temps { unlink(t.tmp) } }
    for (path, data) in files {
      let url = URL(fileURLWithPath: path)
      let dir = url.deletingLastPathComponent()
      do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      } catch {
        cleanUp()
        throw LocatedError(file: path, "cannot create folder \(dir.path): \(error.localizedDescription)")
      }
      let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
      if let reason = AtomicFile.writeFile(data, to: tmp) {
        cleanUp()
        throw LocatedError(file: path, "cannot write (\(reason))")
      }
      temps.append((tmp, path))
    }
    for (i, t) in temps.enumerated() where rename(t.tmp, t.path) != 0 {
      let reason = String(cString: strerror(errno))
      for u in temps[i...] { unlink(u.tmp) }
      throw LocatedError(file: t.path, "cannot rename temporary file into place: \(reason)")
    }
  }
}
