import DUNESupport
import Foundation
import Testing

@testable import Store

@Suite struct MetricsStoreTests {
  private func tempPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)/dune.sqlite").path
  }

  @Test func schemaHasTheDocumentedTables() throws {
    let store = try MetricsStore(path: tempPath())
    let schema = try store.schema()
    #expect(schema["runs"] == ["id", "started", "parameters", "git_commit"])
    #expect(
      schema["step_executions"] == ["run", "chapter", "step", "kind", "key", "status", "started", "duration", "error"])
    #expect(schema["metrics"] == ["run", "chapter", "step", "name", "value", "unit", "labels"])
    #expect(schema["artifacts"] == ["run", "path", "hash", "chapter", "step"])
    #expect(store.schemaVersion == MetricsStore.migrations.count)
  }

  @Test func reopeningKeepsDataAndDoesNotRemigrate() throws {
    let path = tempPath()
    do {
      let store = try MetricsStore(path: path)
      let run = try store.beginRun(started: "t", parameters: "{}", gitCommit: "c")
      try store.record(
        run: run,
        execution: StepExecutionRecord(
          chapter: "a", step: "s", kind: "k", key: "K", status: "ran", started: "t", duration: 0.5),
        metrics: [MetricRecord(chapter: "a", step: "s", name: "f1", value: 0.9, unit: "")])
      try store.record(run: run, artifacts: [ArtifactRecord(path: "a/s/x.csv", hash: "h", chapter: "a", step: "s")])
    }
    let store = try MetricsStore(path: path)
    let runs = try store.runs()
    #expect(runs.map(\.gitCommit) == ["c"])
    #expect(try store.executions(run: runs[0].id).map(\.duration) == [0.5])
    #expect(try store.metrics(run: runs[0].id).map(\.value) == [0.9])
    #expect(try store.artifacts(run: runs[0].id).map(\.path) == ["a/s/x.csv"])
  }

  @Test func diffMatchesByChapterStepNameAndLabels() throws {
    let store = try MetricsStore(path: tempPath())
    func run(_ metrics: [MetricRecord]) throws -> Int64 {
      let id = try store.beginRun(started: "t", parameters: "{}", gitCommit: "c")
      try store.record(
        run: id,
        execution: StepExecutionRecord(
          chapter: "c", step: "s", kind: "k", key: "K", status: "ran", started: "t", duration: 0),
        metrics: metrics)
      return id
    }
    let a = try run([
      MetricRecord(chapter: "c", step: "s", name: "f1", value: 0.5, unit: ""),
      MetricRecord(chapter: "c", step: "s", name: "tcam", value: 10, unit: "%", labels: "{\"cluster\":\"1\"}"),
      MetricRecord(chapter: "c", step: "s", name: "gone", value: 1, unit: ""),
    ])
    let b = try run([
      MetricRecord(chapter: "c", step: "s", name: "f1", value: 0.75, unit: ""),
      MetricRecord(chapter: "c", step: "s", name: "tcam", value: 12, unit: "%", labels: "{\"cluster\":\"1\"}"),
      MetricRecord(chapter: "c", step: "s", name: "new", value: 2, unit: ""),
    ])
    let diff = try store.diff(a, b)
    #expect(diff.map(\.name) == ["f1", "gone", "new", "tcam"])
    #expect(diff[0].a == 0.5 && diff[0].b == 0.75 && diff[0].delta == 0.25)
    #expect(diff[1].b == nil && diff[1].delta == nil)
    #expect(diff[2].a == nil)
    #expect(diff[3].delta == 2 && diff[3].labels == "{\"cluster\":\"1\"}")
    #expect(throws: UsageError.self) { try store.diff(a, 99) }
  }

  @Test func failedTransactionLeavesNothing() throws {
    let db = try Database(path: ":memory:")
    try db.execute("CREATE TABLE t (x INTEGER NOT NULL)")
    #expect(throws: LocatedError.self) {
      try db.transaction {
        try db.query("INSERT INTO t VALUES (1)")
        try db.query("INSERT INTO t VALUES (NULL)")
      }
    }
    #expect(try db.query("SELECT COUNT(*) FROM t").first?.first == .int(0))
  }
}
