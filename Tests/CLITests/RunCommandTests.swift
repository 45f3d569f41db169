import Foundation
import Testing

/// End-to-end: the built `dune` binary on a tiny chapters folder using the built-in step kinds.
@Suite(.serialized) struct RunCommandTests {
  static let binary: URL = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let candidates = [
      Bundle.main.bundleURL.appendingPathComponent("dune"),
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("dune"),
      root.appendingPathComponent(".build/debug/dune"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
  }()

  struct Result {
    var status: Int32
    var out: String
    var err: String
  }

  static func dune(_ arguments: [String], in dir: URL, environment: [String: String] = [:]) throws -> Result {
    let p = Process()
    p.executableURL = binary
    p.arguments = arguments
    p.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
  }

  static func project() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
    try Data("a,b\n1,2\n3,4\n".utf8).write(to: root.appendingPathComponent("data/t.csv"))
    let chapter = """
      ---
      params:
        expectedRows: 2
      ---
      # Tiny

      ```dune csv.summary
      #| id: csv
      path: data/t.csv
      ```

      ```dune check
      #| id: rows
      expect:
        - name: rows
          value: ${step.csv.rows}
          equals: ${params.expectedRows}
        - value: ${step.csv.stats.b.mean}
          approx: 3
          tol: 1e-12
      ```
      """
    try Data(chapter.utf8).write(to: root.appendingPathComponent("chapters/01-tiny.md"))
    return root
  }

  @Test func runRerunRenderAndMetrics() throws {
    let dir = try Self.project()
    defer { try? FileManager.default.removeItem(at: dir) }
    let env = ["SOURCE_DATE_EPOCH": "1700000000"]

    let first = try Self.dune(["run"], in: dir, environment: env)
    #expect(first.status == 0, "\(first.err)")
    #expect(first.out.contains("ran            01-tiny/csv"))
    #expect(first.out.contains("2 steps: 2 ran"))

    let second = try Self.dune(["run"], in: dir, environment: env)
    #expect(second.status == 0)
    #expect(second.out.contains("2 steps: 2 fresh"))

    let page = try String(contentsOf: dir.appendingPathComponent("results/01-tiny.html"), encoding: .utf8)
    let index = try String(contentsOf: dir.appendingPathComponent("results/index.html"), encoding: .utf8)
    let render = try Self.dune(["render"], in: dir, environment: env)
    #expect(render.status == 0, "\(render.err)")
    #expect(try String(contentsOf: dir.appendingPathComponent("results/01-tiny.html"), encoding: .utf8) == page)
    #expect(try String(contentsOf: dir.appendingPathComponent("results/index.html"), encoding: .utf8) == index)

    let dry = try Self.dune(["run", "--dry-run", "--explain", "-P", "expectedRows=3"], in: dir)
    #expect(dry.status == 0)
    #expect(dry.out.contains("fresh          01-tiny/csv"))
    #expect(dry.out.contains("stale          01-tiny/rows  — parameter 'expectedRows' changed (2 → 3)"))

    let metrics = try Self.dune(["metrics"], in: dir)
    #expect(metrics.out.contains("01-tiny\tcsv\trows\t\t2\trows"))
    let diff = try Self.dune(["metrics", "--diff", "1", "2"], in: dir)
    #expect(diff.status == 0)
    #expect(diff.out.contains("01-tiny\tcsv\trows\t\trows\t2\t2\t0"))
  }

  @Test func failingCheckExitsNonZeroWithLocation() throws {
    let dir = try Self.project()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try Self.dune(["run", "-P", "expectedRows=5"], in: dir)
    #expect(r.status == 1)
    #expect(
      r.err.contains(
        "chapters/01-tiny.md:15:5: error: step 'rows' (check) failed: check 'rows' failed: got 2, expected 5"))
  }

  @Test func planningErrorsAreReportedBeforeAnythingRuns() throws {
    let dir = try Self.project()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("# Bad\n\n```dune nope\n```\n\n```dune check\nexpect: 3\n```\n".utf8)
      .write(to: dir.appendingPathComponent("chapters/02-bad.md"))
    let r = try Self.dune(["run"], in: dir)
    #expect(r.status == 1)
    #expect(r.err.contains("chapters/02-bad.md:3:1: error: unknown step kind 'nope'"))
    #expect(r.err.contains("chapters/02-bad.md:7:1: error: argument 'expect': expected a list, found an integer 3"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path))
  }

  @Test func secondRunnerIsRefusedWhileLocked() throws {
    let dir = try Self.project()
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir.appendingPathComponent(".dune"), withIntermediateDirectories: true)
    let fd = open(dir.appendingPathComponent(".dune/lock").path, O_RDWR | O_CREAT, 0o644)
    #expect(fd >= 0)
    #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
    let r = try Self.dune(["run"], in: dir)
    #expect(r.status == 1)
    #expect(r.err.contains("another dune process is running"))
    flock(fd, LOCK_UN)
    close(fd)
    #expect(try Self.dune(["run"], in: dir).status == 0)
  }
}
