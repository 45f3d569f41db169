import DUNESupport
import Foundation
import Report
import Store
import Testing

@testable import Literate
@testable import LiterateRuntime

@Suite struct RunnerTests {
  @Test func firstRunExecutesEverythingAndPublishes() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let summary = try p.run()
    #expect(summary.failure == nil)
    #expect(summary.outcomes.map(\.status) == [.ran, .ran, .ran, .ran])
    #expect(p.read("results/02-more/write-csv-1/table.csv") == "i,square,label\n0,0,x\n1,1,x\n2,4,x\n")
    let manifest = try #require(p.read("results/manifest.json"))
    #expect(manifest.contains("\"02-more/write-csv-1/table.csv\""))
    // Upstream values flowed: (3 + 10) * 2.
    let store = try MetricsStore(path: p.project.databasePath)
    let metrics = try store.metrics(run: try #require(summary.runID))
    #expect(metrics.first { $0.step == "total" }?.value == 26)
    #expect(metrics.first { $0.step == "write-csv-1" }?.value == 3)
  }

  @Test func unchangedRerunExecutesNothingQuickly() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    let clock = ContinuousClock()
    let start = clock.now
    let again = try p.run()
    let elapsed = clock.now - start
    #expect(again.executed.isEmpty)
    #expect(again.outcomes.allSatisfy { $0.status == .fresh })
    #expect(elapsed < .seconds(1), "re-run took \(elapsed)")
  }

  @Test func proseEditsKeepEveryStepFresh() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    let edited = basicChapters["01-count.md"]!
      .replacingOccurrences(
        of: "Some prose with a table:", with: "Reworded prose.\n\nWith another paragraph\nover two lines:")
    try p.write("chapters/01-count.md", edited)
    let plan = try p.runner().run(RunOptions(dryRun: true))
    #expect(plan.outcomes.allSatisfy { $0.status == .fresh })
    #expect(try p.run().executed.isEmpty)
    // The page shows the new prose.
    #expect(p.read("results/01-count.html")?.contains("Reworded prose.") == true)
  }

  @Test func inputFileChangeMakesExactlyDependentsStale() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    try p.write("data/input.txt", "a\nb\nc\nd\n")
    let plan = try p.runner().run(RunOptions(dryRun: true))
    #expect(
      plan.statuses == [
        "01-count/count": .stale, "01-count/total": .stale, "02-more/write-csv-1": .stale, "02-more/sum-1": .fresh,
      ])
    #expect(plan.outcome("01-count/count")?.reasons == ["input file 'data/input.txt' changed"])
    #expect(plan.outcome("01-count/total")?.reasons == ["upstream step 'count' will run"])
    // Dry runs write nothing.
    #expect(try p.run().executed.map(\.label) == ["01-count/count", "01-count/total", "02-more/write-csv-1"])
    #expect(p.read("results/02-more/write-csv-1/table.csv")?.split(separator: "\n").count == 5)
  }

  @Test func argumentAndUpstreamChangesAreNamed() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    let edited = basicChapters["02-more.md"]!.replacingOccurrences(of: "values: [1, 2, 3]", with: "values: [1, 2, 4]")
    try p.write("chapters/02-more.md", edited)
    let plan = try p.runner().run(RunOptions(dryRun: true))
    #expect(plan.statuses["02-more/sum-1"] == .stale)
    #expect(plan.outcome("02-more/sum-1")?.reasons == ["argument 'values' changed"])
    #expect(plan.outcomes.filter { $0.status != .fresh }.count == 1)

    // Parameter override: only the step that reads the parameter.
    let withParam = try p.runner().run(RunOptions(overrides: ["scale": 3], dryRun: true))
    #expect(withParam.outcome("01-count/total")?.reasons == ["parameter 'scale' changed (2 → 3)"])
    #expect(withParam.statuses["01-count/count"] == .fresh)
  }

  @Test func upstreamRerunWithSameOutputKeepsDownstreamFresh() throws {
    // Adding a trailing empty line changes the input's bytes but not the line count.
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    try p.write("data/input.txt", "a\nb\nc\n\n")
    let summary = try p.run()
    #expect(
      summary.statuses == [
        "01-count/count": .ran, "01-count/total": .fresh, "02-more/write-csv-1": .fresh, "02-more/sum-1": .fresh,
      ])
    // A different count reaches downstream, and the explanation names the upstream step.
    try p.write("data/input.txt", "a\n")
    let counted = try p.run()
    #expect(counted.outcome("01-count/total")?.status == .ran)
    #expect(counted.outcome("01-count/total")?.reasons == ["upstream step '01-count/count' output changed"])
  }

  @Test func partialRunComputesMissingUpstream() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let summary = try p.runner().run(
      RunOptions(selection: Selection(chapters: ["02-more"], until: "write-csv-1"), gitCommit: "x"))
    #expect(summary.outcomes.map(\.label) == ["01-count/count", "02-more/write-csv-1"])
    #expect(summary.outcomes.allSatisfy { $0.status == .ran })
    let from = try p.runner().run(RunOptions(selection: Selection(from: "total"), gitCommit: "x"))
    #expect(
      from.statuses == [
        "01-count/count": .fresh, "01-count/total": .ran, "02-more/write-csv-1": .fresh, "02-more/sum-1": .ran,
      ])
  }

  @Test func forceRerunsOnlyTheSelectedSteps() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    _ = try p.run()
    let forced = try p.runner().run(RunOptions(selection: Selection(chapters: ["02"]), force: true, gitCommit: "x"))
    #expect(forced.statuses == ["01-count/count": .fresh, "02-more/write-csv-1": .ran, "02-more/sum-1": .ran])
    #expect(forced.outcome("02-more/sum-1")?.reasons == ["forced (--force)"])
    #expect(try p.run().executed.isEmpty)
  }

  @Test func failuresAreLocatedNeverCachedAndBannered() throws {
    let chapter = """
      # Failing

      ```dune sum
      #| id: before
      values: [1]
      ```

      ```dune maybe-fail
      #| id: boom
      fail: true
      message: deliberate
      ```

      ```dune sum
      #| id: after
      values: [2]
      ```
      """
    let p = try TempProject(["01-fail.md": chapter])
    defer { p.remove() }
    let summary = try p.run()
    let failure = try #require(summary.failure)
    #expect(failure.description == "chapters/01-fail.md:10:1: error: step 'boom' (maybe-fail) failed: deliberate")
    #expect(summary.outcomes.map(\.status) == [.ran, .failed])  // fail fast: `after` never ran
    // Nothing of the failed step is in the cache or left in staging.
    let cacheDirs = try FileManager.default.contentsOfDirectory(atPath: p.project.cacheDirectory.path).filter {
      $0.count == 64
    }
    #expect(cacheDirs.count == 1)
    let staging = p.root.appendingPathComponent(".dune/tmp").path
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).isEmpty)
    #expect(p.read("results/01-fail/boom/partial.txt") == nil)
    // The report shows the banner; the store has the error.
    let page = try #require(p.read("results/01-fail.html"))
    #expect(page.contains("class=\"banner\""))
    #expect(page.contains("deliberate"))
    #expect(page.contains("Not run: an earlier step failed"))
    #expect(XMLCheck.wellFormed(page).isEmpty)
    let store = try MetricsStore(path: p.project.databasePath)
    #expect(try store.executions(run: summary.runID!).map(\.status) == ["ran", "failed"])
    // Running again retries the failed step (the one that succeeded is fresh).
    let again = try p.run()
    #expect(again.statuses == ["01-fail/before": .fresh, "01-fail/boom": .failed])
    #expect(again.outcomes.last?.reasons == ["step 'boom' (maybe-fail) failed: deliberate"])
  }

  @Test func expectedErrorsPassAndUnexpectedSuccessFails() throws {
    let ok = "# E\n\n```dune maybe-fail\n#| expect-error: deliberate\nfail: true\nmessage: a deliberate failure\n```\n"
    let p = try TempProject(["01-e.md": ok])
    defer { p.remove() }
    let summary = try p.run()
    #expect(summary.failure == nil)
    #expect(summary.outcomes.map(\.status) == [.expectedError])
    #expect(try p.run().executed.isEmpty)

    try p.write("chapters/01-e.md", ok.replacingOccurrences(of: "fail: true", with: "fail: false"))
    let wrong = try p.run()
    #expect(
      wrong.failure?.description
        == "chapters/01-e.md:3:1: error: step 'maybe-fail-1' (maybe-fail) failed: expected an error containing 'deliberate', but the step succeeded"
    )
  }

  @Test func runtimeInputErrorsPointAtTheArgument() throws {
    let chapter =
      "# R\n\n```dune sum\n#| id: s\nvalues: [1]\n```\n\n```dune count-lines\npath: data/${step.s.total}.txt\n```\n"
    let p = try TempProject(["01-r.md": chapter])
    defer { p.remove() }
    let summary = try p.run()
    #expect(
      summary.failure?.description
        == "chapters/01-r.md:9:1: error: step 'count-lines-1': input file 'data/1.txt' not found")
  }

  @Test func fileReferencesReachUpstreamArtifacts() throws {
    let chapter =
      "# F\n\n```dune write-csv\n#| id: csv\nrows: 4\n```\n\n```dune count-lines\n#| id: lines\npath: ${file.csv.table.csv}\n```\n"
    let p = try TempProject(["01-f.md": chapter])
    defer { p.remove() }
    let summary = try p.run()
    #expect(summary.failure == nil)
    let store = try MetricsStore(path: p.project.databasePath)
    #expect(try store.metrics(run: summary.runID!).first { $0.step == "lines" }?.value == 5)
    #expect(try p.run().executed.isEmpty)
  }

  @Test func secondRunnerIsRefusedWhileTheLockIsHeld() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let lockPath = p.root.appendingPathComponent(".dune/lock").path
    let held = try ProjectLock(path: lockPath, wait: false)
    #expect(throws: UsageError.self) { try p.run() }
    #expect(throws: UsageError.self) { try ProjectLock(path: lockPath, wait: false) }
    // A waiting runner proceeds once the lock is released.
    let released = Flag()
    let thread = Thread {
      Thread.sleep(forTimeInterval: 0.3)
      released.set()
      held.release()
    }
    thread.start()
    let summary = try p.runner().run(RunOptions(waitForLock: true, gitCommit: "x"))
    #expect(released.value)
    #expect(summary.failure == nil)
  }

  @Test func dryRunWritesNothing() throws {
    let p = try TempProject(basicChapters, files: basicFiles)
    defer { p.remove() }
    let plan = try p.runner().run(RunOptions(dryRun: true))
    #expect(
      plan.outcomes.allSatisfy {
        $0.status == .missing && $0.reasons == ["never run"] || $0.reasons.first?.hasPrefix("upstream") == true
      })
    #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("results/index.html").path))
    #expect(!FileManager.default.fileExists(atPath: p.project.databasePath))
  }
}

