import DUNESupport
import Foundation
import Testing

@testable import Traffic

@Suite struct UseCaseTests {
  @Test func builtinsAreValidAndRoundTrip() throws {
    for name in UseCase.builtinNames {
      let u = try #require(UseCase.builtin(name))
      try u.validate()
      let back = try JSONDecoder().decode(UseCase.self, from: Data(u.jsonText().utf8))
      #expect(back == u)
      #expect(u.spp.nClasses == u.classes.count)
    }
  }

  /// The JSON files in `usecases/` are the built-ins' exact definitions.
  @Test func usecaseFilesMatchBuiltins() throws {
    for name in UseCase.builtinNames {
      let path = repoRoot + "/usecases/\(name).json"
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(
        text == UseCase.builtin(name)!.jsonText(), "regenerate with: dune data use-case \(name) > usecases/\(name).json"
      )
      #expect(try UseCase.resolve(path) == UseCase.builtin(name)!)
    }
  }

  @Test func iotSentinelMatchesItsReadme() {
    let u = UseCase.iotSentinel
    #expect(u.classes.count == 25)
    #expect(u.merges.count == 6)
    #expect(Set(u.merges.values) == ["EdimaxCam", "EdnetCam", "WeMoInsightSwitch", "WeMoSwitch"])
    #expect(u.unwantedClasses == ["SmarterCoffee", "iKettle2"])
    #expect(u.split == .indexModulo(modulus: 4, testRemainders: [3], perFolder: true))
    #expect(u.classes == u.classes.sorted(by: CaptureFiles.byteOrder))
  }

  @Test func unknownUseCaseListsKnownOnes() {
    do {
      _ = try UseCase.resolve("no-such-case")
      Issue.record("expected an error")
    } catch let e as UsageError {
      for n in UseCase.builtinNames { #expect(e.message.contains(n)) }
    } catch { Issue.record("wrong error \(error)") }
  }

  @Test func badJSONFilesAreLocated() throws {
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    writeText("{\"name\": \"x\"}", dir + "/missing.json")
    do {
      _ = try UseCase.resolve(dir + "/missing.json")
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.file.hasSuffix("missing.json"))
      #expect(e.message.contains("classes"))
    }
    var u = UseCase.iotSentinel
    u.featureSets.cluster = "fast"
    writeText(u.jsonText(), dir + "/badset.json")
    do {
      _ = try UseCase.resolve(dir + "/badset.json")
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.message.contains("fast"))
    }
    u = UseCase.iotSentinel
    u.split = .labelFiles
    #expect(throws: UsageError.self) { try u.validate() }
    writeText("{ not json", dir + "/syntax.json")
    #expect(throws: LocatedError.self) { try UseCase.resolve(dir + "/syntax.json") }
  }

  /// A minimal JSON file: omitted optional fields take their defaults.
  @Test func minimalJSONUsesDefaults() throws {
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    writeText(
      """
      {"name": "mine", "classes": ["a", "b"], "featureSets": {"unconstrained": "all", "cluster": "easy"},
       "labelling": {"scheme": "directory"}, "split": {"rule": "fileNames", "test": ["*-test.pcap"]},
       "spp": {"nClasses": 2, "nFeatures": 15}}
      """, dir + "/mine.json")
    let u = try UseCase.resolve(dir + "/mine.json")
    #expect(u.capturesFolder == "captures")
    #expect(u.inferencePoints == [2, 3, 4])
    #expect(u.merges.isEmpty && u.unwantedClasses.isEmpty)
    #expect(u.labelling == .directory(deviceMACFile: nil))
  }
}
