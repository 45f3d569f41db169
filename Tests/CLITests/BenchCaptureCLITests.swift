import Foundation
import Testing

/// End-to-end: `dune bench capture` on one small real capture, and on a file that is not a capture.
@Suite struct BenchCaptureCLITests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The `dune` executable built next to the test bundle.
  static var dune: URL {
    let nextToRunner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [nextToRunner, Bundle.main.bundleURL, repositoryRoot.appendingPathComponent(".build/debug")] {
      let candidate = dir.appendingPathComponent("dune")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return repositoryRoot.appendingPathComponent(".build/debug/dune")
  }

  static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = dune
    p.arguments = arguments
    p.currentDirectoryURL = repositoryRoot
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  @Test func benchesARealCapture() throws {
    let file = "Tests/TrafficTests/Fixtures/iot-sentinel/Aria/Setup-A-1-STA.pcap"
    let r = try Self.run(["bench", "capture", file, "--repeat", "2"])
    #expect(r.status == 0, "\(r.err)")
    // tshark counts 49 frames in this file, 40 of them IPv4 TCP/UDP; two timed passes.
    #expect(r.out.contains("packets     98 read, 80 decoded"), "\(r.out)")
    #expect(r.out.contains("packets/s"))
  }

  @Test func reportsABadCaptureWithItsOffset() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-cli-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad.pcap")
    try Data("not a capture at all".utf8).write(to: bad)
    let r = try Self.run(["bench", "capture", bad.path, "--repeat", "1"])
    #expect(r.status == 1)
    #expect(r.err.contains("\(bad.path): byte offset 0: error: not a pcap or pcapng file"), "\(r.err)")
  }
}
