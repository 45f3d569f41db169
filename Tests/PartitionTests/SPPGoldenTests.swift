import DUNESupport
import Testing

@testable import Partition

/// Golden vectors of spec §12.1–§12.2 on the paper-era inputs.
@Suite struct SPPGoldenTests {
  static func ton(r: Int = 15, alignment: F1Alignment = .byName) throws -> SPPProblem {
    try SPPProblem.load(
      weightsPath: ReferenceFiles.tonWeights, scoresPath: ReferenceFiles.tonScores,
      options: SPPLoadOptions(classes: 7, features: r, unwanted: ReferenceFiles.tonUnwanted, alignment: alignment))
  }

  static func unsw() throws -> SPPProblem {
    try SPPProblem.load(
      weightsPath: ReferenceFiles.unswWeights, scoresPath: ReferenceFiles.unswScores,
      options: SPPLoadOptions(classes: 24, features: 15, unwanted: ReferenceFiles.unswUnwanted))
  }

  func names(_ s: SPPSolution) -> [[String]] { s.blockClassNames }

  @Test func tonLoading() throws {
    let p = try Self.ton()
    #expect(p.classNames == ["ddos", "injection", "normal", "password", "ransomware", "scanning", "xss"])
    #expect(p.featureNames.first == "ACK Flag Count" && p.featureNames.last == "tcp.flags.ack")
    #expect(p.featureNames.count == 15)
    let expectedF1 = [66.6059, 55.0936, 97.5697, 55.0877, 69.2911, 45.2738, 74.0178]
    for (a, b) in zip(p.f1Percent, expectedF1) { #expect(agrees(a, b, decimals: 4)) }
  }

  @Test func tonGreedyLevelsAndBlocks() throws {
    let s = try SPPSolution.solve(Self.ton(), method: .greedy)
    let expected: [(Int, Double, Double)] = [
      (6, 0.60542, 0.10090), (5, 0.78179, 0.26060), (4, 0.70541, 0.35271), (3, 0.20281, 0.13521),
      (2, 0.06516, 0.05430), (1, 0.03798, 0.03798),
    ]
    #expect(s.levels.count == expected.count)
    for (l, e) in zip(s.levels, expected) {
      #expect(l.partition.blockCount == e.0)
      #expect(agrees(l.partition.sumGain, e.1), "level \(l.level) Σg \(l.partition.sumGain)")
      #expect(agrees(l.partition.totalGain, e.2), "level \(l.level) total \(l.partition.totalGain)")
    }
    #expect(s.bestLevel == 2)
    #expect(agrees(s.objective, 0.35271))
    #expect(names(s) == [["ddos", "ransomware", "xss"], ["injection", "password"], ["normal"], ["scanning"]])
    #expect(
      s.blockFeatureNames == [
        ["Max Packet Length", "Min Packet Length", "Packet Length Total", "dstport", "ip.len"],
        ["Max Packet Length", "Packet Length Total", "dstport", "ip.len"],
        ["dstport", "ip.len", "ip.ttl"], ["dstport", "ip.len", "ip.ttl"],
      ])
    let expectedBlocks: [(Double, Double, Double)] = [
      (0.97160, 0.118879, 0.115502), (0.58090, 0.994188, 0.577523), (0.39613, 0.010145, 0.004019),
      (0.38725, 0.021610, 0.008369),
    ]
    for (b, e) in zip(s.partition.blocks, expectedBlocks) {
      #expect(agrees(b.theta, e.0) && agrees(b.psi, e.1, decimals: 6) && agrees(b.gain, e.2, decimals: 6), "\(b)")
    }
    // Merge order of §12.1.
    let merged = s.levels.map { BitSet.members($0.chosen).map { s.problem.classNames[$0] } }
    #expect(merged[0] == ["injection", "password"])
    #expect(merged[1] == ["ddos", "ransomware"])
    #expect(merged[2] == ["ddos", "ransomware", "xss"])
    #expect(merged[3] == ["injection", "password", "scanning"])
    #expect(s.levels.allSatisfy { !$0.degenerate })
  }

  @Test func tonGreedyAllColumns() throws {
    let s = try SPPSolution.solve(Self.ton(r: 21), method: .greedy)
    #expect(names(s) == [["ddos", "ransomware", "xss"], ["injection", "password"], ["normal"], ["scanning"]])
    #expect(agrees(s.objective, 0.54482))
    let gains = [0.168981, 0.904292, 0.005521, 0.010840]
    for (b, g) in zip(s.partition.blocks, gains) { #expect(agrees(b.gain, g, decimals: 6)) }
    #expect(
      s.blockFeatureNames[3] == [
        "Max Packet Length", "Packet Length Total", "dstport", "ip.len", "ip.ttl", "tcp.hdr_len",
        "tcp.window_size_value", "udp.length",
      ])
  }

  @Test func tonExactCompact() throws {
    let s = try SPPSolution.solve(Self.ton(), method: .exact)
    #expect(agrees(s.objective, 0.52208))
    #expect(agrees(s.partition.sumGain, 0.78312))
    #expect(names(s) == [["ddos", "ransomware"], ["injection", "password"], ["normal", "scanning", "xss"]])
    // Runner-up of §12.1: the best 2-block partition, 0.50501.
    let two = try SPPSolution.solve(Self.ton(), method: .exact, blocks: 2)
    #expect(agrees(two.objective, 0.50501))
    #expect(names(two) == [["ddos", "normal", "ransomware", "scanning", "xss"], ["injection", "password"]])
  }

