import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

@Suite struct GitInfoTests {
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

  /// Results are committed after they are generated; the provenance must still name the sources' commit.
  @Test func provenanceNamesTheLastCommitOutsideResults() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gitinfo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("results"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    guard (try? git(["init", "-q"], in: dir)) != nil,
      FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path)
    else { return }  // no git on this machine
    try "a\n".write(to: dir.appendingPathComponent("source.txt"), atomically: true, encoding: .utf8)
    _ = try git(["add", "."], in: dir)
    _ = try git(["commit", "-q", "-m", "sources"], in: dir)
    let sources = try git(["rev-parse", "HEAD"], in: dir)
    try "page\n".write(to: dir.appendingPathComponent("results/index.html"), atomically: true, encoding: .utf8)
    _ = try git(["add", "."], in: dir)
    _ = try git(["commit", "-q", "-m", "results"], in: dir)
    #expect(GitInfo.commit(in: dir) == sources)
    // A changed result is not "dirty" sources; a changed source is.
    try "other page\n".write(to: dir.appendingPathComponent("results/index.html"), atomically: true, encoding: .utf8)
    #expect(GitInfo.commit(in: dir) == sources)
    try "b\n".write(to: dir.appendingPathComponent("source.txt"), atomically: true, encoding: .utf8)
    #expect(GitInfo.commit(in: dir) == sources + "+dirty")
  }
}
