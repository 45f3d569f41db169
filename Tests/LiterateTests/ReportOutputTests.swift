import DUNESupport
import Foundation
import Report
import Testing

@testable import Literate
@testable import LiterateRuntime

@Suite struct ReportOutputTests {
  private func pages(_ p: TempProject) throws -> [String: String] {
    let dir = p.project.resultsDirectory.path
    var out: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".html") {
      out[name] = p.read("results/\(name)")
    }
    return out
  }

  @Test func everyPageIsWellFormedAndComplete() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.runner().run(RunOptions(gitCommit: "abc123", environment: ["SOURCE_DATE_EPOCH": "1700000000"]))
    let all = try pages(p)
    #expect(Set(all.keys) == ["index.html", "01-count.html", "02-more.html"])
    for (name, html) in all {
      #expect(XMLCheck.wellFormed(html).isEmpty, "\(name): \(XMLCheck.wellFormed(html))")
      #expect(html.hasPrefix("<!DOCTYPE html>"))
    }
    let more = try #require(all["02-more.html"])
    #expect(more.contains("href=\"02-more/write-csv-1/table.csv\""))  // link to the written file
    #expect(more.contains("<svg"))  // the step's figure, inline
    #expect(more.contains("abc123"))  // provenance: git commit
    #expect(more.contains("2023-11-14T22:13:20Z"))  // provenance time from SOURCE_DATE_EPOCH only
    let count = try #require(all["01-count.html"])
    #expect(count.contains("<table>"))  // GFM table from the prose
    #expect(count.contains("data/input.txt"))  // the step's arguments
  }

  /// libxml2's own parser agrees (skipped where xmllint is not installed).
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint"), "xmllint is not installed"))
  func xmllintAcceptsEveryPage() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    let names = try pages(p).keys.sorted()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    process.arguments = ["--noout"] + names.map { p.root.appendingPathComponent("results/\($0)").path }
    let err = Pipe()
    process.standardError = err
    try process.run()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(message)")
  }

  @Test func renderIsByteIdenticalAndFast() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let env = ["SOURCE_DATE_EPOCH": "1700000000"]
    _ = try p.runner().run(RunOptions(gitCommit: "abc123", environment: env))
    let first = try pages(p)
    let manifest = p.read("results/manifest.json")
    // Remove a page and a published file: render restores both from cache and store.
    try FileManager.default.removeItem(at: p.root.appendingPathComponent("results/01-count.html"))
    try FileManager.default.removeItem(at: p.root.appendingPathComponent("results/02-more/write-csv-1/table.csv"))
    let clock = ContinuousClock()
    let start = clock.now
    try p.runner().render(environment: env)
    let elapsed = clock.now - start
    #expect(elapsed < .seconds(1), "render took \(elapsed)")
    #expect(try pages(p) == first)
    #expect(p.read("results/manifest.json") == manifest)
    #expect(p.read("results/02-more/write-csv-1/table.csv") != nil)
  }

  /// Committed results must not depend on the cache: re-executing every step (new timings, "ran"
  /// instead of "fresh") writes the same pages, byte for byte, unless run details are asked for.
  @Test func pagesDoNotDependOnWhetherStepsRanOrCameFromTheCache() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let env = ["SOURCE_DATE_EPOCH": "1700000000"]
    _ = try p.runner().run(RunOptions(gitCommit: "abc123", environment: env))
    let first = try pages(p)
    var forced = RunOptions(gitCommit: "abc123", environment: env)
    forced.force = true
    let summary = try p.runner().run(forced)
    #expect(!summary.executed.isEmpty)  // the steps really ran again
    #expect(try pages(p) == first)
    #expect(first.values.allSatisfy { !$0.contains(">ran<") && !$0.contains(">fresh<") })

    var detailed = RunOptions(gitCommit: "abc123", environment: env.merging(["DUNE_REPORT_RUN_DETAILS": "1"]) { $1 })
    detailed.force = true
    _ = try p.runner().run(detailed)
    #expect(try pages(p)["02-more.html"]!.contains(">ran<"))  // the opt-in shows what this run did
  }

  @Test func noTimeWithoutSourceDateEpoch() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.runner().run(RunOptions(gitCommit: "abc123"))
    let index = try #require(p.read("results/index.html"))
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    #expect(!index.contains("\(year)-"))
  }
}