  @Test func tonExactPlainSum() throws {
    let s = try SPPSolution.solve(Self.ton(), method: .ilp)
    #expect(agrees(s.objective, 0.79712))
    #expect(names(s) == [["ddos", "ransomware"], ["injection", "password"], ["normal", "xss"], ["scanning"]])
  }

  @Test func unswGreedy() throws {
    let s = try SPPSolution.solve(Self.unsw(), method: .greedy)
    let table: [(Double, Double)] = [
      (0.87707, 0.03813), (0.94486, 0.08216), (0.63785, 0.08320), (1.13584, 0.19754), (1.09171, 0.23733),
      (1.55566, 0.40582), (1.52044, 0.46274), (1.97099, 0.68556), (2.02718, 0.79325), (1.46401, 0.63653),
      (0.97030, 0.46406), (1.34837, 0.70350), (0.92600, 0.52339), (0.86806, 0.52839), (1.11388, 0.72645),
      (1.34141, 0.93316), (1.27476, 0.94222), (0.99241, 0.77667), (0.67532, 0.55787), (0.38427, 0.33415),
      (0.36213, 0.33064), (0.14800, 0.14156), (0.09190, 0.09190),
    ]
    #expect(s.levels.count == 23)
    for (l, e) in zip(s.levels, table) {
      #expect(l.partition.blockCount == 23 - l.level)
      #expect(agrees(l.partition.sumGain, e.0), "level \(l.level) Σg \(l.partition.sumGain)")
      #expect(agrees(l.partition.totalGain, e.1), "level \(l.level) total \(l.partition.totalGain)")
    }
    #expect(s.bestLevel == 16)
    #expect(agrees(s.objective, 0.94222))
    #expect(
      names(s) == [
        [
          "Amazon Echo", "Belkin Wemo switch", "Belkin wemo motion sensor", "Insteon Camera", "Laptop",
          "Light Bulbs LiFX Smart Bulb", "Netatmo Welcome", "Netatmo weather station", "Samsung Galaxy Tab",
          "Samsung SmartCam", "Smart Things", "Triby Speaker", "Withings Aura smart sleep sensor",
          "Withings Smart scale", "iHome",
        ],
        ["Android Phone"], ["Dropcam"], ["HP Printer", "MacBook"],
        ["NEST Protect smoke alarm", "Withings Smart Baby Monitor"], ["PIX-STAR Photo-frame"],
        ["TP-Link Day Night Cloud camera", "TP-Link Smart plug"],
      ])
    let blocks: [(Double, Double, Double)] = [
      (4.83279, 0.049446, 0.238964), (0.26958, 0.019475, 0.005250), (0.28969, 0.049559, 0.014357),
      (0.77101, 0.311475, 0.240150), (0.52150, 0.486265, 0.253590), (0.49493, 0.017055, 0.008441),
      (0.73774, 0.696740, 0.514011),
    ]
    for (b, e) in zip(s.partition.blocks, blocks) {
      #expect(agrees(b.theta, e.0) && agrees(b.psi, e.1, decimals: 6) && agrees(b.gain, e.2, decimals: 6), "\(b)")
    }
    #expect(s.blockFeatureNames[2] == ["Flow Duration", "ip.len", "ip.ttl", "srcport", "udp.length"])
    #expect(s.blockFeatureNames[3] == ["dstport", "ip.ttl", "srcport", "tcp.hdr_len", "tcp.window_size_value"])
    // First merge of §12.2: LiFX + Smart Things.
    #expect(
      BitSet.members(s.levels[0].chosen).map { s.problem.classNames[$0] } == [
        "Light Bulbs LiFX Smart Bulb", "Smart Things",
      ])
  }

  @Test func fixedBlockCountPicksThatLevel() throws {
    let s = try SPPSolution.solve(Self.unsw(), method: .greedy, blocks: 8)
    #expect(s.bestLevel == 15 && s.partition.blockCount == 8)
    #expect(agrees(s.objective, 0.93316))
    #expect(throws: UsageError.self) { try SPPSolution.solve(Self.unsw(), method: .greedy, blocks: 24) }
    #expect(throws: UsageError.self) { try SPPSolution.solve(Self.unsw(), method: .greedy, blocks: 0) }
  }

  @Test func positionalF1EqualsByNameOnPaperEraFiles() throws {
    // The paper-era W rows are alphabetical, so the reference's S1 positional use of F is harmless here.
    let ton = try Self.ton(alignment: .referencePositional)
    #expect(ton.f1Percent == (try Self.ton()).f1Percent)
    let unsw = try SPPProblem.load(
      weightsPath: ReferenceFiles.unswWeights, scoresPath: ReferenceFiles.unswScores,
      options: SPPLoadOptions(
        classes: 24, features: 15, unwanted: ReferenceFiles.unswUnwanted, alignment: .referencePositional))
    #expect(unsw.f1Percent == (try Self.unsw()).f1Percent)
  }

  @Test func referenceCSVFormat() throws {
    let s = try SPPSolution.solve(Self.ton(), method: .greedy)
    let lines = s.referenceCSV().split(separator: "\n")
    #expect(lines[0] == "Cluster,Class List,Feature List")
    #expect(
      lines[1]
        == "0,\"['ddos', 'ransomware', 'xss']\",\"['Max Packet Length', 'Min Packet Length', 'Packet Length Total', 'dstport', 'ip.len']\""
    )
    #expect(lines[3] == "2,['normal'],\"['dstport', 'ip.len', 'ip.ttl']\"")
  }
}
