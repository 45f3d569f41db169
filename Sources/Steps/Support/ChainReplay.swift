import DUNESupport
import DataPlane
import Foundation
import Traffic

/// The test captures of a use case as the emulator's replay input (`ReplayCapture` per capture).
///
/// Captures are split with the use case's `SplitRule`; packets are labelled by the use case's
/// `PacketLabeller` for the `test` split, exactly as the sample generator does, and only labelled
/// packets are replayed (the samples hold no others). A flow's label is its first packet's label;
/// flows are keyed per capture by the emulator (`Replay`).
public enum ChainReplay {
  /// Reads and labels the test captures of `useCase` under `dataFolder`, in byte order of their paths.
  public static func testCaptures(useCase u: UseCase, dataFolder: String) throws -> [ReplayCapture] {
    let files = try CaptureFiles.list(useCase: u, dataFolder: dataFolder)
    let splits = CaptureFiles.splits(of: files, rule: u.split, capturesFolder: u.capturesFolder)
    let folders = files.map { CaptureFiles.topFolder($0, capturesFolder: u.capturesFolder) }
    let labeller = try PacketLabeller.make(
      useCase: u, split: "test", dataFolder: dataFolder, folders: Array(Set(folders)).sorted())
    var out: [ReplayCapture] = []
    for (i, f) in files.enumerated() where splits[i].contains("test") {
      let reader = try CaptureReader(path: (dataFolder as NSString).appendingPathComponent(f))
      var packets: [Packet] = []
      var labels: [FiveTuple: String] = [:]
      while let p = try reader.next() {
        guard case .label(let l) = labeller.label(p, folder: folders[i]) else { continue }
        packets.append(p)
        if labels[p.fiveTuple] == nil { labels[p.fiveTuple] = l }
      }
      out.append(ReplayCapture(name: f, packets: packets, labels: labels))
    }
    return out
  }
}