@Suite struct ReportArgumentTests {
  @Test func nestedArgumentsShowTheYAMLAsWritten() throws {
    let chapter = "# A\n\n```dune sum\n#| id: s\nscale: 2\nvalues:\n  - 1\n  - 2   # two\n\n```\n"
    let p = try TempProject(["01-a.md": chapter])
    defer { p.remove() }
    _ = try p.run()
    let page = try #require(p.read("results/01-a.html"))
    #expect(page.contains("<th>scale</th>\n<td><code>2</code></td>"))
    #expect(page.contains("<th>values</th>\n<td><code>- 1\n- 2   # two</code></td>"))
  }
}

/// Publishes long floats as a value, a metric and a checked value.
struct LongFloats: StepKind {
  struct Arguments: Decodable, Sendable {}
  let name = "long-floats"
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("gain", .number, unit: "gain"), OutputDeclaration("share", .number, unit: "fraction"),
      OutputDeclaration("raw", .number),
    ]
  }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    StepOutput(
      values: [
        "gain": .double(0.9422163618440441), "share": .double(0.656239099766893), "raw": .double(2.102194611725),
      ],
      metrics: [
        Metric("f1", 67.36135358113432, unit: "%"), Metric("f1", 70.14992891453544, unit: "%", labels: ["class": "a"]),
        Metric("gain", 0.35270617434686985, unit: "gain"),
      ])
  }
}

@Suite struct NumbersForPeopleTests {
  @Test func noVisibleNumberHasMoreThanSixDecimals() throws {
    let chapter = """
      # Numbers

      ```dune long-floats
      #| id: floats
      ```

      ```dune check
      expect:
        - name: gain
          value: ${step.floats.gain}
          approx: 0.94222
          tol: 1e-5
          unit: gain
        - name: raw
          value: ${step.floats.raw}
          min: 0
      ```

      ```dune summary
      items:
        - label: share
          value: ${step.floats.share}
          unit: fraction
      ```
      """
    let p = try TempProject(["01-n.md": chapter])
    defer { p.remove() }
    let summary = try p.runner(StepRegistry(builtinStepKinds + [LongFloats()])).run(RunOptions(gitCommit: "x"))
    #expect(summary.failure == nil)
    for name in ["index.html", "01-n.html"] {
      let html = try #require(p.read("results/\(name)"))
      // Visible text: drop the tooltips (title attributes), where full precision belongs.
      let visible = html.replacingOccurrences(of: #"title="[^"]*""#, with: "", options: .regularExpression)
      #expect(visible.range(of: #"\d\.\d{7,}"#, options: .regularExpression) == nil, "\(name)")
    }
    let page = try #require(p.read("results/01-n.html"))
    #expect(page.contains("✓ gain = 0.94222"))
    #expect(page.contains("✓ raw = 2.1022"))
    #expect(page.contains("title=\"67.36135358113432\">67.36 %</td>"))
    #expect(page.contains("65.62 %"))
    let index = try #require(p.read("results/index.html"))
    #expect(index.contains("share: <span class=\"value\" title=\"0.656239099766893\">65.62 %</span>"))
  }
}

@Suite struct StepTableCellTests {
  @Test func numbersWrittenAsTextAreAlignedAndShownByUnit() {
    let t = StepTable(
      id: "t", caption: "c", columns: ["switch", "agreement %", "packets", "F1"],
      rows: [["s1", "100.0000", "3113", "64.8300"], ["C10", "99.5", "-", "1e5"]])
    let cells = ReportBuilder.cells(t)
    #expect(cells[0] == [.text("s1"), .measure(100, unit: "%"), .measure(3113, unit: ""), .number(64.83, decimals: 4)])
    #expect(cells[1] == [.text("C10"), .measure(99.5, unit: "%"), .text("-"), .text("1e5")])
  }
}
