import DUNESupport
import DUNETestSupport
import DataPlane
import Forest
import Foundation
import Testing
import Traffic

@testable import P4

/// The entry evaluator, run on entries read back from the emitted bmv2 command file, must agree
/// 100 % with the data-plane table-lookup evaluator (`data-plane.md` §10.1).
@Suite struct EvaluatorAgreementTests {
  /// Emits, re-reads and evaluates; returns the number of samples compared.
  static func compare(_ compiled: CompiledSubModel, samples: [[Int64]]) throws -> Int {
    let out = try DuneProgramBuilder.build(compiled, name: "m")
    let text = BMv2Commands.write(out.entries, program: out.program)
    let reread = try BMv2Commands.read(text, program: out.program)
    #expect(reread == out.entries)
    // The Tofino JSON must carry exactly the same entries (wide codewords included).
    #expect(
      try TofinoEntries.read(TofinoEntries.json(out.entries, program: out.program), program: out.program) == out.entries
    )
    let verified = try P4Verification.samples(program: out.program, entries: reread, compiled: compiled, keys: samples)
    #expect(verified.agreements == samples.count && verified.firstMismatch == nil)
    #expect(P4Check.check(out.program, entries: reread, target: .bmv2) == [])
    let p4 = EntryEvaluator(program: out.program, entries: reread)
    // One working machine for all rows classifies each exactly like a fresh one.
    let batch = try p4.classifyAll(samples)
    var reference = TableLookupEvaluator(compiled)
    var agreed = 0
    for keys in samples {
      let expected = reference.localClass(keys: keys)
      var dict: [Int: UInt64] = [:]
      for (i, k) in keys.enumerated() { dict[i] = UInt64(k) }
      let got = try p4.classify(features: dict)
      #expect(batch[agreed] == got)
      // One expectation per mismatch only: the loop runs thousands of times.
      let trees = compiled.votingTable == nil ? [] : reference.trace(keys: keys).treeClasses
      if got.global != compiled.classMap.global(expected) || got.trees != trees {
        Issue.record("keys \(keys): P4 entries give \(got.global) \(got.trees), tables \(expected)")
        return agreed
      }
      agreed += 1
    }
    return agreed
  }

  @Test func toyExhaustiveOnTtlAndBoundaryLengths() throws {
    let compiled = try toyCompiled()
    var samples: [[Int64]] = []
    for len: Int64 in [0, 89, 90, 91, 150, 151, 65535] {
      for ttl: Int64 in 0...255 { samples.append([len, ttl]) }
    }
    #expect(try Self.compare(compiled, samples: samples) == samples.count)
    // The §12.5 check value: len 100, ttl 64 → class 2 in both trees.
    let out = try DuneProgramBuilder.build(compiled, name: "toy")
    let r = try EntryEvaluator(program: out.program, entries: out.entries).classify(features: [0: 100, 1: 64])
    #expect(r.trees == [2, 2] && r.global == 2)
  }

  @Test(arguments: [VoteTieRule.other, .lowestClass, .treeZero])
  func randomForestsAgree(tieRule: VoteTieRule) throws {
    let features = [
      "ip.len", "ip.ttl", "tcp.flags.syn", "dstport", "tcp.hdr_len", "Max Packet Length", "ACK Flag Count",
      "Flow IAT Max",
    ]
    var gen = RandomForests(seed: 0xD0E + UInt64(tieRule.hashValue & 0xFF))
    var compared = 0
    for round in 0..<9 {
      let trees = [1, 3, 5][round % 3]
      let forest = gen.forest(
        features: features, classes: 2 + round % 4, trees: trees, maxDepth: 3 + round % 4, withOther: round % 2 == 0)
      let scheme = EncodingScheme(timeQuantisation: TimeQuantisation(shifts: ["Flow IAT Max": 20]))
      let compiled = try TableCompiler.compile(
        forest,
        options: CompileOptions(
          name: "r\(round)", modelID: 1 + round % 3, inferencePoint: 2 + round % 3, classOffset: round % 5,
          scheme: scheme, tieRule: tieRule))
      var samples: [[Int64]] = []
      for _ in 0..<200 {
        samples.append(compiled.features.map { enc in Int64.random(in: 0...enc.maxValue, using: &gen.rng) })
      }
      // Boundary keys k − 1, k, k + 1 of every compiled threshold, one feature at a time.
      for ft in compiled.featureTables {
        for s in ft.slices.flatMap(\.splits) {
          for k in [s.k - 1, s.k, s.k + 1] where k >= 0 && k <= compiled.features[ft.featureIndex].maxValue {
            var keys = compiled.features.map { enc in Int64.random(in: 0...enc.maxValue, using: &gen.rng) }
            keys[ft.featureIndex] = k
            samples.append(keys)
          }
        }
      }
      compared += try Self.compare(compiled, samples: samples)
    }
    #expect(compared > 1_800)
  }

  /// 200 and 400 leaves → 199- and 399-bit codewords: multi-word ternary keys, hex literals in the
  /// command file, and codewords split into 128-bit fields (bmv2 cannot shift by 256 bits or more)
  /// with code slices that straddle two fields.
  @Test(arguments: [200, 400])
  func wideCodewordsAgree(leaves: Int) throws {
    let features = ["ip.len", "ip.ttl", "dstport", "Packet Length Total", "SYN Flag Count"]
    let pools = features.map { f -> [Double] in (0...(f.contains("Flag") ? 20 : 1500)).map(Double.init) }
    let forest = SyntheticChain.subModel(
      classes: ["a", "b", "c"], features: features, trees: 3, leaves: leaves, pools: pools, seed: 3)
    let compiled = try TableCompiler.compile(forest, options: CompileOptions(name: "wide", inferencePoint: 3))
    #expect(compiled.codeTables.allSatisfy { $0.codewordWidth > 128 })
    let program = try DuneProgramBuilder.build(compiled, name: "wide").program
    #expect(program.metadata.allSatisfy { !$0.name.hasPrefix("codeword") || $0.width <= 128 })
    let straddling = compiled.featureTables.flatMap(\.slices).filter { s in
      s.lsb / 128 != (s.lsb + s.width - 1) / 128
    }
    #expect(!straddling.isEmpty)
    var rng = SplitMix64(seed: 8)
    let samples = (0..<400).map { _ in
      compiled.features.map { Int64.random(in: 0...min($0.maxValue, 1600), using: &rng) }
    }
    #expect(try Self.compare(compiled, samples: samples) == samples.count)
  }
}
