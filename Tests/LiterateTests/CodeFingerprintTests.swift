import DUNESupport
import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

/// A step whose result is computed by the code modules it declares (the value is a constant: only the key matters).
private struct Computed: StepKind {
  struct Arguments: Decodable, Sendable { var x: Int }
  let name: String
  let codeModules: [String]
  var outputs: [OutputDeclaration] { [OutputDeclaration("y", .integer)] }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput { StepOutput(values: ["y": .int(a.x + 1)]) }
}

@Suite struct CodeFingerprintTests {
  /// Modules: `Base`; `Trees` depends on `Base`; `Solver` depends on `Trees`; `Pages` alone.
  static func fingerprints(base: String = "b1", trees: String = "t1", pages: String = "p1") -> CodeFingerprints {
    CodeFingerprints(
      modules: ["Literate": "l1", "Base": base, "Trees": trees, "Solver": "s1", "Pages": pages],
      dependencies: ["Trees": ["Base"], "Solver": ["Trees"], "Literate": []])
  }

  static func registry(_ code: CodeFingerprints) -> StepRegistry {
    StepRegistry(
      [
        Computed(name: "load", codeModules: ["Base"]), Computed(name: "train", codeModules: ["Trees"]),
        Computed(name: "solve", codeModules: ["Solver", "Pages"]), Computed(name: "draw", codeModules: ["Pages"]),
      ],
      code: code)
  }

  static let chapter = """
    # Code

    ```dune load
    #| id: load
    x: 1
    ```

    ```dune train
    #| id: train
    x: ${step.load.y}
    ```

    ```dune solve
    #| id: solve
    x: ${step.train.y}
    ```

    ```dune draw
    #| id: draw
    x: 5
    ```
    """

  @Test func closureFollowsDependencies() throws {
    let code = Self.fingerprints()
    #expect(try code.closure(of: ["Solver"]) == ["Solver", "Trees", "Base"])
    let digests = try code.digests(definingModule: "Unknown", declared: ["Trees"])
    #expect(digests == ["Trees": "t1", "Base": "b1", "Literate": "l1"])
    // The defining module counts with its own digest only, not its dependencies.
    #expect(try code.digests(definingModule: "Solver", declared: []) == ["Solver": "s1", "Literate": "l1"])
    #expect(throws: CodeFingerprints.MissingModule(name: "Nope")) { try code.closure(of: ["Nope"]) }
    #expect(try CodeFingerprints.none.digests(definingModule: "Solver", declared: ["Trees"]).isEmpty)
  }

  @Test func changingOneModuleRerunsExactlyTheStepsThatUseIt() throws {
    let p = try TempProject(["01-code.md": Self.chapter])
    defer { p.remove() }
    let first = try p.runner(Self.registry(Self.fingerprints())).run(RunOptions(gitCommit: "x"))
    #expect(first.outcomes.allSatisfy { $0.status == .ran })

    // `Trees` changed: `train` and `solve` (which uses Solver → Trees) re-run; `load` and `draw` do not.
    let changed = Self.registry(Self.fingerprints(trees: "t2"))
    let plan = try p.runner(changed).run(RunOptions(dryRun: true))
    #expect(
      plan.statuses == [
        "01-code/load": .fresh, "01-code/train": .stale, "01-code/solve": .stale, "01-code/draw": .fresh,
      ])
    #expect(plan.outcome("01-code/train")?.reasons == ["code of module 'Trees' changed"])
    let second = try p.runner(changed).run(RunOptions(gitCommit: "x"))
    #expect(Set(second.executed.map(\.label)) == ["01-code/train", "01-code/solve"])

    // `Base` changed: everything built on it re-runs, the drawing does not.
    let base = try p.runner(Self.registry(Self.fingerprints(base: "b2", trees: "t2"))).run(RunOptions(gitCommit: "x"))
    #expect(Set(base.executed.map(\.label)) == ["01-code/load", "01-code/train", "01-code/solve"])

    // Nothing changed: nothing runs.
    let again = try p.runner(Self.registry(Self.fingerprints(base: "b2", trees: "t2"))).run(RunOptions(gitCommit: "x"))
    #expect(again.executed.isEmpty)
  }

  @Test func proseEditsRerunNothingWithFingerprints() throws {
    let p = try TempProject(["01-code.md": Self.chapter])
    defer { p.remove() }
    let registry = Self.registry(Self.fingerprints())
    _ = try p.runner(registry).run(RunOptions(gitCommit: "x"))
    try p.write("chapters/01-code.md", Self.chapter.replacingOccurrences(of: "# Code", with: "# Code\n\nNew words."))
    #expect(try p.runner(registry).run(RunOptions(gitCommit: "x")).executed.isEmpty)
  }

  @Test func undeclaredModuleIsAPlanningError() throws {
    let p = try TempProject(["01-code.md": Self.chapter])
    defer { p.remove() }
    var code = Self.fingerprints()
    code.modules["Pages"] = nil
    #expect {
      _ = try p.runner(Self.registry(code)).run(RunOptions(dryRun: true))
    } throws: { error in
      "\(error)".contains(
        "chapters/01-code.md:13:1: error: step kind 'solve' uses module 'Pages', which has no source digest")
    }
  }

  @Test func keyNamesAddedAndRemovedModules() {
    let old = KeyComponents(
      kind: "k", arguments: [:], upstream: [:], inputs: [:], parameters: [:], code: ["A": "1", "B": "1"])
    let new = KeyComponents(
      kind: "k", arguments: [:], upstream: [:], inputs: [:], parameters: [:], code: ["A": "2", "C": "1"])
    #expect(
      new.changes(since: old) == [
        "code of module 'A' changed", "no longer uses code module 'B'", "now uses code module 'C'",
      ])
    #expect(new.key != old.key)
  }
}
