import DUNESupport
import Testing
import Traffic

@testable import Forest

/// §12.6 invariants: every flow's sample weights sum to 1; expanded test samples = test packets;
/// FL support = number of flows.
@Suite struct PreparationPropertyTests {
  @Test(arguments: [2, 3, 4])
  func weightsAndExpansionInvariants(n: Int) throws {
    var rng = SplitMix64(seed: UInt64(n) * 977)
    var table = SampleTable()
    var counts = FlowCounts()
    var flowsPerClass = [0, 0]
    var packets = 0
    let markerColumns = Set(FeatureCatalog.flowColumns)
    for flow in 0..<200 {
      let l = rng.int(in: 1, 12)
      let label = flow % 3 == 0 ? "x" : "y"
      flowsPerClass[label == "x" ? 0 : 1] += 1
      packets += l
      let id = "10.0.0.1 10.0.0.2 \(flow) 80 6"
      counts.add(file: "c.pcap", flowID: id, packetCount: l, label: label)
      let packetRows = l < n ? l : n - 1
      for r in 0..<(packetRows + (l >= n ? 1 : 0)) {
        let isPacket = r < packetRows
        for (c, name) in table.columns.enumerated() {
          table.values[c].append(isPacket && markerColumns.contains(name) ? -1 : Double(rng.int(in: 1, 50)))
        }
        table.flowIDs.append(id)
        table.labels.append(label)
        table.files.append("c.pcap")
      }
    }
    let p = try DatasetPreparation.prepare(
      train: table, test: table, n: n, classes: ["x", "y"], features: ["ip.len", "Flow Duration"],
      trainCounts: counts, testCounts: counts)
    var perFlow: [String: Double] = [:]
    for (r, id) in table.flowIDs.enumerated() { perFlow[id, default: 0] += p.train.weights[r] }
    #expect(perFlow.values.allSatisfy { abs($0 - 1) < 1e-12 })
    #expect(abs(p.test.counts.reduce(0, +) - Double(packets)) < 1e-9)
    let e = FlowPacketEvaluation(test: p.test, predictions: p.test.labels, classCount: 2)
    #expect(abs(e.fl.scores[0].support - Double(flowsPerClass[0])) < 1e-9)
    #expect(abs(e.fl.scores[1].support - Double(flowsPerClass[1])) < 1e-9)
    #expect(e.pl.totalWeight == Double(packets))
    #expect(e.fl.macroF1 == 1 && e.pl.microF1 == 1)
  }
}
