import DUNESupport
import Foundation
import Literate

/// The sources the results were computed from, for provenance: `tree:<sha256>` or `tree:<sha256>+dirty`,
/// `unknown` without git.
///
/// The digest covers `git ls-tree -r HEAD` minus the generated folders (`results/`, `paper/figures/`),
/// so it is the same in every clone of a commit, shallow or not, and does not change when only results
/// are committed (results are committed *after* they are generated; a commit id would change with them,
/// and a shallow clone cannot find the last commit that touched the sources). Reproduce it in a shell:
/// `git ls-tree -r HEAD | grep -v -P '\t(results|paper/figures)/' | sha256sum`.
/// "dirty" means tracked source files differ from HEAD.
enum GitInfo {
  static let generatedFolders = ["results/", "paper/figures/"]

  static func commit(in root: URL) -> String {
    guard let listing = git(["ls-tree", "-r", "HEAD"], in: root), !listing.isEmpty else { return "unknown" }
    let sources = listing.split(separator: "\n", omittingEmptySubsequences: true).filter { line in
      guard let tab = line.firstIndex(of: "\t") else { return true }
      let path = line[line.index(after: tab)...]
      return !generatedFolders.contains { path.hasPrefix($0) }
    }
    let digest = SHA256.hex(sources.map { $0 + "\n" }.joined())
    let pathspec = ["--", "."] + generatedFolders.map { ":(exclude)\($0.dropLast())" }
    let status = git(["status", "--porcelain", "--untracked-files=no"] + pathspec, in: root) ?? ""
    return "tree:" + digest + (status.isEmpty ? "" : "+dirty")
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
