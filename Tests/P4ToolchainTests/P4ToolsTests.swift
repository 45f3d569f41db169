import Foundation
import Testing

@testable import P4Toolchain

@Suite struct P4ToolsTests {
  /// A temporary bin folder holding fake executables named like the tools.
  static func fakeBin(_ tools: [P4Tools.Tool]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p4tools-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for t in tools {
      let path = dir + "/" + t.rawValue
      try "#!/bin/sh\necho \"$@\"\n".write(toFile: path, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
    return dir
  }

  @Test func locatesByEnvironmentInOrder() throws {
    let bin = try Self.fakeBin([.p4cBMv2])
    defer { try? FileManager.default.removeItem(atPath: bin) }
    #expect(P4Tools.locate(environment: ["DUNE_P4TOOLS_BIN": bin])?.binDirectory == bin)
    #expect(P4Tools.locate(environment: ["DUNE_P4TOOLS_BIN": "/no/such", "HOME": "/no/home"]) == nil)
    let tools = try #require(P4Tools.locate(environment: ["DUNE_P4TOOLS_BIN": bin]))
    #expect(tools.path(.p4cBMv2) == bin + "/p4c-bm2-ss")
    #expect(tools.path(.simpleSwitch) == nil)
    #expect(tools.has(.p4cBMv2) && !tools.has(.p4cBMv2, .bfP4cCheck))
  }

  @Test func missingToolsAreNamed() throws {
    let bin = try Self.fakeBin([.p4cBMv2])
    defer { try? FileManager.default.removeItem(atPath: bin) }
    #expect(P4Tools.missing([.p4cBMv2], environment: ["DUNE_P4TOOLS_BIN": bin]) == nil)
    let why = try #require(P4Tools.missing([.p4cBMv2, .bfP4cCheck], environment: ["DUNE_P4TOOLS_BIN": bin]))
    #expect(why.contains("bf-p4c-check") && !why.contains("p4c-bm2-ss"))
    #expect(P4Tools.missing([.p4test], environment: [:])?.contains("DUNE_P4TOOLS_BIN") == true)
  }

  @Test func runCollectsOutputAndStatus() throws {
    let r = try ToolRun.run("/bin/sh", ["-c", "cat; echo err >&2; exit 3"], input: "hello\n")
    #expect(r.status == 3 && r.stdout == "hello\n" && r.stderr == "err\n")
  }
}
