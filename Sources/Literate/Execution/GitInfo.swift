import Foundation

/// The project's git revision for provenance: `<commit>` or `<commit>+dirty`, `unknown` without git.
enum GitInfo {
  static func commit(in root: URL) -> String {
    guard let head = git(["rev-parse", "HEAD"], in: root), !head.isEmpty else { return "unknown" }
    let status = git(["status", "--porcelain", "--untracked-files=no"], in: root) ?? ""
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
