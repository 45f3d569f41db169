import DUNETestSupport
import DataPlane
import Foundation
import Testing
import Traffic

@testable import P4

/// Programs over every switch-computable feature pass the structural checks of both targets,
/// including the P4_16 typing rules (`P4Check+Types`), with and without time quantisation.
@Suite struct CompileReadinessTests {
  static let features = FeatureCatalog.sets["easy"]!

  static func build(seed: UInt64, quantise: Bool, trees: Int) throws -> DuneProgramBuilder.Output {
    var gen = RandomForests(seed: seed)
    let forest = gen.forest(features: features, classes: 4, trees: trees, maxDepth: 7, withOther: true)
    let shifts = quantise ? ["Flow IAT Min": 16, "Flow IAT Max": 12, "Flow Duration": 20] : [:]
    let compiled = try TableCompiler.compile(
      forest,
      options: CompileOptions(
        name: "all", modelID: 2, inferencePoint: 3, classOffset: 1,
        scheme: EncodingScheme(timeQuantisation: TimeQuantisation(shifts: shifts))))
    return try DuneProgramBuilder.build(compiled, name: "all")
  }

  @Test(arguments: [(1, false, 1), (2, true, 3), (3, true, 5)])
  func everyFeaturePassesTheChecks(seed: Int, quantise: Bool, trees: Int) throws {
    let out = try Self.build(seed: UInt64(seed), quantise: quantise, trees: trees)
    // The forest uses most of the feature set (packet- and flow-level, TCP and UDP sources).
    #expect(out.program.tables.filter { $0.name.hasPrefix("feature_") }.count >= 12)
    #expect(P4Check.check(out.program, entries: out.entries, target: .bmv2) == [])
    // Unquantised IAT and duration keys are 32 bits: the one thing the Tofino check must refuse.
    #expect(P4Check.check(out.program, entries: out.entries, target: .tofino) == wideRangeKeyIssues(out.program))
    #expect(wideRangeKeyIssues(out.program).isEmpty == quantise)
    let v1 = V1ModelEmitter().emit(out.program)
    let tna = TofinoEmitter().emit(out.program)
    #expect(P4Check.balanced(v1) == [] && P4Check.balanced(tna) == [])
    #expect(P4Check.asciiOnly(v1) == [] && P4Check.asciiOnly(tna) == [])
    // Quantised time features are read as slices, never shifted then cast.
    #expect(!tna.contains(">> 8w"))
    if quantise { #expect(tna.contains("[31:")) }
  }
}

/// What `P4Check` says for `.tofino` about each range key wider than the 20 bits p4c-barefoot
/// places, in table order: a model built without time quantisation has such keys.
func wideRangeKeyIssues(_ p: P4Program) -> [String] {
  p.tables.flatMap { t in
    t.keys.filter { $0.match == .range && $0.width > 20 }.map {
      "table \(t.name): range key \($0.name) is \($0.width) bits (Tofino: ≤ 20; quantise time features)"
    }
  }
}
