import Foundation
import Literate

/// The revision the results were computed from, for provenance: `<commit>` or `<commit>+dirty`,
/// `unknown` without git.
///
/// It is the last commit that changed anything but `results/` and `paper/`, and "dirty" ignores those
/// two folders too: results are committed *after* they are generated, so a fresh clone of that later
/// commit must still name the commit of the sources — otherwise re-running would rewrite every page.
enum GitInfo {
  static let sourcePathspec = ["--", ".", ":(exclude)results", ":(exclude)paper"]

  static func commit(in root: URL) -> String {
    guard let head = git(["log", "-1", "--format=%H"] + sourcePathspec, in: root), !head.isEmpty else {
      return "unknown"
    }
    let status = git(["status", "--porcelain", "--untracked-files=no"] + sourcePathspec, in: root) ?? ""
    return status.isEmpty ? head : head + "+dirty"
  }

  private static func git(_ arguments: [String], in root: URL) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", root.path] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
