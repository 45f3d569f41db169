import DUNESupport
import Foundation

/// The run history: runs, step executions, metrics and artifacts in SQLite. All SQL lives here.
public final class MetricsStore {
  private let db: Database

  /// Schema versions, applied in order (`PRAGMA user_version` counts how many ran).
  static let migrations: [String] = [
    """
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      started TEXT NOT NULL,
      parameters TEXT NOT NULL,
      git_commit TEXT NOT NULL
    );
    CREATE TABLE step_executions (
      run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      chapter TEXT NOT NULL,
      step TEXT NOT NULL,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      status TEXT NOT NULL,
      started TEXT NOT NULL,
      duration REAL NOT NULL,
      error TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (run, chapter, step)
    );
    CREATE TABLE metrics (
      run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      chapter TEXT NOT NULL,
      step TEXT NOT NULL,
      name TEXT NOT NULL,
      value REAL NOT NULL,
      unit TEXT NOT NULL,
      labels TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX metrics_by_run ON metrics(run, chapter, step, name);
    CREATE TABLE artifacts (
      run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      hash TEXT NOT NULL,
      chapter TEXT NOT NULL,
      step TEXT NOT NULL,
      PRIMARY KEY (run, path)
    );
    """
  ]

  /// Opens the store at `path` (default `.dune/dune.sqlite` is the caller's choice) and migrates it.
  public init(path: String) throws {
    db = try Database(path: path)
    // WAL + synchronous=NORMAL: commits no longer fsync (a power cut may lose the last runs' rows, never
    // corrupt the file). The history is rebuilt by re-running; one fsync per step made no-op runs IO-bound.
    try db.execute("PRAGMA journal_mode = WAL")
    try db.execute("PRAGMA synchronous = NORMAL")
    try db.migrate(Self.migrations)
  }

  /// The schema version after migration.
  public var schemaVersion: Int { Int((try? db.query("PRAGMA user_version").first?.first?.int) ?? 0) }

  /// Table name → column names, for schema tests and `dune metrics --schema`.
  public func schema() throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for row in try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
      guard let table = row[0].text else { continue }
      out[table] = try db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).compactMap {
        $0[0].text
      }
    }
    return out
  }

  /// Records a new run and returns its id.
  public func beginRun(started: String, parameters: String, gitCommit: String) throws -> Int64 {
    try db.query(
      "INSERT INTO runs (started, parameters, git_commit) VALUES (?, ?, ?)",
      [.text(started), .text(parameters), .text(gitCommit)])
    return db.lastInsertID
  }

  /// Records one step's execution with its metrics, in one transaction.
  public func record(run: Int64, execution e: StepExecutionRecord, metrics: [MetricRecord]) throws {
    try db.transaction {
      try db.query(
        """
        INSERT OR REPLACE INTO step_executions (run, chapter, step, kind, key, status, started, duration, error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          .int(run), .text(e.chapter), .text(e.step), .text(e.kind), .text(e.key), .text(e.status), .text(e.started),
          .double(e.duration), .text(e.error),
        ])
      let insert = try db.prepare(
        "INSERT INTO metrics (run, chapter, step, name, value, unit, labels) VALUES (?, ?, ?, ?, ?, ?, ?)")
      for m in metrics {
        try insert.run([
          .int(run), .text(m.chapter), .text(m.step), .text(m.name), .double(m.value), .text(m.unit), .text(m.labels),
        ])
      }
    }
  }

  /// Records the files a run published.
  public func record(run: Int64, artifacts: [ArtifactRecord]) throws {
    try db.transaction {
      let insert = try db.prepare(
        "INSERT OR REPLACE INTO artifacts (run, path, hash, chapter, step) VALUES (?, ?, ?, ?, ?)")
      for a in artifacts { try insert.run([.int(run), .text(a.path), .text(a.hash), .text(a.chapter), .text(a.step)]) }
    }
  }

  /// All runs, oldest first.
  public func runs() throws -> [RunRecord] {
    try db.query("SELECT id, started, parameters, git_commit FROM runs ORDER BY id").map {
      RunRecord(
        id: $0[0].int ?? 0, started: $0[1].text ?? "", parameters: $0[2].text ?? "", gitCommit: $0[3].text ?? "")
    }
  }

  /// The newest run, if any.
  public func latestRun() throws -> RunRecord? { try runs().last }

  /// The step executions of `run`, in recording order.
  public func executions(run: Int64) throws -> [StepExecutionRecord] {
    try db.query(
      "SELECT chapter, step, kind, key, status, started, duration, error FROM step_executions WHERE run = ? ORDER BY rowid",
      [.int(run)]
    ).map {
      StepExecutionRecord(
        chapter: $0[0].text ?? "", step: $0[1].text ?? "", kind: $0[2].text ?? "", key: $0[3].text ?? "",
        status: $0[4].text ?? "", started: $0[5].text ?? "", duration: $0[6].double ?? 0, error: $0[7].text ?? "")
    }
  }

  /// The metrics of `run`, sorted by chapter, step, name and labels.
  public func metrics(run: Int64) throws -> [MetricRecord] {
    try db.query(
      "SELECT chapter, step, name, value, unit, labels FROM metrics WHERE run = ? ORDER BY chapter, step, name, labels",
      [.int(run)]
    ).map {
      MetricRecord(
        chapter: $0[0].text ?? "", step: $0[1].text ?? "", name: $0[2].text ?? "", value: $0[3].double ?? 0,
        unit: $0[4].text ?? "", labels: $0[5].text ?? "{}")
    }
  }

  /// The artifacts of `run`, sorted by path.
  public func artifacts(run: Int64) throws -> [ArtifactRecord] {
    try db.query("SELECT path, hash, chapter, step FROM artifacts WHERE run = ? ORDER BY path", [.int(run)]).map {
      ArtifactRecord(path: $0[0].text ?? "", hash: $0[1].text ?? "", chapter: $0[2].text ?? "", step: $0[3].text ?? "")
    }
  }

  /// Metrics of two runs matched by (chapter, step, name, labels); a side is nil where the metric is absent.
  public func diff(_ a: Int64, _ b: Int64) throws -> [MetricDifference] {
    for run in [a, b] where try db.query("SELECT 1 FROM runs WHERE id = ?", [.int(run)]).isEmpty {
      throw UsageError("no run with id \(run) in \(db.path)")
    }
    struct Key: Hashable, Comparable {
      var chapter, step, name, labels: String
      static func < (x: Key, y: Key) -> Bool {
        (x.chapter, x.step, x.name, x.labels) < (y.chapter, y.step, y.name, y.labels)
      }
    }
    var rows: [Key: MetricDifference] = [:]
    for m in try metrics(run: a) {
      let k = Key(chapter: m.chapter, step: m.step, name: m.name, labels: m.labels)
      rows[k] = MetricDifference(
        chapter: m.chapter, step: m.step, name: m.name, labels: m.labels, unit: m.unit, a: m.value, b: nil)
    }
    for m in try metrics(run: b) {
      let k = Key(chapter: m.chapter, step: m.step, name: m.name, labels: m.labels)
      rows[
        k,
        default: MetricDifference(
          chapter: m.chapter, step: m.step, name: m.name, labels: m.labels, unit: m.unit, a: nil, b: nil)
      ].b = m.value
    }
    return rows.keys.sorted().map { rows[$0]! }
  }
}
