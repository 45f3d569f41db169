import ArgumentParser
import DUNESupport
import Foundation
import Traffic

/// `dune bench samples`: times the whole samples step (read, label, hybrid rows for every N,
/// CSV serialisation) on a use case's data, by default iot-sentinel with N = 2, 3, 4.
struct BenchSamples: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "samples", abstract: "Time the hybrid-sample generation step.")

  @Option(name: .customLong("use-case"), help: "Use case name or JSON file.")
  var useCase = "iot-sentinel"

  @Option(help: "Data folder (default: the use case's).")
  var data: String?

  @Option(help: "Inference points.")
  var n = "2,3,4"

  @Option(help: "Timed repetitions (after one warm-up).")
  var repeats = 5

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  /// CPU seconds used by this process so far (all threads).
  static func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  func run() async throws {
    try await reportingErrors {
      let uc = try UseCase.resolve(useCase)
      let ns = try DataSamples.parseInferencePoints(n)
      let folder = try DataSamples.dataFolder(for: uc, explicit: data)
      let options = SampleGenerator.Options(inferencePoints: ns, threads: threads)
      var gen: [Double] = []
      var csv: [Double] = []
      var genCPU: [Double] = []
      var csvCPU: [Double] = []
      var last: SampleGenerator.Output?
      for i in 0...max(1, repeats) {
        let c0 = Self.cpuSeconds()
        let t0 = DispatchTime.now().uptimeNanoseconds
        let out = try SampleGenerator.run(useCase: uc, dataFolder: folder, options: options, source: .captures)
        let t1 = DispatchTime.now().uptimeNanoseconds
        let c1 = Self.cpuSeconds()
        var bytes = 0
        for s in UseCase.splitNames {
          for v in ns { bytes += out.tables[s]![v]!.csvBytes().count }
          bytes += out.flowCounts[s]!.csvText().utf8.count
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        let c2 = Self.cpuSeconds()
        if i > 0 {
          gen.append(Double(t1 - t0) / 1e9)
          csv.append(Double(t2 - t1) / 1e9)
          genCPU.append(c1 - c0)
          csvCPU.append(c2 - c1)
        }
        last = out
      }
      let r = last!.report
      let rows = UseCase.splitNames.reduce(0) { acc, s in
        acc + ns.reduce(0) { $0 + r.splits[s]!.rows[String($1)]!.total }
      }
      func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
      let g = median(gen)
      let c = median(csv)
      printOut(
        "use case \(uc.name), \(r.files.total) captures, \(r.packets.framesRead) frames, \(r.packets.used) packets used, N = \(ns)"
      )
      printOut(
        "generate (read+label+hybrid): median \(NumberFormat.fixed(g, 3)) s, min \(NumberFormat.fixed(gen.min()!, 3)) s, \(NumberFormat.fixed(Double(r.packets.framesRead) / g / 1e6, 2)) M frames/s"
      )
      printOut(
        "csv serialise (\(rows) rows): median \(NumberFormat.fixed(c, 3)) s, \(NumberFormat.fixed(Double(rows) / c / 1e6, 2)) M rows/s"
      )
      // Parsing speed of the largest table, replicated to about 10⁶ rows (what later stages load).
      let big = last!.tables["train"]![ns.max()!]!
      let copies = max(1, 1_000_000 / max(1, big.rowCount))
      var text = big.csvBytes()
      let body = text[(text.firstIndex(of: 10)! + 1)...]
      for _ in 1..<copies { text.append(contentsOf: body) }
      let tmp = NSTemporaryDirectory() + "dune-bench-\(getpid()).csv"
      try Data(text).write(to: URL(fileURLWithPath: tmp))
      defer { unlink(tmp) }
      let p0 = DispatchTime.now().uptimeNanoseconds
      let pc0 = Self.cpuSeconds()
      let parsed = try SampleTable.read(csvAt: tmp)
      let pSec = Double(DispatchTime.now().uptimeNanoseconds - p0) / 1e9
      let pCPU = Self.cpuSeconds() - pc0
      printOut(
        "csv parse (SampleTable.read, \(parsed.rowCount) rows, \(text.count / 1_000_000) MB): \(NumberFormat.fixed(pSec, 3)) s wall, \(NumberFormat.fixed(pCPU, 3)) s cpu, \(NumberFormat.fixed(Double(parsed.rowCount) / pCPU / 1e6, 2)) M rows/s (cpu)"
      )
      printOut("total: median \(NumberFormat.fixed(g + c, 3)) s wall over \(gen.count) runs")
      // CPU time of the process (all threads): the honest figure on a shared, loaded machine.
      printOut(
        "cpu: generate median \(NumberFormat.fixed(median(genCPU), 3)) s, csv median \(NumberFormat.fixed(median(csvCPU), 3)) s (all threads)"
      )
    }
  }
}