/// A thread-safe boolean for the lock test.
final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var flag = false
  func set() { lock.withLock { flag = true } }
  var value: Bool { lock.withLock { flag } }
}

@Suite struct AtomicOutputTests {
  /// After runs (including a failing one) no temporary file or staging folder is left anywhere.
  @Test func noTemporaryFilesRemain() throws {
    var chapters = basicChapters
    chapters["03-fail.md"] = "# F\n\n```dune maybe-fail\nfail: true\n```\n"
    let p = try TempProject(chapters, files: basicFiles)
    defer { p.remove() }
    #expect(try p.run().failure != nil)
    try p.write("chapters/03-fail.md", "# F\n\n```dune maybe-fail\nfail: false\n```\n")
    #expect(try p.run().failure == nil)
    let walker = try #require(FileManager.default.enumerator(atPath: p.root.path))
    var leftovers: [String] = []
    while let name = walker.nextObject() as? String {
      if name.contains(".tmp-") || name.hasPrefix(".dune/tmp/") { leftovers.append(name) }
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
    // Each committed entry holds exactly the files its record lists.
    let cache = StepCache(project: p.project)
    let record = try #require(cache.record(chapter: "03-fail", step: "maybe-fail-1"))
    let entry = try #require(cache.load(record.key))
    #expect(entry.files.map(\.name) == ["partial.txt"])
  }
}

@Suite struct OutputNormalisationTests {
  /// A computed 26.0 reads the same downstream whether its producer just ran or was restored.
  @Test func freshAndJustRunOutputsLookTheSame() throws {
    let chapter =
      "# N\n\n```dune sum\n#| id: s\nvalues: [13]\nscale: 2\n```\n\n```dune write-csv\n#| id: w\nrows: 1\nlabel: total-${step.s.total}\n```\n"
    let p = try TempProject(["01-n.md": chapter])
    defer { p.remove() }
    _ = try p.run()
    let first = p.read("results/01-n/w/table.csv")
    #expect(first == "i,square,label\n0,0,total-26\n")
    // Re-run only the consumer, restoring the producer from the cache.
    _ = try p.runner().run(RunOptions(selection: Selection(from: "w"), force: true, gitCommit: "x"))
    #expect(p.read("results/01-n/w/table.csv") == first)
  }
}
