import DUNESupport
import Foundation
import Literate

/// Content hashes of files, memoised by (path, size, modification time) in `.dune/file-hashes.json`
/// so large captures are hashed once; a changed size or mtime forces a re-hash (git resets mtimes).
final class FileHasher {
  private struct Memo: Codable, Equatable {
    var size: Int
    var mtime: Double
    var sha256: String
  }

  private let memoPath: String
  private var memo: [String: Memo]
  private var dirty = false

  init(memoPath: String) {
    self.memoPath = memoPath
    if let data = FileManager.default.contents(atPath: memoPath),
      let decoded = try? JSONDecoder().decode([String: Memo].self, from: data)
    {
      memo = decoded
    } else {
      memo = [:]
    }
  }

  /// Hex SHA-256 of the file at absolute `path`; nil when it does not exist or is a folder.
  func hash(_ path: String) throws -> String? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      return nil
    }
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
    let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    if let m = memo[path], m.size == size, m.mtime == mtime { return m.sha256 }
    let digest = try SHA256.hexOfFile(atPath: path)
    memo[path] = Memo(size: size, mtime: mtime, sha256: digest)
    dirty = true
    return digest
  }

  /// Writes the memo back if it changed.
  func save() {
    guard dirty else { return }
    if let data = try? DeterministicJSON.data(memo, pretty: false) { try? AtomicFile.write(data, to: memoPath) }
    dirty = false
  }
}
