import DUNETestSupport
import DataPlane
import Forest
import Testing
import Traffic

@Suite struct ChainEmulatorTests {
  static let features = [
    "ip.len", "ip.ttl", "dstport", "tcp.flags.syn", "Max Packet Length", "Min Packet Length", "Packet Length Total",
    "ACK Flag Count", "PSH Flag Count", "Flow IAT Max", "Flow IAT Min", "Flow Duration", "UDP Len Max",
    "Packet Count",
  ]
  static let quantisation = TimeQuantisation.uniform(shift: 8)
  static let classes = ["a", "b", "c", "d"]

  /// A random sub-model with thresholds next to values seen in the offline rows.
  func model(seed: UInt64, trees: Int, offline: OfflineSamples) throws -> ForestModel {
    var gen = try RandomForestGenerator(
      seed: seed, features: Self.features, classCount: Self.classes.count,
      scheme: EncodingScheme(timeQuantisation: Self.quantisation))
    gen.pools = Self.features.indices.map { f in
      Array(Set(offline.rowOfPacket.map { $0[f] }.filter { $0 >= 0 })).sorted()
    }
    var m = gen.forest(trees: trees, maxDepth: 7)
    m.classes = ["a", "b", "c", "Other"]
    return m
  }

  func replay(seed: UInt64, flows: Int, captures: Int = 1) -> Replay {
    Replay(
      captures: SyntheticTraffic(
        classes: Self.classes, flowsPerCapture: flows, captures: captures, maxFlowLength: 12, seed: seed
      ).generate())
  }

