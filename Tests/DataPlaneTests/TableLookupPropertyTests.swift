import DUNETestSupport
import DataPlane
import Forest
import Testing

/// Table lookup = direct traversal per tree and = hard vote with the same tie rule (§10.1, §10.2).
@Suite struct TableLookupPropertyTests {
  static let mixedFeatures = [
    "ip.len", "ip.ttl", "tcp.flags.syn", "tcp.hdr_len", "SYN Flag Count", "Max Packet Length", "Flow IAT Max",
    "Packet Length Total",
  ]

  /// Runs `inputs` random inputs through `forests` random forests and checks per-tree leaves and votes.
  func check(seed: UInt64, trees: Int, classes: Int, maxDepth: Int, tieRule: VoteTieRule, forests: Int, inputs: Int)
    throws
  {
    var gen = try RandomForestGenerator(seed: seed, features: Self.mixedFeatures, classCount: classes)
    for _ in 0..<forests {
      let model = gen.forest(trees: trees, maxDepth: maxDepth)
      let compiled = try TableCompiler.compile(model, options: CompileOptions(tieRule: tieRule))
      var ev = TableLookupEvaluator(compiled)
      var mismatches = 0
      for _ in 0..<inputs {
        let x = gen.input(for: model)
        let keys = ev.encode { x[$0] }
        let trace = ev.trace(keys: keys)
        for (t, tree) in model.trees.enumerated() where trace.leaves[t] != tree.leaf({ x[$0] }) { mismatches += 1 }
        let expected = model.hardVoteLocal({ x[$0] }, tieRule: tieRule, localOther: compiled.classMap.localOther)
        if trace.local != expected { mismatches += 1 }
      }
      #expect(mismatches == 0, "forest of \(trees) trees, tie rule \(tieRule)")
    }
  }

  @Test(arguments: VoteTieRule.allCases)
  func threeTreesAgreeWithHardVote(rule: VoteTieRule) throws {
    try check(seed: 11, trees: 3, classes: 4, maxDepth: 6, tieRule: rule, forests: 10, inputs: 250)
  }

  @Test func singleDeepTreeAgrees() throws {
    // Deep trees give codewords wider than 64 bits (multi-word ternary matching).
    try check(seed: 12, trees: 1, classes: 3, maxDepth: 9, tieRule: .other, forests: 6, inputs: 250)
  }

  @Test(arguments: [2, 4, 5])
  func otherTreeCountsAgree(trees: Int) throws {
    for rule in VoteTieRule.allCases {
      try check(seed: 13 + UInt64(trees), trees: trees, classes: 3, maxDepth: 5, tieRule: rule, forests: 4, inputs: 200)
    }
  }

  @Test func exhaustiveNarrowKeys() throws {
    // Full domain of a 1-, 4- and 8-bit key (plus the flow-level "unavailable" encoding).
    var gen = try RandomForestGenerator(
      seed: 21, features: ["tcp.flags.syn", "tcp.hdr_len", "ip.ttl", "FIN Flag Count"], classCount: 3)
    for _ in 0..<2 {
      let model = gen.forest(trees: 3, maxDepth: 6)
      let compiled = try TableCompiler.compile(model)
      var ev = TableLookupEvaluator(compiled)
      var mismatches = 0
      for a in 0...1 {
        for b in 0...15 {
          for c in stride(from: 0, through: 255, by: 5) {
            for d in [-1, 0, 1, 2, 7, 254] {
              let x = [Double(a), Double(b), Double(c), Double(d)]
              let keys = ev.encode { x[$0] }
              let trace = ev.trace(keys: keys)
              for (t, tree) in model.trees.enumerated() where trace.leaves[t] != tree.leaf({ x[$0] }) {
                mismatches += 1
              }
            }
          }
        }
      }
      #expect(mismatches == 0)
    }
  }

  @Test func structuralInvariants() throws {
    var gen = try RandomForestGenerator(seed: 31, features: Self.mixedFeatures, classCount: 4)
    for _ in 0..<10 {
      let model = gen.forest(trees: 3, maxDepth: 7)
      let c = try TableCompiler.compile(model)
      for table in c.featureTables {
        // Ranges partition [0, MAX_f].
        #expect(table.rows.first?.low == 0)
        #expect(table.rows.last?.high == c.features[table.featureIndex].maxValue)
        for (a, b) in zip(table.rows, table.rows.dropFirst()) { #expect(b.low == a.high + 1) }
        for row in table.rows { #expect(row.low <= row.high) }
        // Thermometer: per in-domain split the bit is monotone 0…0 1…1 over the rows.
        for (j, slice) in table.slices.enumerated() {
          for (i, s) in slice.splits.enumerated() {
            let bits = table.rows.map { $0.codes[j][slice.width - 1 - i] }
            switch s.placement {
            case .constantLeft: #expect(bits.allSatisfy { !$0 })
            case .constantRight: #expect(bits.allSatisfy { $0 })
            case .inDomain:
              #expect(bits.first == false && bits.last == true)
              #expect(bits == bits.sorted { !$0 && $1 })
            }
          }
        }
        #expect(
          table.rows.count == Set(table.slices.flatMap { $0.splits.filter { $0.placement == .inDomain }.map(\.k) })
            .count + 1)
      }
      for (t, ct) in c.codeTables.enumerated() {
        #expect(ct.entries.count == model.trees[t].leafCount)
        #expect(ct.codewordWidth == model.trees[t].leafCount - 1)
        #expect(ct.layout.reduce(0) { $0 + $1.width } == ct.codewordWidth)
        for e in ct.entries {
          for i in 0..<ct.codewordWidth where !e.mask[i] { #expect(!e.value[i]) }
          #expect(e.localClass >= 1 && e.localClass <= model.classes.count)
        }
      }
    }
  }

  @Test func singleLeafTreeVotesItsClass() throws {
    let stump = makeTree(leaf(1, of: 3), classCount: 3)
    let split = makeTree(
      .split(feature: 0, threshold: 64.5, left: leaf(0, of: 3), right: leaf(2, of: 3)), classCount: 3)
    let model = ForestModel(classes: ["a", "b", "Other"], features: ["ip.ttl"], trees: [stump, split, split])
    let c = try TableCompiler.compile(model)
    #expect(c.codeTables[0].codewordWidth == 0 && c.codeTables[0].entries.count == 1)
    var ev = TableLookupEvaluator(c)
    for ttl in [0.0, 64, 65, 255] {
      let x = [ttl]
      #expect(
        ev.localClass(keys: ev.encode { x[$0] }) == model.hardVoteLocal({ x[$0] }, tieRule: .other, localOther: 3))
    }
  }

  @Test func unreachableLeafIsReported() throws {
    // ttl ≤ 10.5 then ttl > 10.2 (k = 10 both): the right-right region is empty after flooring.
    let tree = makeTree(
      .split(
        feature: 0, threshold: 10.5,
        left: .split(feature: 0, threshold: 10.2, left: leaf(0, of: 2), right: leaf(1, of: 2)),
        right: leaf(0, of: 2)), classCount: 2)
    let model = ForestModel(classes: ["a", "Other"], features: ["ip.ttl"], trees: [tree])
    let c = try TableCompiler.compile(model)
    #expect(c.codeTables[0].unreachableLeaves == [3])
    #expect(c.unreachableLeafCount == 1)
  }
}
