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

  func run() async throws {
    try await reportingErrors {
      let uc = try UseCase.resolve(useCase)
      let ns = try DataSamples.parseInferencePoints(n)
      let folder = try DataSamples.dataFolder(for: uc, explicit: data)
      let options = SampleGenerator.Options(inferencePoints: ns, threads: threads)
      var gen: [Double] = []
      var csv: [Double] = []
      var last: SampleGenerator.Output?
      for i in 0...max(1, repeats) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let out = try SampleGenerator.run(useCase: uc, dataFolder: folder, options: options, source: .captures)
        let t1 = DispatchTime.now().uptimeNanoseconds
        var bytes = 0
        for s in UseCase.splitNames {
          for v in ns { bytes += out.tables[s]![v]!.csvBytes().count }
          bytes += out.flowCounts[s]!.csvText().utf8.count
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        if i > 0 {
          gen.append(Double(t1 - t0) / 1e9)
          csv.append(Double(t2 - t1) / 1e9)
        }
        last = out
      }
      let r = last!.report
      let rows = UseCase.splitNames.reduce(0) { acc, s in acc + ns.reduce(0) { $0 + r.splits[s]!.rows[String($1)]!.total } }
      let g = gen.sorted()[gen.count / 2]
      let c = csv.sorted()[csv.count / 2]
      printOut("use case \(uc.name), \(r.files.total) captures, \(r.packets.framesRead) frames, \(r.packets.used) packets used, N = \(ns)")
      printOut("generate (read+label+hybrid): median \(NumberFormat.fixed(g, 3)) s, min \(NumberFormat.fixed(gen.min()!, 3)) s, \(NumberFormat.fixed(Double(r.packets.framesRead) / g / 1e6, 2)) M frames/s")
      printOut("csv serialise (\(rows) rows): median \(NumberFormat.fixed(c, 3)) s, \(NumberFormat.fixed(Double(rows) / c / 1e6, 2)) M rows/s")
      printOut("total: median \(NumberFormat.fixed(g + c, 3)) s over \(gen.count) runs")
    }
  }
}
