import CSQLite
import DUNESupport
import Foundation

/// A small wrapper over one SQLite connection: prepared statements, transactions, versioned migrations.
///
/// Not thread-safe by design: one `Database` per process, used from one task at a time.
public final class Database {
  private var handle: OpaquePointer?
  /// The file path (or `:memory:`).
  public let path: String

  /// Opens (creating if needed) the database at `path`; its folder is created too.
  public init(path: String) throws {
    self.path = path
    if path != ":memory:" {
      let dir = (path as NSString).deletingLastPathComponent
      if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    }
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
    if sqlite3_open_v2(path, &handle, flags, nil) != SQLITE_OK {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close(handle)
      handle = nil
      throw LocatedError(file: path, "cannot open database: \(message)")
    }
    sqlite3_busy_timeout(handle, 5000)
    try execute("PRAGMA foreign_keys = ON")
  }

  deinit { sqlite3_close(handle) }

  /// Runs one or more statements without results.
  public func execute(_ sql: String) throws {
    var error: UnsafeMutablePointer<CChar>?
    if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
      let message = error.map { String(cString: $0) } ?? "unknown error"
      sqlite3_free(error)
      throw LocatedError(file: path, "SQL error: \(message)")
    }
  }

  /// Prepares `sql` with `?` placeholders.
  public func prepare(_ sql: String) throws -> Statement {
    var stmt: OpaquePointer?
    if sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) != SQLITE_OK {
      throw LocatedError(file: path, "SQL error: \(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
    }
    return Statement(stmt!, database: self)
  }

  /// Runs `sql` once with `bindings`, returning every row.
  @discardableResult
  public func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [[SQLValue]] {
    let s = try prepare(sql)
    try s.bind(bindings)
    return try s.all()
  }

  /// The rowid of the last insert.
  public var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// Runs `body` in a transaction, rolled back if it throws.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Applies the migrations after the one recorded in `PRAGMA user_version`, each in its own transaction.
  public func migrate(_ migrations: [String]) throws {
    let current = Int(try query("PRAGMA user_version").first?.first?.int ?? 0)
    guard current <= migrations.count else {
      throw LocatedError(file: path, "database schema version \(current) is newer than this tool (\(migrations.count))")
    }
    for (i, sql) in migrations.enumerated().dropFirst(current) {
      try transaction {
        try execute(sql)
        try execute("PRAGMA user_version = \(i + 1)")
      }
    }
  }

  fileprivate var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A value bound to or read from SQLite.
public enum SQLValue: Sendable, Equatable {
  case null
  case int(Int64)
  case double(Double)
  case text(String)

  public var int: Int64? { if case .int(let i) = self { return i } else { return nil } }
  public var double: Double? {
    switch self {
    case .double(let d): return d
    case .int(let i): return Double(i)
    default: return nil
    }
  }
  public var text: String? { if case .text(let s) = self { return s } else { return nil } }
}

/// A prepared statement; finalized when released.
public final class Statement {
  private let stmt: OpaquePointer
  private let database: Database

  fileprivate init(_ stmt: OpaquePointer, database: Database) {
    self.stmt = stmt
    self.database = database
  }

  deinit { sqlite3_finalize(stmt) }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Resets the statement and binds `values` to its placeholders in order.
  public func bind(_ values: [SQLValue]) throws {
    sqlite3_reset(stmt)
    sqlite3_clear_bindings(stmt)
    for (i, v) in values.enumerated() {
      let n = Int32(i + 1)
      let rc: Int32
      switch v {
      case .null: rc = sqlite3_bind_null(stmt, n)
      case .int(let x): rc = sqlite3_bind_int64(stmt, n, x)
      case .double(let x): rc = sqlite3_bind_double(stmt, n, x)
      case .text(let s): rc = sqlite3_bind_text(stmt, n, s, -1, Statement.transient)
      }
      if rc != SQLITE_OK { throw LocatedError(file: database.path, "SQL bind error: \(database.errorMessage)") }
    }
  }

  /// Runs the statement to completion, ignoring rows.
  public func run(_ values: [SQLValue]) throws {
    try bind(values)
    _ = try all()
  }

  /// Steps through every row.
  public func all() throws -> [[SQLValue]] {
    var rows: [[SQLValue]] = []
    while true {
      let rc = sqlite3_step(stmt)
      if rc == SQLITE_DONE { break }
      guard rc == SQLITE_ROW else { throw LocatedError(file: database.path, "SQL error: \(database.errorMessage)") }
      var row: [SQLValue] = []
      for c in 0..<sqlite3_column_count(stmt) {
        switch sqlite3_column_type(stmt, c) {
        case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(stmt, c)))
        case SQLITE_FLOAT: row.append(.double(sqlite3_column_double(stmt, c)))
        case SQLITE_NULL: row.append(.null)
        default: row.append(.text(String(cString: sqlite3_column_text(stmt, c))))
        }
      }
      rows.append(row)
    }
    sqlite3_reset(stmt)
    return rows
  }
}
