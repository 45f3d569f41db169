import DUNESupport

/// Classifies samples by executing a program's inference block against runtime entries — the
/// lookups the switch would do: range feature tables → codeword slices → ternary code tables →
/// voting table → class-ID mapping (`data-plane.md` §10.1).
///
/// It interprets the P4 model itself (table keys, action bodies with their slice writes, default
/// actions, the class-map condition and constants), not the compiled IR, so it checks the program
/// and the entries — typically the entries read back from the emitted bmv2 command file — against
/// the data-plane table-lookup evaluator. Match semantics follow simple_switch: among matching
/// entries the smallest priority wins, ties go to the entry added first.
public struct EntryEvaluator: Sendable {
  public let program: P4Program
  /// Per table: entries in lookup order (priority ascending, then file order).
  private let lookup: [String: [P4Entry]]
  /// Exact-only tables: the first entry of every key tuple (bmv2 rejects duplicates anyway).
  private let exactIndex: [String: [[P4Value]: P4Entry]]
  private let constants: [String: P4Value]
  private let tables: [String: P4Table]
  private let actions: [String: P4Action]
  private let widths: [String: Int]

  public init(program: P4Program, entries: P4EntrySet) {
    self.program = program
    var by: [String: [(Int, P4Entry)]] = [:]
    for (i, e) in entries.entries.enumerated() { by[e.table, default: []].append((i, e)) }
    lookup = by.mapValues { list in
      list.sorted { ($0.1.priority ?? 0, $0.0) < ($1.1.priority ?? 0, $1.0) }.map(\.1)
    }
    var exact: [String: [[P4Value]: P4Entry]] = [:]
    for t in program.tables where !t.needsPriority {
      var index: [[P4Value]: P4Entry] = [:]
      for e in lookup[t.name] ?? [] {
        let key = e.keys.map { m -> P4Value in
          if case .exact(let v) = m { return P4Value(words: v.words, width: v.width, style: .decimal) }
          return P4Value(0, width: 0)
        }
        if index[key] == nil { index[key] = e }
      }
      exact[t.name] = index
    }
    exactIndex = exact
    tables = Dictionary(program.tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    actions = Dictionary(program.actions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    constants = Dictionary(uniqueKeysWithValues: program.constants.map { ($0.name, P4Value($0.value, width: $0.width)) })
    widths = Dictionary(uniqueKeysWithValues: program.metadata.map { ("meta." + $0.name, $0.width) })
  }

  /// The result of one classification.
  public struct Result: Sendable, Equatable {
    public var local: Int
    public var global: Int
    /// Per-tree local classes (`meta.class<t>`).
    public var trees: [Int]
  }

  /// Classifies one sample given its encoded feature keys (`meta.feature<i>` for model feature i).
  public func classify(features: [Int: UInt64]) throws -> Result {
    var state: [String: P4Value] = [:]
    for (path, w) in widths { state[path] = P4Value(0, width: w) }
    for (i, v) in features {
      let path = "meta.feature\(i)"
      guard let w = widths[path] else { continue }  // features without a table are not keys
      state[path] = P4Value(v, width: w)
    }
    try run(program.inferenceBlock, &state, [:])
    func int(_ p: String) -> Int { Int(state[p]?.uint64 ?? 0) }
    let trees = (0..<program.metadata.filter { $0.name.hasPrefix("class") && Int($0.name.dropFirst(5)) != nil }.count)
      .map { int("meta.class\($0)") }
    return Result(local: int("meta.local_class"), global: int("meta.global_class"), trees: trees)
  }

  // MARK: - Interpreter

  private func run(_ list: [P4Stmt], _ s: inout [String: P4Value], _ params: [String: P4Value]) throws {
    for st in list {
      switch st {
      case .assign(let lhs, let rhs):
        try assign(lhs, try eval(rhs, s, params), &s)
      case .apply(let t):
        _ = try apply(t, &s)
      case .applyHit(let t, let hit, let miss):
        try run(try apply(t, &s) ? hit : miss, &s, params)
      case .call(let a):
        guard let action = actions[a] else { throw UsageError("evaluator: unknown action \(a)") }
        try run(action.body, &s, [:])
      case .ifElse(let c, let yes, let no):
        try run(try eval(c, s, params).isZero ? no : yes, &s, params)
      case .comment:
        break
      default:
        throw UsageError("evaluator: statement \(st) is outside the table pipeline")
      }
    }
  }

  /// Applies table `name`; returns whether an entry hit.
  private func apply(_ name: String, _ s: inout [String: P4Value]) throws -> Bool {
    guard let table = tables[name] else { throw UsageError("evaluator: unknown table \(name)") }
    let keys = table.keys.map { s[$0.field] ?? P4Value(0, width: $0.width) }
    if let index = exactIndex[name] {
      let probe = zip(keys, table.keys).map { P4Value(words: $0.words, width: $1.width, style: .decimal) }
      if let e = index[probe] {
        try runAction(e.action, e.params, &s)
        return true
      }
      try runAction(table.defaultAction.action, table.defaultAction.args, &s)
      return false
    }
    for e in lookup[name] ?? [] where zip(e.keys, keys).allSatisfy({ $0.matches($1) }) {
      try runAction(e.action, e.params, &s)
      return true
    }
    try runAction(table.defaultAction.action, table.defaultAction.args, &s)
    return false
  }

  private func runAction(_ name: String, _ args: [P4Value], _ s: inout [String: P4Value]) throws {
    if name == "NoAction" { return }
    guard let a = actions[name], a.params.count == args.count else {
      throw UsageError("evaluator: action \(name) with \(args.count) argument(s) is not declared")
    }
    let bound = Dictionary(uniqueKeysWithValues: zip(a.params.map(\.name), args))
    try run(a.body, &s, bound)
  }

  private func assign(_ lhs: String, _ v: P4Value, _ s: inout [String: P4Value]) throws {
    let (path, slice) = P4Check.lvalue(lhs)
    guard let w = widths[path] else { throw UsageError("evaluator: assignment to \(path)") }
    guard let sl = slice else {
      s[path] = P4Value(words: v.words, width: w, style: .decimal)
      return
    }
    var words = (s[path] ?? P4Value(0, width: w)).words
    for i in 0...(sl.hi - sl.lo) {
      let b = sl.lo + i
      let bit = i < v.width && v.bit(i)
      if bit { words[b >> 6] |= 1 << UInt64(b & 63) } else { words[b >> 6] &= ~(1 << UInt64(b & 63)) }
    }
    s[path] = P4Value(words: words, width: w, style: .decimal)
  }

  private func eval(_ e: P4Expr, _ s: [String: P4Value], _ params: [String: P4Value]) throws -> P4Value {
    switch e {
    case .ref(let p):
      if let v = params[p] ?? s[p] { return v }
      throw UsageError("evaluator: unknown field \(p)")
    case .constant(let c):
      guard let v = constants[c] else { throw UsageError("evaluator: unknown constant \(c)") }
      return v
    case .int(let v, let w): return P4Value(v, width: w)
    case .cast(let w, let a): return P4Value(words: try eval(a, s, params).words, width: w, style: .decimal)
    case .slice(let a, let hi, let lo):
      let v = try eval(a, s, params)
      var words = [UInt64](repeating: 0, count: (hi - lo + 64) / 64)
      for i in 0...(hi - lo) where v.bit(lo + i) { words[i >> 6] |= 1 << UInt64(i & 63) }
      return P4Value(words: words, width: hi - lo + 1, style: .decimal)
    case .not(let a): return P4Value(try eval(a, s, params).isZero ? 1 : 0, width: 1)
    case .binary(let op, let a, let b):
      let x = try eval(a, s, params)
      let y = try eval(b, s, params)
      func bool(_ c: Bool) -> P4Value { P4Value(c ? 1 : 0, width: 1) }
      switch op {
      case "==": return bool(P4Value.compare(x, y) == 0)
      case "!=": return bool(P4Value.compare(x, y) != 0)
      case "<": return bool(P4Value.compare(x, y) < 0)
      case "<=": return bool(P4Value.compare(x, y) <= 0)
      case ">": return bool(P4Value.compare(x, y) > 0)
      case ">=": return bool(P4Value.compare(x, y) >= 0)
      case "&&": return bool(!x.isZero && !y.isZero)
      case "||": return bool(!x.isZero || !y.isZero)
      default: break
      }
      guard let u = x.uint64, let v = y.uint64, x.width <= 64 else {
        throw UsageError("evaluator: operator \(op) on a value wider than 64 bits")
      }
      let w = x.width
      let mask = w >= 64 ? UInt64.max : (UInt64(1) << UInt64(w)) - 1
      switch op {
      case "+": return P4Value(u &+ v, width: w)
      case "-": return P4Value(u &- v, width: w)
      case "|+|":
        let (r, o) = u.addingReportingOverflow(v)
        return P4Value(o || r > mask ? mask : r, width: w)
      case "&": return P4Value(u & v, width: w)
      case "|": return P4Value(u | v, width: w)
      case "<<": return P4Value(v >= 64 ? 0 : u << v, width: w)
      case ">>": return P4Value(v >= 64 ? 0 : u >> v, width: w)
      default: throw UsageError("evaluator: unsupported operator \(op)")
      }
    case .intrinsic, .isValid:
      throw UsageError("evaluator: \(e) is outside the table pipeline")
    }
  }
}
