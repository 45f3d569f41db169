import DUNESupport
import Foundation

/// Writing the synthetic dataset to disk (classic pcap via `PcapWriter`) and caching it.
extension SyntheticDataset {
  /// Writes the dataset of `p` into `folder` (captures, device list, then the completion marker).
  /// Captures are generated in parallel; each is a pure function of (seed, class, index).
  public static func write(_ p: SyntheticParameters, to folder: String) throws {
    guard p.classes >= 1, p.classes <= profiles.count, p.scale > 0 else {
      throw UsageError("synthetic dataset needs 1 ≤ classes ≤ \(profiles.count) and scale > 0")
    }
    try? FileManager.default.removeItem(atPath: joinPath(folder, completeMarker))
    let jobs = (0..<p.classes).flatMap { c in (0..<capturesPerClass).map { (c, $0) } }
    do {
      _ = try parallelMap(count: jobs.count, threads: defaultThreadCount) { j in
        let (c, k) = jobs[j]
        var w = PcapWriter()
        for packet in packets(p, classIndex: c, capture: k) { try w.write(packet) }
        try w.write(to: joinPath(folder, capturePath(classIndex: c, capture: k)))
      }
    } catch {
      throw UsageError("cannot write the synthetic dataset: \(error)")
    }
    try AtomicFile.write(deviceListText(classes: p.classes), to: joinPath(folder, deviceListFile))
    try AtomicFile.write("synthetic dataset complete\n", to: joinPath(folder, completeMarker))
  }

  /// The dataset folder of `p` below `cacheRoot`, generated first unless already complete.
  @discardableResult
  public static func ensure(_ p: SyntheticParameters, cacheRoot: String = ".") throws -> String {
    let folder = joinPath(cacheRoot == "." ? "" : cacheRoot, cacheFolder(p))
    if !FileManager.default.fileExists(atPath: joinPath(folder, completeMarker)) {
      try write(p, to: folder)
    }
    return folder
  }
}
