import DUNESupport
import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

/// Whether `git` runs on this machine.
private let gitAvailable: Bool = {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["git", "--version"]
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  guard (try? p.run()) != nil else { return false }
  p.waitUntilExit()
  return p.terminationStatus == 0
}()

@Suite(.enabled(if: gitAvailable, "needs git on PATH")) struct GitInfoTests {
  @discardableResult
  private func git(_ args: [String], in dir: URL) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      ["git", "-C", dir.path, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private func write(_ text: String, _ path: String, in dir: URL) throws {
    let url = dir.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  /// Results are committed after they are generated; the provenance must still name the same sources,
  /// in a full clone and in a shallow one, and match the documented shell pipeline.
  @Test func provenanceDigestsTheSourcesOnly() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("gitinfo-\(UUID().uuidString)")
    let dir = base.appendingPathComponent("repo")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: base) }
    try git(["init", "-q"], in: dir)
    try write("a\n", "source.txt", in: dir)
    try write("x,y\n", "paper/inputs/w.csv", in: dir)
    try git(["add", "."], in: dir)
    try git(["commit", "-q", "-m", "sources"], in: dir)
    let atSources = GitInfo.commit(in: dir)
    #expect(atSources.hasPrefix("tree:") && atSources.count == 5 + 64)
    // The digest is SHA-256 of `git ls-tree -r HEAD` without the generated folders.
    let listing = try git(["ls-tree", "-r", "HEAD"], in: dir)
    #expect(atSources == "tree:" + SHA256.hex(listing + "\n"))

    try write("page\n", "results/index.html", in: dir)
    try write("<svg/>\n", "paper/figures/f.svg", in: dir)
    try git(["add", "."], in: dir)
    try git(["commit", "-q", "-m", "results"], in: dir)
    #expect(GitInfo.commit(in: dir) == atSources)

    // A shallow clone of the results commit names the same sources.
    let clone = base.appendingPathComponent("clone")
    try git(["clone", "-q", "--depth", "1", "file://" + dir.path, clone.path], in: base)
    #expect(GitInfo.commit(in: clone) == atSources)

    // A changed result is not "dirty" sources; a changed source or input is, and a committed one is new.
    try write("other page\n", "results/index.html", in: dir)
    #expect(GitInfo.commit(in: dir) == atSources)
    try write("x,z\n", "paper/inputs/w.csv", in: dir)
    #expect(GitInfo.commit(in: dir) == atSources + "+dirty")
    try git(["commit", "-q", "-am", "new input"], in: dir)
    let next = GitInfo.commit(in: dir)
    #expect(next != atSources && !next.hasSuffix("+dirty"))
  }
}
