import DUNESupport
import Foundation
import Testing

/// The one JSON model: its three layouts, number kinds and escapes.
@Suite struct JSONValueTests {
  static let doc: JSONValue = [
    "b": [1, 2], "a": .fixed(1.0 / 3, decimals: 3), "c": "q\"\n\u{1}/", "d": [[:], true, nil],
    "e": .fixed(.nan, decimals: 2), "f": .double(2), "g": .double(.infinity), "h": 0.5,
  ]

  @Test func compactIsTheCanonicalForm() {
    #expect(
      Self.doc.canonicalJSON
        == #"{"a":0.333,"b":[1,2],"c":"q\"\n\u0001/","d":[{},true,null],"e":null,"f":2.0,"g":"inf","h":0.5}"#)
  }

  @Test func prettyBreaksEveryArray() {
    #expect(JSONValue.object(["k": [1, [2]]]).prettyJSON == "{\n  \"k\": [\n    1,\n    [\n      2\n    ]\n  ]\n}")
  }

  @Test func documentKeepsScalarArraysOnOneLine() {
    #expect(
      Self.doc.rendered() == """
        {
          "a": 0.333,
          "b": [1, 2],
          "c": "q\\"\\n\\u0001/",
          "d": [
            {},
            true,
            null
          ],
          "e": null,
          "f": 2.0,
          "g": "inf",
          "h": 0.5
        }

        """)
  }

  @Test func codableRoundTripKeepsIntegersAndReadsFixedAsDouble() throws {
    let v: JSONValue = ["i": 3, "d": 2.5, "x": .fixed(1.25, decimals: 1), "s": "t", "n": nil, "l": [true]]
    let back = try JSONValue.parseJSON(try JSONEncoder().encode(v))
    #expect(back == ["i": 3, "d": 2.5, "x": 1.25, "s": "t", "n": nil, "l": [true]])
    #expect(back.value(at: ["l", "0"]) == .bool(true))
    #expect(back.value(at: ["x"])?.number == 1.25)
  }

  @Test func deterministicEncoderSortsKeysAndKeepsSlashes() throws {
    struct S: Encodable {
      var z = 1
      var a = "x/y"
    }
    #expect(try DeterministicJSON.text(S(), pretty: false) == #"{"a":"x/y","z":1}"#)
    #expect(try DeterministicJSON.text(S()) == "{\n  \"a\" : \"x/y\",\n  \"z\" : 1\n}\n")
  }
}