  @Test func featuresAtNMatchTheSampleDefinition() throws {
    let r = replay(seed: 5, flows: 120, captures: 2)
    let n = 4
    let offline = OfflineSamples(replay: r, features: Self.features, n: n, quantisation: Self.quantisation)
    let m = try model(seed: 1, trees: 3, offline: offline)
    let c = try TableCompiler.compile(
      m, options: CompileOptions(inferencePoint: n, scheme: EncodingScheme(timeQuantisation: Self.quantisation)))
    let used = Set(c.featureTables.map(\.featureIndex))
    let run = try ChainEmulator(stages: [ChainStage(c)], config: ChainEmulatorConfig(recordFeaturesAtN: true)).run(r)
    try #require(run.report.collisionFlows == 0)
    var compared = 0
    for f in 0..<r.flowCount {
      #expect((run.featuresAtN[0][f] == nil) == (offline.flowRow[f] == nil))
      guard let sw = run.featuresAtN[0][f], let off = offline.flowRow[f] else { continue }
      for i in used { #expect(sw[i] == off[i], "flow \(f) feature \(Self.features[i])") }
      compared += 1
    }
    #expect(compared > 30)
  }

  @Test(arguments: [(UInt64(7), 1, 2), (8, 3, 3), (9, 3, 1), (10, 5, 4)])
  func singleSubModelReproducesOfflineEvaluation(seed: UInt64, trees: Int, n: Int) throws {
    let r = replay(seed: seed, flows: 150)
    let offline = OfflineSamples(replay: r, features: Self.features, n: n, quantisation: Self.quantisation)
    let m = try model(seed: seed, trees: trees, offline: offline)
    let c = try TableCompiler.compile(
      m, options: CompileOptions(inferencePoint: n, scheme: EncodingScheme(timeQuantisation: Self.quantisation)))
    for delay in [1, 5, 1000] {
      let run = try ChainEmulator(stages: [ChainStage(c)], config: ChainEmulatorConfig(controllerPeriodPackets: delay))
        .run(r)
      try #require(run.report.collisionFlows == 0)
      let expected = offline.rowOfPacket.map { row in
        c.classMap.global(m.hardVoteLocal({ row[$0] }, tieRule: .other, localOther: c.classMap.localOther))
      }
      #expect(run.packetClass.map(Int.init) == expected, "delay \(delay)")
      #expect(Set(expected).count >= 2, "the model must not be constant on this traffic")
      // The same predictions scored offline give the same FL/PL F1.
      var idOf = ["a": 1, "b": 2, "c": 3, "d": 4]
      idOf["d"] = 4
      let truth = r.flowOfPacket.map { idOf[r.flowLabel[Int($0)]!]! }
      let w = r.flowOfPacket.map { 1 / Double(r.flowLength[Int($0)]) }
      let labels = Set(truth).sorted()
      let names = [1: "a", 2: "b", 3: "c", 4: "d"]
      let fl = ScoreSummary.score(truth: truth, predicted: expected, weights: w, labels: labels, names: names)
      let pl = ScoreSummary.score(
        truth: truth, predicted: expected, weights: w.map { _ in 1 }, labels: labels, names: names)
      #expect(abs(run.report.strict.flowLevel.macroF1 - fl.macroF1) < 1e-12)
      #expect(abs(run.report.strict.packetLevel.macroF1 - pl.macroF1) < 1e-12)
      #expect(run.report.scoredFlows == r.flowCount)
    }
  }

  @Test func smallRegisterArraysCauseCollisions() throws {
    let r = replay(seed: 11, flows: 80)
    let offline = OfflineSamples(replay: r, features: Self.features, n: 3, quantisation: Self.quantisation)
    let m = try model(seed: 2, trees: 1, offline: offline)
    let c = try TableCompiler.compile(
      m, options: CompileOptions(inferencePoint: 3, scheme: EncodingScheme(timeQuantisation: Self.quantisation)))
    let run = try ChainEmulator(
      stages: [ChainStage(c)], config: ChainEmulatorConfig(slots: 4, controllerPeriodPackets: 2)
    )
    .run(r)
    #expect(run.report.collisionFlows > 0)
    #expect(run.report.collisionPackets > 0)
    #expect(run.report.switches[0].collisionPackets == run.report.collisionPackets)
    // A colliding packet is always classified at packet level.
    for i in run.packetFlags.indices where run.packetFlags[i] & DuneHeader.collision != 0 {
      #expect(run.packetFlags[i] & DuneHeader.flowLevel == 0)
    }
    let roomy = try ChainEmulator(stages: [ChainStage(c)]).run(r)
    #expect(roomy.report.collisionFlows == 0)
    // Age-based eviction (optional) takes idle slots over: fewer collisions, evictions counted.
    let evicting = try ChainEmulator(
      stages: [ChainStage(c)],
      config: ChainEmulatorConfig(slots: 4, controllerPeriodPackets: 2, evictionTimeoutNs: 1_000_000)
    ).run(r)
    #expect(evicting.report.switches[0].evictions > 0)
    #expect(evicting.report.collisionPackets < run.report.collisionPackets)
  }

  /// Two hand-built sub-models: 1 = {a} (dstport 1000), 2 = {b} (dstport 1007); c and d pass as unknown.
  @Test func twoSwitchChainFirstDecisionWinsAndOtherPassesOn() throws {
    let r = replay(seed: 21, flows: 100)
    func portModel(_ cls: String, low: Double, high: Double) -> ForestModel {
      let tree = makeTree(
        .split(
          feature: 0, threshold: low, left: leaf(1, of: 2),
          right: .split(feature: 0, threshold: high, left: leaf(0, of: 2), right: leaf(1, of: 2))), classCount: 2)
      return ForestModel(classes: [cls, "Other"], features: ["dstport", "Max Packet Length"], trees: [tree])
    }
    let m1 = try TableCompiler.compile(
      portModel("a", low: 999.5, high: 1003.5), options: CompileOptions(name: "m1", modelID: 1, inferencePoint: 2))
    let m2 = try TableCompiler.compile(
      portModel("b", low: 1003.5, high: 1010.5),
      options: CompileOptions(name: "m2", modelID: 2, inferencePoint: 3, classOffset: 1))
    let emu = try ChainEmulator(
      stages: [ChainStage(m1), ChainStage(m2)], config: ChainEmulatorConfig(controllerPeriodPackets: 3))
    #expect(emu.classNames == ["a", "b"])
    let run = emu.run(r)
    var index = [Int](repeating: 0, count: r.flowCount)
    for i in r.packets.indices {
      let f = Int(r.flowOfPacket[i])
      index[f] += 1
      let expected: UInt8 = ["a": 1, "b": 2][r.flowLabel[f]!] ?? 0
      #expect(run.packetClass[i] == expected)
      if r.flowLabel[f] == "a" && index[f] == 1 { #expect(run.packetFlags[i] & DuneHeader.flowLevel == 0) }
      if r.flowLabel[f] == "a" && index[f] >= 2 { #expect(run.packetFlags[i] & DuneHeader.flowLevel != 0) }
      if r.flowLabel[f] == "b" && index[f] == 2 { #expect(run.packetFlags[i] & DuneHeader.flowLevel == 0) }
    }
    let rep = run.report
    #expect(rep.unknownPackets == r.flowOfPacket.filter { ["c", "d"].contains(r.flowLabel[Int($0)]!) }.count)
    #expect(rep.strict.packetLevel.macroF1 < 0.6)  // c, d always unknown: F1 0 of 4 labels
    #expect(abs(rep.excludingUnknown.packetLevel.macroF1 - 1) < 1e-12)  // B4: unknown dropped
    #expect(rep.switches[0].digests > 0 && rep.switches[1].digests > 0)
    #expect(rep.controllerActions == rep.switches[0].digests + rep.switches[1].digests)
    #expect(rep.switches[1].flowEntryHits > 0)
  }

  @Test func monolithicBaselineFitsOrIsReported() throws {
    let r = replay(seed: 31, flows: 60)
    let offline = OfflineSamples(replay: r, features: Self.features, n: 3, quantisation: Self.quantisation)
    let m = try model(seed: 4, trees: 3, offline: offline)
    let opts = CompileOptions(inferencePoint: 3, scheme: EncodingScheme(timeQuantisation: Self.quantisation))
    guard case .ran(let run, let est) = try MonolithicBaseline.run(model: m, options: opts, replay: r) else {
      Issue.record("expected the model to fit a Tofino-1")
      return
    }
    #expect(est.fit.fits && run.report.packets == r.packets.count)
    var tiny = SwitchBudget.tofino1
    tiny.tcamBlocks = 1
    guard case .doesNotFit(let e) = try MonolithicBaseline.run(model: m, options: opts, budget: tiny, replay: r) else {
      Issue.record("expected a misfit")
      return
    }
    #expect(!e.fit.fits)
  }
}
