import ArgumentParser
import DUNESupport
import Foundation
import Traffic

/// `dune bench capture`: reads and decodes captures repeatedly and prints packets/s and MB/s.
struct BenchCapture: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "capture",
    abstract: "Read and decode capture files; print packets, bytes, seconds, packets/s, MB/s.",
    discussion: """
      With no path, reads every capture of the iot-sentinel use case when DUNE_IOT_SENTINEL_DATA \
      names its data folder, else the generated synthetic dataset (written under .dune/datasets \
      once). One untimed pass warms the page cache, then --repeat timed passes are measured on one core.
      """)

  @Argument(help: "Capture files or folders (searched recursively for .pcap, .pcapng, .cap).")
  var paths: [String] = []

  @Option(name: .long, help: "Timed passes over all files.")
  var `repeat`: Int = 5

  /// The iot-sentinel captures when their folder is configured, else the synthetic dataset's.
  static func defaultCaptures() throws -> String {
    let real = UseCase.iotSentinel
    if let folder = real.environmentDataFolder(ProcessInfo.processInfo.environment) {
      return (folder as NSString).appendingPathComponent(real.capturesFolder)
    }
    let synthetic = UseCase.synthetic(SyntheticParameters())
    let folder = try SyntheticDataset.ensure(synthetic.synthetic!, cacheRoot: ".dune/datasets")
    return (folder as NSString).appendingPathComponent(synthetic.capturesFolder)
  }

  func run() async throws {
    try await reportingErrors {
      let roots = paths.isEmpty ? [try Self.defaultCaptures()] : paths
      let files = try roots.flatMap(Self.captureFiles)
      guard !files.isEmpty else { throw UsageError("no capture files under \(roots.joined(separator: ", "))") }
      guard self.repeat >= 1 else { throw ValidationError("--repeat must be at least 1") }
      var fileBytes = 0
      for f in files {
        fileBytes += ((try? FileManager.default.attributesOfItem(atPath: f)[.size]) as? Int) ?? 0
      }
      _ = try Self.pass(files)  // warm the page cache
      var stats = CaptureStats()
      var digest: UInt64 = 0
      let clock = ContinuousClock()
      let cpuStart = Self.processCPUSeconds()
      let elapsed = try clock.measure {
        for _ in 0..<self.repeat {
          let (s, d) = try Self.pass(files)
          stats.add(s)
          digest &+= d
        }
      }
      let cpu = Self.processCPUSeconds() - cpuStart
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let bytes = fileBytes * self.repeat
      printOut("files       \(files.count) × \(self.repeat) passes")
      printOut("packets     \(stats.packetsRead) read, \(stats.decoded) decoded (IPv4 TCP/UDP)")
      printOut(
        "skipped     \(stats.skipped) (\(CaptureSkipReason.allCases.filter { stats.skipped($0) > 0 }.map { "\($0.rawValue) \(stats.skipped($0))" }.joined(separator: ", ")))"
      )
      printOut("bytes       \(bytes)")
      printOut("seconds     \(NumberFormat.fixed(seconds, 3)) wall, \(NumberFormat.fixed(cpu, 3)) CPU (user + system)")
      printOut(
        "packets/s   \(NumberFormat.fixed(Double(stats.packetsRead) / seconds, 0)) wall, "
          + "\(NumberFormat.fixed(Double(stats.packetsRead) / cpu, 0)) per CPU second")
      printOut(
        "MB/s        \(NumberFormat.fixed(Double(bytes) / 1e6 / seconds, 1)) wall, "
          + "\(NumberFormat.fixed(Double(bytes) / 1e6 / cpu, 1)) per CPU second")
      printOut("digest      \(String(digest, radix: 16))")
    }
  }

  /// CPU time of this process: on a shared machine it measures one core's throughput better than
  /// wall time, which also counts time spent waiting for a core.
  static func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// One pass over all files; the digest keeps the optimiser from dropping the decoding.
  static func pass(_ files: [String]) throws -> (CaptureStats, UInt64) {
    var stats = CaptureStats()
    var digest: UInt64 = 0
    for f in files {
      let reader = try CaptureReader(path: f)
      while let p = try reader.next() {
        digest &+= UInt64(p.srcIP) ^ UInt64(p.ipLength) ^ UInt64(p.tcpFlags) ^ UInt64(bitPattern: p.timestampNs)
      }
      stats.add(reader.stats)
    }
    return (stats, digest)
  }

  /// `path` itself if it is a file, else the capture files below it in sorted order.
  static func captureFiles(_ path: String) throws -> [String] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      throw LocatedError(file: path, "no such file or folder")
    }
    guard isDir.boolValue else { return [path] }
    guard let e = FileManager.default.enumerator(atPath: path) else { return [] }
    let exts: Set<String> = ["pcap", "pcapng", "cap"]
    return e.compactMap { $0 as? String }
      .filter { exts.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
      .sorted()
      .map { (path as NSString).appendingPathComponent($0) }
  }
}
