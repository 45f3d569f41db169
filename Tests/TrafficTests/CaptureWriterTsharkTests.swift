import DUNESupport
import Foundation
import Testing
import Traffic

let captureTsharkPath: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark", "/opt/homebrew/bin/tshark"]
  .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Files from `PcapWriter` open in tshark with the same field values and valid checksums.
/// Runs only where tshark is installed (it is not in CI).
@Suite(.enabled(if: captureTsharkPath != nil, "tshark is not installed"))
struct CaptureWriterTsharkTests {
  static var tshark: String? { captureTsharkPath }

  static func runTshark(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tshark!)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test(arguments: [false, true])
  func writtenPcapMatchesTshark(nanosecond: Bool) throws {
    typealias F = CaptureFixtures
    var packets: [Packet] = []
    for i in 0..<40 {
      let ts = 1_650_000_000_000_000_000 + Int64(i) * 1_234_567_891
      let ihl = UInt8(20 + 4 * (i % 4))
      packets.append(
        i % 3 == 0
          ? F.udp(ts, sport: UInt16(1000 + i), ipLength: UInt16(60 + i), ihl: ihl, ttl: UInt8(i + 1))
          : F.tcp(
            ts, sport: UInt16(2000 + i), ipLength: UInt16(100 + 7 * i), ihl: ihl, flags: UInt8(i * 37 & 0xFF),
            window: UInt16(i * 1500), words: UInt8(5 + i % 11)))
    }
    var w = PcapWriter(nanosecond: nanosecond)
    for p in packets { try w.write(p) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capture-tshark-\(getpid())-\(nanosecond)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try w.write(to: dir.appendingPathComponent("w.pcap").path)

    let script = CaptureFixtures.repositoryRoot.appendingPathComponent(
      "Tests/TrafficTests/Fixtures/tshark/make-fixture.sh")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [script.path, dir.path, "w.pcap"]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let csv = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try AtomicFile.write(csv, to: dir.appendingPathComponent("fields.csv").path)
    let result = try TsharkComparison.compare(csvPath: dir.appendingPathComponent("fields.csv").path, capturesRoot: dir)
    #expect(result.comparedPackets == 40)
    #expect(result.mismatches == [], "\(result.mismatches.prefix(5))")

    // Checksums verified by tshark: 1 means good.
    let status = try Self.runTshark([
      "-n", "-r", dir.appendingPathComponent("w.pcap").path, "-o", "ip.check_checksum:TRUE",
      "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields",
      "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status",
    ])
    let rows = status.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: true) }
    #expect(rows.count == 40)
    #expect(rows.allSatisfy { $0 == ["1", "1"] }, "\(rows.prefix(3))")
  }
}
