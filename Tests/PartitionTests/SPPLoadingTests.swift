import DUNESupport
import Foundation
import Testing

@testable import Partition

/// Canonical loading rules (reference/README §6), the S1 positional mode, and located errors.
@Suite struct SPPLoadingTests {
  static func table(_ text: String, _ path: String) throws -> CSVTable {
    try CSVTable.parse(CSVReader(bytes: Array(text.utf8), path: path))
  }

  // W rows deliberately not in name order, so by-name and positional F1 differ.
  static let weights = """
    classes,fa,fb,fc
    zeta,0.5,0.3,0.2
    Alpha,0.1,0.6,0.3
    beta,0.2,0.2,0.6
    junk,0.3,0.3,0.4

    """
  static let scores = """
    ,class,f1_score,support
    0,beta,90.0,10.0
    1,zeta,70.0,5.0
    2,junk,1.0,0.0
    3,Alpha,50.0,7.0

    """

  func load(_ options: SPPLoadOptions, weights: String = weights, scores: String = scores) throws -> SPPProblem {
    try SPPProblem.parse(weights: Self.table(weights, "w.csv"), scores: Self.table(scores, "s.csv"), options: options)
  }

  @Test func byNameJoin() throws {
    let p = try load(SPPLoadOptions(classes: 3, features: 2, unwanted: ["junk"]))
    #expect(p.classNames == ["zeta", "Alpha", "beta"])
    #expect(p.featureNames == ["fa", "fb"])
    #expect(p.weights == [[0.5, 0.3], [0.1, 0.6], [0.2, 0.2]])
    #expect(p.f1Percent == [70, 50, 90])
  }

  @Test func referencePositionalSortsByCodePoint() throws {
    // Sorted names (uppercase first): Alpha 50, beta 90, zeta 70 — used positionally against zeta, Alpha, beta.
    let p = try load(SPPLoadOptions(classes: 3, features: 3, unwanted: ["junk"], alignment: .referencePositional))
    #expect(p.f1Percent == [50, 90, 70])
    let two = try load(SPPLoadOptions(classes: 2, features: 3, unwanted: ["junk"], alignment: .referencePositional))
    #expect(two.f1Percent == [50, 90])
  }

  @Test func firstColumnIsTheClassWhateverItsHeader() throws {
    let w = Self.weights.replacingOccurrences(of: "classes,", with: "c_name,")
    #expect(try load(SPPLoadOptions(classes: 2, features: 1), weights: w).classNames == ["zeta", "Alpha"])
  }

  @Test func locatedErrors() throws {
    #expect(throws: LocatedError(file: "w.csv", "unwanted class 'gamma' is not a row of the weights file")) {
      try load(SPPLoadOptions(classes: 3, features: 2, unwanted: ["gamma"]))
    }
    #expect(
      throws: LocatedError(
        file: "w.csv", "number of classes m = 4 out of range 2…3 (3 rows after removing unwanted classes)")
    ) {
      try load(SPPLoadOptions(classes: 4, features: 2, unwanted: ["junk"]))
    }
    #expect(throws: LocatedError(file: "w.csv", line: 1, "number of features r = 4 out of range 1…3")) {
      try load(SPPLoadOptions(classes: 3, features: 4))
    }
    let badW = Self.weights.replacingOccurrences(of: "beta,0.2,0.2", with: "beta,0.2,x")
    #expect(throws: LocatedError(file: "w.csv", line: 4, column: 3, "column 'fb': 'x' is not a finite number")) {
      try load(SPPLoadOptions(classes: 3, features: 3), weights: badW)
    }
    let badS = Self.scores.replacingOccurrences(of: "zeta,70.0", with: "zeta,seventy")
    #expect(
      throws: LocatedError(file: "s.csv", line: 3, column: 3, "column 'f1_score': 'seventy' is not a finite number")
    ) {
      try load(SPPLoadOptions(classes: 3, features: 3), scores: badS)
    }
    let noAlpha = Self.scores.replacingOccurrences(of: "3,Alpha,50.0,7.0\n", with: "")
    #expect(throws: LocatedError(file: "s.csv", "class 'Alpha' of the weights file has no F1 row")) {
      try load(SPPLoadOptions(classes: 3, features: 3), scores: noAlpha)
    }
    let noF1 = Self.scores.replacingOccurrences(of: "f1_score", with: "f1")
    #expect(throws: LocatedError.self) { try load(SPPLoadOptions(classes: 3, features: 3), scores: noF1) }
    let dup = Self.weights + "zeta,0.1,0.1,0.8\n"
    #expect(throws: LocatedError(file: "w.csv", line: 6, column: 1, "duplicate class 'zeta'")) {
      try load(SPPLoadOptions(classes: 3, features: 3), weights: dup)
    }
    let short = Self.scores.replacingOccurrences(of: "0,beta,90.0,10.0\n", with: "")
    #expect(throws: LocatedError.self) {
      try load(
        SPPLoadOptions(classes: 3, features: 3, unwanted: ["junk"], alignment: .referencePositional), scores: short)
    }
  }

  @Test func pythonListLiterals() {
    #expect(PythonLiteral.list([]) == "[]")
    #expect(PythonLiteral.list(["a", "b c"]) == "['a', 'b c']")
    #expect(PythonLiteral.string("it's") == "\"it's\"")
    #expect(PythonLiteral.string("a'b\"c") == "'a\\'b\"c'")
    #expect(PythonLiteral.string("back\\slash") == "'back\\\\slash'")
  }

  @Test func jsonRenderingIsSortedAndFixed() {
    let doc: JSONValue = .object([
      "b": .array([.int(1), .int(2)]), "a": .real(1.0 / 3), "c": .string("q\"\n"), "d": .array([.object([:])]),
      "e": .fixed(.nan, decimals: 2),
    ])
    #expect(
      doc.rendered()
        == "{\n  \"a\": 0.333333333,\n  \"b\": [1, 2],\n  \"c\": \"q\\\"\\n\",\n  \"d\": [\n    {}\n  ],\n  \"e\": null\n}\n"
    )
  }
}
