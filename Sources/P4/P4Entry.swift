/// One key of a runtime table entry.
public enum P4Match: Sendable, Equatable, Hashable {
  case exact(P4Value)
  /// `(key & mask) == value`; masked-off value bits are zero.
  case ternary(value: P4Value, mask: P4Value)
  /// Inclusive bounds.
  case range(lo: P4Value, hi: P4Value)

  /// True if `key` matches.
  public func matches(_ key: P4Value) -> Bool {
    switch self {
    case .exact(let v): return P4Value.compare(key, v) == 0
    case .ternary(let v, let m): return P4Value.masked(key, m, equals: v)
    case .range(let lo, let hi): return P4Value.compare(lo, key) <= 0 && P4Value.compare(key, hi) <= 0
    }
  }

  public var kind: P4MatchKind {
    switch self {
    case .exact: return .exact
    case .ternary: return .ternary
    case .range: return .range
    }
  }
}

/// A runtime table entry in target-neutral form (table and action names without control prefix).
///
/// `priority` follows the simple_switch_CLI convention: present for tables with ternary or range
/// keys, smaller number wins. All DUNE entries of one table share a priority because their matches
/// are disjoint (range rows partition the domain, root-to-leaf paths exclude each other).
public struct P4Entry: Sendable, Equatable, Hashable {
  public var table: String
  public var action: String
  public var keys: [P4Match]
  public var params: [P4Value]
  public var priority: Int?
  public init(table: String, action: String, keys: [P4Match], params: [P4Value], priority: Int? = nil) {
    self.table = table
    self.action = action
    self.keys = keys
    self.params = params
    self.priority = priority
  }
}

/// The runtime entries of one program, in emission order (tables in program order, rows sorted).
public struct P4EntrySet: Sendable, Equatable {
  public var entries: [P4Entry]
  public init(entries: [P4Entry]) { self.entries = entries }
  /// The entries of table `name`, in order.
  public func of(_ name: String) -> [P4Entry] { entries.filter { $0.table == name } }
}
