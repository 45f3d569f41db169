import Testing
import Traffic

@testable import Forest

@Suite struct EvaluationTests {
  @Test func reportMatchesHandComputation() {
    // truth  : 0 0 0 1 1 2
    // predict: 0 0 1 1 3 2   (3 is not among the labels)
    let r = ClassificationReport(
      truth: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 3, 2], classCount: 4, labels: [0, 1, 2])
    // class 0: P 2/2, R 2/3 → F 0.8; class 1: P 1/2, R 1/2 → 0.5; class 2: 1.
    #expect(abs(r.scores[0].f1 - 0.8) < 1e-12)
    #expect(abs(r.scores[1].f1 - 0.5) < 1e-12)
    #expect(r.scores[2].f1 == 1)
    #expect(abs(r.macroF1 - (0.8 + 0.5 + 1) / 3) < 1e-12)
    #expect(abs(r.weightedF1 - (0.8 * 3 + 0.5 * 2 + 1) / 6) < 1e-12)
    // micro: TP 4, predicted within labels 5, true 6 → P 0.8, R 2/3 → F 8/11.
    #expect(abs(r.microF1 - 8.0 / 11) < 1e-12)
  }

  @Test func zeroDivisionGivesZero() {
    let r = ClassificationReport(truth: [0, 0], predicted: [1, 1], classCount: 2, labels: [0])
    #expect(r.scores[0].f1 == 0)
    #expect(r.macroF1 == 0 && r.microF1 == 0)
  }

  @Test func flowAndPacketLevelExpansion() throws {
    // One flow of L = 5 at N = 3: two packet rows and one flow row standing for 3 packets.
    // A short flow of L = 2: two packet rows.
    var table = SampleTable()
    let cols = table.columns.count
    func row(_ flowID: String, _ label: String, packet: Bool, _ x: Double) {
      for c in 0..<cols {
        let name = table.columns[c]
        let isMarker = FeatureCatalog.isFlowLevel(name)
        table.values[c].append(packet && isMarker ? -1 : (name == "ip.len" ? x : 1))
      }
      table.flowIDs.append(flowID)
      table.labels.append(label)
      table.files.append("f.pcap")
    }
    row("A", "cam", packet: true, 10)
    row("A", "cam", packet: true, 11)
    row("A", "cam", packet: false, 12)
    row("B", "plug", packet: true, 20)
    row("B", "plug", packet: true, 21)
    row("C", "plug", packet: true, 22)  // flow missing from the count file → dropped
    row("D", "other", packet: true, 23)  // label outside the class list → dropped
    let lengths = ["A": 5, "B": 2, "D": 1]
    let (set, dropped) = try DatasetPreparation.prepare(
      table, n: 3, classes: ["cam", "plug"], features: ["ip.len"], packetCount: { _, id in lengths[id] })
    #expect(dropped.missingFlowCount == 1 && dropped.outsideClassList == 1)
    #expect(set.weights == [0.2, 0.2, 0.6, 0.5, 0.5])
    #expect(set.counts == [1, 1, 3, 1, 1])
    // Weights of every flow sum to 1.
    #expect(abs(set.weights[0...2].reduce(0, +) - 1) < 1e-12)
    // Predict the flow row wrong, everything else right.
    let e = FlowPacketEvaluation(test: set, predictions: [0, 0, 1, 1, 1], classCount: 2)
    #expect(e.expandedSamples == 7)
    #expect(abs(e.fl.totalWeight - 2) < 1e-12)  // FL support = number of flows
    #expect(abs(e.fl.scores[0].support - 1) < 1e-12)
    // FL: cam TP 0.4 of 1, predicted 0.4 → P 1, R 0.4; plug TP 1, predicted 1.6 → P 0.625, R 1.
    #expect(abs(e.fl.scores[0].f1 - 2 * 0.4 / 1.4) < 1e-12)
    #expect(abs(e.fl.scores[1].f1 - 2 * 0.625 / 1.625) < 1e-12)
    // PL: cam TP 2 of 5, plug TP 2, predicted 5.
    #expect(abs(e.pl.scores[0].f1 - 2 * 0.4 / 1.4) < 1e-12)
    #expect(abs(e.pl.scores[1].f1 - 2 * 0.4 / 1.4) < 1e-12)
    #expect(abs(e.pl.microF1 - 4.0 / 7) < 1e-12)
  }
}
