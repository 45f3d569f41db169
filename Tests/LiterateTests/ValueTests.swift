import DUNESupport
import Foundation
import Testing

@testable import Literate

@Suite struct ValueTests {
  @Test func canonicalJSONSortsKeysAndMarksDoubles() {
    let v: Value = ["b": [1, 2.5, "x\n\"q\""], "a": ["z": nil, "y": true], "c": 26.0]
    #expect(v.canonicalJSON == #"{"a":{"y":true,"z":null},"b":[1,2.5,"x\n\"q\""],"c":26.0}"#)
  }

  @Test func jsonRoundTripIsStableAfterOneNormalisation() throws {
    let v: Value = [
      "t": true, "f": false, "one": 1, "zero": 0, "half": 1.5, "whole": 26.0, "big": 1e300, "s": "x",
      "l": [1, "a", nil], "o": ["k": -3],
    ]
    let once = try Value.parseJSON(try JSONEncoder().encode(v))
    let twice = try Value.parseJSON(try JSONEncoder().encode(once))
    #expect(once == twice)
    #expect(once.value(at: ["t"]) == .bool(true))
    #expect(once.value(at: ["one"]) == .int(1))
    #expect(once.value(at: ["zero"]) == .int(0))
    #expect(once.value(at: ["half"]) == .double(1.5))
    #expect(once.value(at: ["l"]) == [1, "a", nil])
  }

  @Test func decoderAcceptsIntegersForDoublesButNotStrings() throws {
    struct A: Decodable {
      var x: Double
      var n: Int
      var tags: [String]?
      var raw: Value
    }
    let a = try ValueDecoder().decode(A.self, from: ["x": 3, "n": 4.0, "raw": ["k": 1]])
    #expect(a.x == 3 && a.n == 4 && a.tags == nil && a.raw == ["k": 1])
    #expect(throws: ArgumentError(path: ["n"], "argument 'n': expected an integer, found a number 4.5")) {
      try ValueDecoder().decode(A.self, from: ["x": 3, "n": 4.5, "raw": 1])
    }
    #expect(throws: ArgumentError(path: ["x"], "argument 'x': expected a number, found a string \"3\"")) {
      try ValueDecoder().decode(A.self, from: ["x": "3", "n": 4, "raw": 1])
    }
    #expect(throws: ArgumentError(path: ["tags", "1"], "argument 'tags.1': expected a string, found an integer 2")) {
      try ValueDecoder().decode(A.self, from: ["x": 3, "n": 4, "tags": ["a", 2], "raw": 1])
    }
  }

  @Test func yamlScalarsResolveLikeTheCoreSchema() {
    #expect(Value.parsingCommandLine("3") == .int(3))
    #expect(Value.parsingCommandLine("2.5") == .double(2.5))
    #expect(Value.parsingCommandLine("true") == .bool(true))
    #expect(Value.parsingCommandLine("ton") == .string("ton"))
    #expect(Value.parsingCommandLine("'3'") == .string("3"))
    #expect(Value.parsingCommandLine("[1, 2]") == [1, 2])
  }

  @Test func referencesParseAndSubstitute() throws {
    #expect(
      try References.pieces("a ${step.x.y.0} b") == [
        .text("a "), .reference(.step(id: "x", output: "y", path: ["0"])), .text(" b"),
      ])
    #expect(try References.pieces("${file.csv.table.csv}") == [.reference(.file(id: "csv", name: "table.csv"))])
    #expect(throws: MalformedReference.self) { try References.pieces("${oops") }
    let out = try References.substitute(["a": "${params.n}", "b": "n=${params.n}", "c": ["${params.n}"]]) { _, _ in
      .int(7)
    }
    #expect(out == ["a": 7, "b": "n=7", "c": [7]])
  }
}
