import DUNESupport
import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

@Suite struct BuiltinKindsTests {
  let registry = StepRegistry(builtinStepKinds).merging(testRegistry)

  private func run(_ chapter: String, files: [String: String] = [:]) throws -> (RunSummary, TempProject) {
    let p = try TempProject(["01-c.md": chapter], files: files)
    return (try p.runner(registry).run(RunOptions(gitCommit: "x")), p)
  }

  @Test func checksPassWithEqualsApproxAndBounds() throws {
    let chapter = """
      # C

      ```dune values
      #| id: v
      values:
        n: 4
        gain: 0.352712
        list: [1, 2]
      ```

      ```dune check
      expect:
        - value: ${step.v.n}
          equals: 4.0
        - value: ${step.v.gain}
          approx: 0.35271
          tol: 1e-5
        - value: ${step.v.gain}
          min: 0.3
          max: 0.4
        - value: ${step.v.list}
          equals: [1, 2]
      ```
      """
    let (summary, p) = try run(chapter)
    defer { p.remove() }
    #expect(summary.failure == nil, "\(String(describing: summary.failure))")
    #expect(summary.outcomes.map(\.status) == [.ran, .ran])
  }

  @Test func failingExpectationPointsAtItsLine() throws {
    let chapter = """
      # C

      ```dune values
      #| id: v
      values:
        gain: 0.36
      ```

      ```dune check
      expect:
        - value: ${step.v.gain}
          min: 0
        - name: gain
          value: ${step.v.gain}
          approx: 0.35271
          tol: 1e-5
      ```
      """
    let (summary, p) = try run(chapter)
    defer { p.remove() }
    #expect(
      summary.failure?.description
        == "chapters/01-c.md:13:5: error: step 'check-1' (check) failed: check 'gain' failed: got 0.36, expected 0.35271 ± 1e-05"
    )
  }

  @Test func csvSummaryCountsRowsAndColumns() throws {
    let chapter =
      "# C\n\n```dune csv.summary\n#| id: s\npath: data/x.csv\n```\n\n```dune check\nexpect:\n  - value: ${step.s.rows}\n    equals: 3\n  - value: ${step.s.stats.v.mean}\n    approx: 2\n```\n"
    let (summary, p) = try run(chapter, files: ["data/x.csv": "name,v\na,1\nb,2\nc,3\n"])
    defer { p.remove() }
    #expect(summary.failure == nil, "\(String(describing: summary.failure))")
  }
}
