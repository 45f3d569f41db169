import ArgumentParser
import DUNESupport
import Foundation
import Traffic

/// `dune bench csv`: read throughput of the CSV inputs (sample tables, flow counts, the general table
/// reader) on a samples folder, in wall and CPU time (the CPU time is what a loaded machine cannot skew).
struct BenchCSV: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "csv",
    abstract: "CSV read throughput: sample tables, flow counts and the general table reader (MB/s).")

  @Option(help: "Folder with <usecase>_<split>_<N>.csv and the flow-count files (dune data samples --out).")
  var samples: String
  @Option(name: .customLong("use-case"), help: "Use case name (file-name prefix).") var useCase: String
  @Option(help: "Timed repetitions (after one warm-up).") var repeats = 5

  func run() async throws {
    try await reportingErrors {
      guard repeats > 0 else { throw UsageError("--repeats must be positive") }
      let names = try FileManager.default.contentsOfDirectory(atPath: samples).sorted()
      let tables = names.filter { $0.hasPrefix(useCase + "_") && $0.hasSuffix(".csv") && !$0.contains("flow_counts") }
      let counts = names.filter { $0.hasPrefix(useCase + "_") && $0.hasSuffix("_flow_counts.csv") }
      guard !tables.isEmpty else { throw UsageError("no \(useCase)_<split>_<N>.csv in \(samples)") }
      func paths(_ xs: [String]) -> [String] { xs.map { (samples as NSString).appendingPathComponent($0) } }
      try measure("sample tables (SampleTable.read)", paths(tables)) { _ = try SampleTable.read(csvAt: $0) }
      try measure("flow counts (FlowCounts.read)", paths(counts)) { _ = try FlowCounts.read(csvAt: $0) }
      try measure("general reader (CSVTable.read)", paths(tables)) { _ = try CSVTable.read(path: $0) }
    }
  }

  func measure(_ what: String, _ files: [String], _ read: (String) throws -> Void) throws {
    let bytes = try files.reduce(0) {
      $0 + ((try FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
    }
    for f in files { try read(f) }  // warm-up (page cache, allocator)
    let wall0 = DispatchTime.now().uptimeNanoseconds
    let cpu0 = Self.cpuSeconds()
    for _ in 0..<repeats { for f in files { try read(f) } }
    let cpu = Self.cpuSeconds() - cpu0
    let wall = Double(DispatchTime.now().uptimeNanoseconds - wall0) * 1e-9
    let mb = Double(bytes * repeats) / 1_000_000
    printOut(
      "\(what): \(files.count) files, \(NumberFormat.fixed(Double(bytes) / 1_000_000, 1)) MB × \(repeats): "
        + "\(NumberFormat.fixed(mb / cpu, 1)) MB/CPU-s, \(NumberFormat.fixed(mb / wall, 1)) MB/s wall")
  }

  /// CPU time of this process (all threads), in seconds.
  static func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
}
