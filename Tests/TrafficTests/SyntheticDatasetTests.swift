import Foundation
import Testing

@testable import Traffic

@Suite struct SyntheticDatasetTests {
  @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
    let a = makeTempDir()
    let b = makeTempDir()
    let c = makeTempDir()
    defer { for d in [a, b, c] { removeTemp(d) } }
    let p = SyntheticParameters(classes: 2, seed: 7, scale: 0.2)
    try SyntheticDataset.write(p, to: a)
    try SyntheticDataset.write(p, to: b)
    try SyntheticDataset.write(SyntheticParameters(classes: 2, seed: 8, scale: 0.2), to: c)
    let files = try FileManager.default.subpathsOfDirectory(atPath: a).sorted()
    #expect(files.contains("devices.csv") && files.contains("COMPLETE"))
    #expect(files.filter { $0.hasSuffix(".pcap") }.count == 2 * SyntheticDataset.capturesPerClass)
    var differs = false
    for f in files {
      let x = FileManager.default.contents(atPath: a + "/" + f)
      #expect(x == FileManager.default.contents(atPath: b + "/" + f), "\(f)")
      if f.hasSuffix(".pcap"), x != FileManager.default.contents(atPath: c + "/" + f) { differs = true }
    }
    #expect(differs)
  }

  /// Files read back through the capture reader give exactly the generated packets.
  @Test func pcapRoundTrip() throws {
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    let p = SyntheticParameters(classes: 20, seed: 3, scale: 0.2)
    for c in [0, 10, 17] {
      let packets = SyntheticDataset.packets(p, classIndex: c, capture: 1)
      try writePcap(packets, dir + "/x.pcap")
      #expect(try CaptureReader.readAll(path: dir + "/x.pcap") == packets)
    }
  }

  /// Realism checks: default size budget, consistent lengths, every class has flows of ≥ 3 packets.
  @Test func defaultDatasetShape() {
    let p = SyntheticParameters()
    var total = 0
    for c in 0..<p.classes {
      var longFlows = 0
      for k in 0..<SyntheticDataset.capturesPerClass {
        let ps = SyntheticDataset.packets(p, classIndex: c, capture: k)
        total += ps.count
        #expect(zip(ps, ps.dropFirst()).allSatisfy { $0.timestampNs <= $1.timestampNs })
        var consistent = true
        var flows: [FiveTuple: Int] = [:]
        for q in ps {
          let l4 = q.proto == 6 ? Int(q.tcpHeaderWords) * 4 : 8
          if Int(q.ipLength) < Int(q.ipHeaderLength) + l4 { consistent = false }
          if q.proto == 17, Int(q.udpLength) != Int(q.ipLength) - Int(q.ipHeaderLength) { consistent = false }
          flows[q.fiveTuple, default: 0] += 1
        }
        #expect(consistent)
        longFlows += flows.values.filter { $0 >= 3 }.count
      }
      #expect(longFlows >= 10, "class \(SyntheticDataset.profiles[c].name)")
    }
    #expect(total > 50_000 && total <= 100_000, "total \(total)")
  }
}
