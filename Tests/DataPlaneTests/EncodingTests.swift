import DUNETestSupport
import DataPlane
import Forest
import Testing
import Traffic

@Suite struct EncodingTests {
  @Test func canonicalFlowAndPacketEncoding() throws {
    let flow = try EncodingScheme.canonical.encoding(for: "SYN Flag Count")
    #expect(flow.kind == .flowLevel && flow.width == 8 && flow.delta == 1)
    #expect(flow.encode(-1) == 0)
    #expect(flow.encode(0) == 1)
    #expect(flow.encode(254) == 255)
    #expect(flow.encode(300) == 255)  // saturates at MAX_f
    #expect(flow.compiledThreshold(-0.5) == 0)  // −1 vs 0: floor(−0.5) + 1 = 0
    #expect(flow.compiledThreshold(-1.5) == -1)  // constant right
    let pkt = try EncodingScheme.canonical.encoding(for: "ip.ttl")
    #expect(pkt.delta == 0 && pkt.maxValue == 255)
    #expect(pkt.encode(64) == 64 && pkt.encode(999) == 255)
    #expect(pkt.compiledThreshold(96.5) == 96)
    #expect(pkt.compiledThreshold(-0.5) == -1)
  }

  @Test func referenceSentinelTruncatesAndMisroutesZero() throws {
    let scheme = EncodingScheme(mode: .referenceSentinel)
    let flow = try scheme.encoding(for: "SYN Flag Count")
    #expect(flow.encode(-1) == 0 && flow.encode(0) == 0 && flow.encode(3) == 3)
    #expect(flow.compiledThreshold(-0.5) == 0)  // trunc toward zero
    // A split at −0.5 (unavailable vs 0): the genuine 0 goes left on the switch, right in training (D5).
    let tree = makeTree(.split(feature: 0, threshold: -0.5, left: leaf(0, of: 2), right: leaf(1, of: 2)), classCount: 2)
    let model = ForestModel(classes: ["a", "Other"], features: ["SYN Flag Count"], trees: [tree])
    var ref = TableLookupEvaluator(try TableCompiler.compile(model, options: CompileOptions(scheme: scheme)))
    var canon = TableLookupEvaluator(try TableCompiler.compile(model))
    #expect(ref.localClass(keys: ref.encode { _ in 0 }) == 1)  // wrong: training says class 2
    #expect(canon.localClass(keys: canon.encode { _ in 0 }) == 2)
    #expect(canon.localClass(keys: canon.encode { _ in -1 }) == 1)
  }

  @Test func referenceSentinelMismatchesQuantifyD5() throws {
    // Random forests with flag-count splits at −0.5: canonical tables agree on every row, the
    // reference convention misroutes some genuine zeros.
    var gen = try RandomForestGenerator(
      seed: 41, features: ["SYN Flag Count", "ACK Flag Count", "ip.ttl"], classCount: 3)
    var canonicalMisses = 0
    var referenceMisses = 0
    for _ in 0..<6 {
      let model = gen.forest(trees: 3, maxDepth: 5)
      var rows: [[Double]] = []
      for a in [-1.0, 0, 1, 2] { for b in [-1.0, 0, 1, 3] { for t in [0.0, 64, 200] { rows.append([a, b, t]) } } }
      let canon = TableVerification.run(model: model, compiled: try TableCompiler.compile(model), rows: rows)
      let ref = TableVerification.run(
        model: model,
        compiled: try TableCompiler.compile(
          model, options: CompileOptions(scheme: EncodingScheme(mode: .referenceSentinel))),
        rows: rows)
      canonicalMisses += canon.rows - canon.hardVoteAgreements + canon.treeLeafComparisons - canon.treeLeafAgreements
      referenceMisses += ref.treeLeafComparisons - ref.treeLeafAgreements
    }
    #expect(canonicalMisses == 0)
    #expect(referenceMisses > 0)
  }

  @Test func timeQuantisationIsAppliedBeforeTraining() throws {
    let q = TimeQuantisation.default16
    let enc = try EncodingScheme(timeQuantisation: q).encoding(for: "Flow IAT Max")
    #expect(enc.width == 16 && enc.sourceWidth == 32 && enc.quantisationShift == 16)
    #expect(TimeQuantisation.quantise(-1, shift: 16) == -1)
    #expect(TimeQuantisation.quantise(65_535, shift: 16) == 0)
    #expect(TimeQuantisation.quantise(65_536 * 3 + 7, shift: 16) == 3)
    #expect(TimeQuantisation.quantise(1e12, shift: 16) == 65_535)  // saturates at 2^32 − 1 first
    #expect(enc.quantise(65_536 * 3 + 7) == 3)
    var table = SampleTable()
    let c = table.columnIndex("Flow IAT Max")!
    for i in table.values.indices { table.values[i] = [0, 0] }
    table.values[c] = [-1, 200_000]
    table.flowIDs = ["a", "b"]
    table.labels = ["x", "y"]
    table.files = ["f", "f"]
    let out = q.quantise(table: table)
    #expect(out.values[c] == [-1, 3])
    #expect(out.values[table.columnIndex("ip.len")!] == [0, 0])
  }

  @Test func ihlThresholdConversion() {
    // 4·IHL ≤ k ⟺ IHL ≤ ⌊k/4⌋ for every IHL and k.
    for k in Int64(-9)...Int64(70) {
      for ihl in Int64(0)...15 { #expect((4 * ihl <= k) == (ihl <= ihlThreshold(fromByteThreshold: k))) }
    }
  }
}
