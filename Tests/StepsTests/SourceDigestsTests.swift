import DUNESupport
import Foundation
import Literate
import SourceDigests
import Testing

@testable import Steps

@Suite struct SourceDigestsTests {
  static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources")

  /// The digest of `Sources/<module>` computed here the way the build tool does: relative names,
  /// lengths and bytes in name order; hidden files (SwiftPM ignores them) and documentation
  /// catalogues left out.
  static func digest(ofModule module: String) throws -> String {
    let root = sources.appendingPathComponent(module)
    let walker = try #require(FileManager.default.enumerator(atPath: root.path))
    var names: [String] = []
    while let name = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let path = root.appendingPathComponent(name).path
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        !name.contains(".docc"), !name.split(separator: "/").contains(where: { $0.hasPrefix(".") })
      {
        names.append(name)
      }
    }
    var hash = SHA256()
    for name in names.sorted() {
      let bytes = try #require(FileManager.default.contents(atPath: root.appendingPathComponent(name).path))
      hash.update("\(name)\u{0}\(bytes.count)\u{0}")
      hash.update(bytes)
    }
    return SHA256.hexString(hash.finalize())
  }

  @Test func everyModuleIsDigestedFromItsRelativeNamesAndBytes() throws {
    let modules = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
      .filter { !$0.hasPrefix(".") && $0 != "SourceDigests" }
    #expect(modules.count >= 10)
    for module in modules.sorted() {
      let embedded = try #require(SourceDigests.modules[module], "no digest for \(module)")
      // Recomputed from this checkout's files: no absolute path enters, so any clone agrees.
      #expect(try Self.digest(ofModule: module) == embedded, "\(module)")
    }
    #expect(SourceDigests.dependencies["Forest"]?.sorted() == ["DUNESupport", "Traffic"])
  }

  @Test func everyStepKindHasFingerprintedCode() throws {
    let code = defaultRegistry.code
    for name in defaultRegistry.names {
      let kind = try #require(defaultRegistry.kind(named: name))
      #expect(code.modules[kind.definingModule] != nil, "\(name) is defined in \(kind.definingModule)")
      let digests = try code.digests(definingModule: kind.definingModule, declared: kind.codeModules)
      #expect(digests["Literate"] != nil && digests["DUNESupport"] != nil)
    }
    // The forest step depends on what it declares (Forest, what Forest is built on, and P4 for the
    // unconstrained forest's program), not on the chapters after it (Partition).
    let forest = try #require(defaultRegistry.kind(named: "forest.grid"))
    let used = try code.digests(definingModule: forest.definingModule, declared: forest.codeModules)
    #expect(used["Forest"] != nil && used["Traffic"] != nil && used["Steps"] != nil && used["P4"] != nil)
    #expect(used["Partition"] == nil)
  }

  /// A pipeline step kind's file may import only the modules the kind declares (and the step API):
  /// an undeclared import would be code whose changes do not re-run the step.
  @Test func stepKindFilesImportOnlyDeclaredModules() throws {
    for name in defaultRegistry.names {
      let kind = try #require(defaultRegistry.kind(named: name))
      guard kind.definingModule == "Steps" else { continue }
      let typeName = try #require(kind.typeName.split(separator: ".").last)
      let file = Self.sources.appendingPathComponent("Steps/\(typeName).swift")
      let text = try String(contentsOf: file, encoding: .utf8)
      let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") }.map { String($0.dropFirst(7)) }
      let allowed = Set(kind.codeModules + ["Literate", "DUNESupport", "Foundation"])
      #expect(Set(imports).subtracting(allowed).isEmpty, "\(typeName) imports \(imports), declares \(kind.codeModules)")
    }
  }
}
