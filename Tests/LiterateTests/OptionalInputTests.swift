import DUNESupport
import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

/// Reports whether an optional input file exists and, if so, its first line.
private struct ReadIfPresent: StepKind {
  struct Arguments: Decodable, Sendable { var path: String }
  let name = "read-if-present"
  var outputs: [OutputDeclaration] { [OutputDeclaration("text", .string)] }
  var inputArguments: [String] { ["path"] }
  var optionalInputArguments: [String] { ["path"] }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let text = (try? String(contentsOfFile: context.resolve(a.path), encoding: .utf8)) ?? "absent"
    return StepOutput(values: ["text": .string(text)])
  }
}

/// Optional input files (`StepKind.optionalInputArguments`): absence is no error and is part of
/// the cache key, so the step re-runs when the file appears, changes or goes away.
@Suite struct OptionalInputTests {
  static let chapter = ["01-o.md": "# O\n\n```dune read-if-present\n#| id: r\npath: records/r.txt\n```\n"]

  @Test func absenceIsCachedAndAppearanceReruns() throws {
    let p = try TempProject(Self.chapter)
    defer { p.remove() }
    let registry = StepRegistry([ReadIfPresent()])
    func run() throws -> (status: StepOutcome.Status?, key: String?) {
      let s = try p.runner(registry).run(RunOptions(gitCommit: "x"))
      #expect(s.failure == nil)
      return (s.outcomes.first?.status, s.outcomes.first?.key)
    }
    let absent = try run()
    #expect(absent.status == .ran)
    #expect(try run().status == .fresh)
    try p.write("records/r.txt", "one")
    let one = try run()
    #expect(one.status == .ran && one.key != absent.key)
    #expect(try run().status == .fresh)
    try p.write("records/r.txt", "two")
    let two = try run()
    #expect(two.status == .ran && two.key != one.key)
    try FileManager.default.removeItem(at: p.root.appendingPathComponent("records/r.txt"))
    let again = try run()
    #expect(again.status == .fresh && again.key == absent.key)  // back to the first, cached, entry
  }

  @Test func aRequiredInputIsStillChecked() throws {
    let p = try TempProject(["01-c.md": "# C\n\n```dune count-lines\npath: data/nope.txt\n```\n"])
    defer { p.remove() }
    #expect(throws: (any Error).self) { try p.run() }
  }
}
