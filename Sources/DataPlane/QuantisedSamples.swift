import DUNESupport
import Foundation
import Traffic

/// Sample tables with the ns time features quantised (`TimeQuantisation`, data-plane.md §2.2/§3.5).
///
/// Forest thresholds are Float: time features in ns above 2^24 are not exact, so a table keyed on
/// the raw value can disagree with the model. Training and verifying on the quantised values (and
/// compiling with the same scheme, so the emulator quantises its registers alike) keeps tables = model.
public enum QuantisedSamples {
  /// The folder to read samples from: `folder` itself for shift 0, else a temporary copy with every
  /// `<uc>_<split>_<N>.csv` quantised (flow counts copied). The caller removes it with `cleanup`.
  public static func prepare(folder: String, useCase: String, shift: Int) throws -> String {
    guard shift > 0 else { return folder }
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("dune-quantised-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    let q = TimeQuantisation.uniform(shift: shift)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().filter {
      $0.hasPrefix(useCase + "_") && $0.hasSuffix(".csv")
    }
    // Files are independent: quantise them on every core.
    _ = try parallelMap(count: names.count, threads: ProcessInfo.processInfo.activeProcessorCount) { i in
      let src = (folder as NSString).appendingPathComponent(names[i])
      let dst = (tmp as NSString).appendingPathComponent(names[i])
      if names[i].hasSuffix("_flow_counts.csv") {
        try FileManager.default.copyItem(atPath: src, toPath: dst)
      } else {
        try q.quantise(table: try SampleTable.read(csvAt: src)).write(toCSV: dst)
      }
    }
    return tmp
  }

  /// What `prepare` does to each sample table, in memory: a reader that applies it as it loads a
  /// table gets exactly the values the prepared copy holds (the copy's integers and shortest
  /// round-trip decimals parse back to the same doubles), without writing and parsing the copy.
  public static func quantiser(shift: Int) -> @Sendable (SampleTable) -> SampleTable {
    guard shift > 0 else { return { $0 } }
    let q = TimeQuantisation.uniform(shift: shift)
    return { q.quantise(table: $0) }
  }

  /// Removes a folder made by `prepare` (nothing for shift 0).
  public static func cleanup(_ path: String, shift: Int) {
    if shift > 0 { try? FileManager.default.removeItem(atPath: path) }
  }

  /// The encoding scheme matching `shift`.
  public static func scheme(shift: Int) -> EncodingScheme {
    EncodingScheme(mode: .canonical, timeQuantisation: shift > 0 ? .uniform(shift: shift) : .none)
  }
}
