import DUNESupport
import Foundation
import Testing

@testable import Literate
@testable import LiterateRuntime

@Suite struct PlannerTests {
  /// Plans one chapter (`chapters/p.md`, after the basic counting chapter) and returns the diagnostics.
  func diagnostics(_ text: String, files: [String: String] = basicFiles) throws -> [String] {
    let p = try TempProject(["01-count.md": basicChapters["01-count.md"]!, "02-p.md": text], files: files)
    defer { p.remove() }
    do {
      _ = try Planner.plan(chapters: try p.project.loadChapters(), registry: testRegistry, projectRoot: p.root)
      return []
    } catch let d as Diagnostics {
      return d.errors.map(\.description)
    }
  }

  @Test func validChaptersPlanWithEdges() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let plan = try Planner.plan(chapters: try p.project.loadChapters(), registry: testRegistry, projectRoot: p.root)
    #expect(plan.steps.map(\.label) == ["01-count/count", "01-count/total", "02-more/write-csv-1", "02-more/sum-1"])
    #expect(plan.steps[1].upstream == ["count": 0])
    #expect(plan.steps[1].parameters == ["scale": .int(2)])
    #expect(plan.steps[2].upstream == ["count": 0])
    #expect(plan.closure == [0, 1, 2, 3])
  }

  @Test func unknownKind() throws {
    #expect(
      try diagnostics("# P\n\n```dune frobnicate\na: 1\n```\n") == [
        "chapters/02-p.md:3:1: error: unknown step kind 'frobnicate' (known: count-lines, maybe-fail, sum, write-csv)"
      ])
  }

  @Test func missingArgument() throws {
    #expect(
      try diagnostics("# P\n\n```dune sum\nscale: 2\n```\n") == [
        "chapters/02-p.md:3:1: error: missing argument 'values'"
      ])
  }

  @Test func mistypedArgument() throws {
    #expect(
      try diagnostics("# P\n\n```dune write-csv\nlabel: x\nrows: many\n```\n") == [
        "chapters/02-p.md:5:1: error: argument 'rows': expected an integer, found a string \"many\""
      ])
    #expect(
      try diagnostics("# P\n\n```dune sum\nvalues:\n  - 1\n  - \"2\"\n```\n") == [
        "chapters/02-p.md:6:5: error: argument 'values.1': expected a number, found a string \"2\""
      ])
  }

  @Test func mistypedReferenceUsesTheDeclaredOutputType() throws {
    // `ok` is a boolean output; `rows` needs an integer.
    let text = "# P\n\n```dune maybe-fail\n#| id: f\nfail: false\n```\n\n```dune write-csv\nrows: ${step.f.ok}\n```\n"
    #expect(
      try diagnostics(text) == [
        "chapters/02-p.md:9:1: error: argument 'rows': expected an integer, found a boolean false"
      ])
  }

  @Test func missingInputFile() throws {
    #expect(
      try diagnostics("# P\n\n```dune count-lines\npath: data/nope.txt\n```\n") == [
        "chapters/02-p.md:4:1: error: input file 'data/nope.txt' not found"
      ])
  }

  @Test func unknownAndForwardReferences() throws {
    #expect(
      try diagnostics("# P\n\n```dune sum\nvalues: ['${step.ghost.total}']\n```\n") == [
        "chapters/02-p.md:4:10: error: reference to unknown step 'ghost'"
      ])
    let forward =
      "# P\n\n```dune sum\nvalues: ['${step.later.total}']\n```\n\n```dune sum\n#| id: later\nvalues: []\n```\n"
    #expect(
      try diagnostics(forward) == [
        "chapters/02-p.md:4:10: error: reference to step 'later', which does not come before this step"
      ])
    #expect(
      try diagnostics("# P\n\n```dune sum\nvalues: ['${step.count.words}']\n```\n") == [
        "chapters/02-p.md:4:10: error: step 'count' (count-lines) has no output 'words' (outputs: lines)"
      ])
    #expect(
      try diagnostics("# P\n\n```dune sum\nvalues: [1]\nscale: ${params.nope}\n```\n") == [
        "chapters/02-p.md:5:1: error: unknown parameter 'nope' (declared in front matter: )"
      ])
    #expect(
      try diagnostics("# P\n\n```dune sum\nvalues: ['${step.count}']\n```\n") == [
        "chapters/02-p.md:4:10: error: malformed reference '${step.count}' (use ${step.<id>.<output>}, ${file.<id>.<name>} or ${params.<name>})"
      ])
  }

  @Test func allProblemsAreReportedTogether() throws {
    let text = "# P\n\n```dune nope\n```\n\n```dune sum\nscale: 1\n```\n"
    #expect(try diagnostics(text).count == 2)
  }

  @Test func selectionAddsUpstreamSteps() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let chapters = try p.project.loadChapters()
    let plan = try Planner.plan(
      chapters: chapters, registry: testRegistry, selection: Selection(chapters: ["02"], until: "write-csv-1"),
      projectRoot: p.root)
    #expect(plan.targets == [2])
    #expect(plan.closure == [0, 2])
    #expect(throws: UsageError.self) {
      try Planner.plan(chapters: chapters, registry: testRegistry, overrides: ["nope": 1], projectRoot: p.root)
    }
  }
}

@Suite struct PlannerCascadeTests {
  @Test func referencesToABrokenStepAreNotReportedTwice() throws {
    let text = "# P\n\n```dune frobnicate\n#| id: broken\n```\n\n```dune sum\nvalues: ['${step.broken.total}']\n```\n"
    let p = try TempProject(["01-p.md": text])
    defer { p.remove() }
    do {
      _ = try Planner.plan(chapters: try p.project.loadChapters(), registry: testRegistry, projectRoot: p.root)
      Issue.record("expected diagnostics")
    } catch let d as Diagnostics {
      #expect(
        d.errors.map(\.description) == [
          "chapters/01-p.md:3:1: error: unknown step kind 'frobnicate' (known: count-lines, maybe-fail, sum, write-csv)"
        ])
    }
  }
}
