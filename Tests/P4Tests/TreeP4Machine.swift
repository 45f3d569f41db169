import DUNESupport
import DataPlane

@testable import P4

/// The tree-walking interpreter the compiled `P4Machine` replaced (string-keyed state, names
/// resolved per statement), kept verbatim as the reference the differential tests compare with.
struct TreeP4Machine {
  let program: P4Program
  private let tables: [String: P4Table]
  private let actions: [String: P4Action]
  private let constants: [String: P4Value]
  /// Width of every field path (`meta.x`, `hdr.h.f`).
  let widths: [String: Int]
  private let headerFields: [String: [P4Field]]
  /// Per header instance: its fields with their full paths (no string building per packet).
  private let headerPaths: [String: [(field: P4Field, path: String)]]
  /// The metadata state at parser start (copied per packet, not rebuilt).
  private let zeroState: [String: P4Value]
  /// Parsed left-hand sides (`meta.codeword0[5:0]` → path and slice), by statement text.
  private let lvalues: [String: (path: String, slice: (hi: Int, lo: Int)?)]
  /// `hdr.x` / `x` → header instance `x`.
  private let instances: [String: String]
  /// Per table: entries in lookup order (priority ascending, then insertion order).
  private var lookup: [String: [P4Entry]] = [:]
  /// Per ternary/range table: the entries' bounds as flat words, in lookup order (no per-entry
  /// retain/release in the hot loop).
  private var flat: [String: FlatTable] = [:]

  /// Ternary/range entries as flat word arrays: per entry and key, `words` words of value (or lo)
  /// followed by `words` words of mask (or hi).
  struct FlatTable {
    var kinds: [P4MatchKind]
    var words: [Int]
    var stride: Int
    var data: [UInt64] = []
    var count = 0

    init(_ t: P4Table) {
      kinds = t.keys.map(\.match)
      words = t.keys.map { max(1, ($0.width + 63) / 64) }
      stride = words.reduce(0) { $0 + 2 * $1 }
    }

    mutating func rebuild(_ entries: [P4Entry]) {
      data = []
      data.reserveCapacity(entries.count * stride)
      for e in entries {
        for (k, m) in e.keys.enumerated() {
          let (a, b): (P4Value, P4Value)
          switch m {
          case .exact(let v): (a, b) = (v, v)
          case .ternary(let v, let mask): (a, b) = (v, mask)
          case .range(let lo, let hi): (a, b) = (lo, hi)
          }
          for i in 0..<words[k] { data.append(i < a.words.count ? a.words[i] : 0) }
          for i in 0..<words[k] { data.append(i < b.words.count ? b.words[i] : 0) }
        }
      }
      count = entries.count
    }

    /// Index of the first entry matching `keys` (one word array per key), or nil.
    func first(_ keys: [[UInt64]]) -> Int? {
      data.withUnsafeBufferPointer { d in
        var o = 0
        for e in 0..<count {
          var ok = true
          var p = o
          for k in 0..<kinds.count where ok {
            let n = words[k]
            let key = keys[k]
            switch kinds[k] {
            case .ternary:
              for i in 0..<n where (i < key.count ? key[i] : 0) & d[p + n + i] != d[p + i] {
                ok = false
                break
              }
            case .range:
              // Multi-word compare, most significant word first.
              var geLo = true
              var leHi = true
              var decidedLo = false
              var decidedHi = false
              for i in (0..<n).reversed() {
                let x = i < key.count ? key[i] : 0
                if !decidedLo && x != d[p + i] {
                  geLo = x > d[p + i]
                  decidedLo = true
                }
                if !decidedHi && x != d[p + n + i] {
                  leHi = x < d[p + n + i]
                  decidedHi = true
                }
              }
              ok = geLo && leHi
            case .exact:
              for i in 0..<n where (i < key.count ? key[i] : 0) != d[p + i] {
                ok = false
                break
              }
            }
            p += 2 * n
          }
          if ok { return e }
          o += stride
        }
        return nil
      }
    }
  }
  /// Exact-only tables: the first entry of every key tuple.
  private var exactIndex: [String: [[UInt64]: P4Entry]] = [:]
  /// Register arrays.
  var registers: [String: [UInt64]] = [:]

  // Per-packet state.
  var state: [String: P4Value] = [:]
  var valid: Set<String> = []
  var timestampNs: UInt64 = 0
  var ingressPort: UInt64 = 0
  var egressPort: UInt64?
  var digests: [[String: UInt64]] = []
  var dropped = false

  init(program: P4Program, entries: P4EntrySet, withRegisters: Bool) {
    self.program = program
    tables = Dictionary(program.tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    actions = Dictionary(program.actions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    constants = Dictionary(
      program.constants.map { ($0.name, P4Value($0.value, width: $0.width)) }, uniquingKeysWith: { a, _ in a })
    var w: [String: Int] = [:]
    var hf: [String: [P4Field]] = [:]
    for f in program.metadata { w["meta." + f.name] = f.width }
    for h in program.headers {
      hf[h.instance] = h.fields
      for f in h.fields { w["hdr.\(h.instance).\(f.name)"] = f.width }
    }
    widths = w
    headerFields = hf
    headerPaths = Dictionary(
      program.headers.map { h in (h.instance, h.fields.map { ($0, "hdr.\(h.instance).\($0.name)") }) },
      uniquingKeysWith: { a, _ in a })
    zeroState = Dictionary(
      program.metadata.map { ("meta." + $0.name, P4Value(0, width: $0.width)) }, uniquingKeysWith: { a, _ in a })
    lvalues = Dictionary(Self.assignedPaths(program).map { ($0, P4Check.lvalue($0)) }, uniquingKeysWith: { a, _ in a })
    instances = Dictionary(
      program.headers.flatMap { [("hdr." + $0.instance, $0.instance), ($0.instance, $0.instance)] },
      uniquingKeysWith: { a, _ in a })
    for e in entries.entries { insert(e) }
    for t in program.tables where t.needsPriority { reindex(t) }
    if withRegisters {
      for r in program.registers { registers[r.name] = [UInt64](repeating: 0, count: r.size) }
    }
  }

  /// Adds an entry after the existing ones (bmv2 `table_add`).
  mutating func insert(_ e: P4Entry) {
    guard let t = tables[e.table] else { return }
    if t.needsPriority {
      var list = lookup[e.table, default: []]
      // Stable: after every entry with a priority ≤ this one.
      let at = list.firstIndex { ($0.priority ?? 0) > (e.priority ?? 0) } ?? list.count
      list.insert(e, at: at)
      lookup[e.table] = list
      flat[e.table] = nil  // rebuilt lazily by `index()`
    } else {
      let key = e.keys.map { m -> UInt64 in
        if case .exact(let v) = m { return v.uint64 ?? 0 }
        return 0
      }
      if exactIndex[e.table, default: [:]][key] == nil { exactIndex[e.table, default: [:]][key] = e }
    }
  }

  private mutating func reindex(_ t: P4Table) {
    var f = FlatTable(t)
    f.rebuild(lookup[t.name] ?? [])
    flat[t.name] = f
  }

  /// Zero metadata and no valid header: the state at parser start.
  mutating func resetPacket() {
    state = zeroState
    valid = []
    egressPort = nil
    digests = []
    dropped = false
  }

  // MARK: - Parser

  /// Runs the parser over `wire`: the headers present on the wire, in order, with their field values.
  mutating func parse(_ wire: [(instance: String, fields: [String: UInt64])]) throws {
    var pos = 0
    var current = program.parserStates.first?.name ?? "accept"
    var steps = 0
    while current != "accept" && current != "reject" {
      steps += 1
      guard steps < 64, let st = program.parserStates.first(where: { $0.name == current }) else {
        throw UsageError("parser: unknown or looping state \(current)")
      }
      for h in st.extracts {
        guard pos < wire.count, wire[pos].instance == h else { return }  // packet too short for h
        for (f, path) in headerPaths[h] ?? [] {
          state[path] = P4Value(wire[pos].fields[f.name] ?? 0, width: f.width)
        }
        valid.insert(h)
        pos += 1
      }
      for a in st.assignments { try assign(a.lhs, try eval(a.rhs, [:])) }
      switch st.transition {
      case .accept: current = "accept"
      case .state(let n): current = n
      case .select(let keys, let cases, let otherwise):
        let values = try keys.map { try eval($0.expr, [:]).uint64 ?? 0 }
        current = cases.first { $0.values == values }?.state ?? otherwise
      }
    }
  }

  /// The headers the deparser emits (valid ones, in declaration order).
  func deparse() -> [(instance: String, fields: [String: UInt64])] {
    program.headers.filter { valid.contains($0.instance) }.map { h in
      (
        h.instance,
        Dictionary(
          uniqueKeysWithValues: (headerPaths[h.instance] ?? []).map { ($0.field.name, state[$0.path]?.uint64 ?? 0) })
      )
    }
  }

  // MARK: - Control

  mutating func run(_ list: [P4Stmt], _ params: [String: P4Value] = [:]) throws {
    for st in list { try exec(st, params) }
  }

  private mutating func exec(_ st: P4Stmt, _ params: [String: P4Value]) throws {
    switch st {
    case .assign(let lhs, let rhs): try assign(lhs, try eval(rhs, params))
    case .apply(let t): _ = try apply(t)
    case .applyHit(let t, let hit, let miss): try run(try apply(t) ? hit : miss, params)
    case .call(let a): try runAction(a, [])
    case .ifElse(let c, let yes, let no): try run(try eval(c, params).isZero ? no : yes, params)
    case .comment: break
    case .setValid(let h): valid.insert(instance(h))
    case .setInvalid(let h): valid.remove(instance(h))
    case .drop: dropped = true
    case .setEgress(let e): egressPort = try eval(e, params).uint64
    case .digest:
      guard let d = program.digest else { return }
      var rec: [String: UInt64] = [:]
      for f in d.fields { rec[f.field.name] = try eval(f.value, params).uint64 ?? 0 }
      digests.append(rec)
    case .hash(let name):
      guard let h = program.hashes.first(where: { $0.name == name }) else { throw UsageError("unknown hash \(name)") }
      // The field list serialised most significant bit first, as the targets feed it to the CRC.
      var bytes: [UInt8] = []
      var acc: UInt8 = 0
      var pending = 0
      for e in h.inputs {
        let v = try eval(e, params)
        for i in (0..<v.width).reversed() {
          acc = acc << 1 | (v.bit(i) ? 1 : 0)
          pending += 1
          if pending == 8 {
            bytes.append(acc)
            (acc, pending) = (0, 0)
          }
        }
      }
      guard pending == 0 else { throw UsageError("hash \(name): input is not whole bytes") }
      let value: UInt64 = h.algorithm == .crc16 ? UInt64(CRC.crc16(bytes)) : UInt64(CRC.crc32(bytes))
      try assign(h.output, P4Value(value, width: h.width))
    case .register(let name, let opName, let output):
      guard let r = program.registers.first(where: { $0.name == name }),
        let op = r.operations.first(where: { $0.name == opName }), let size = registers[name]?.count
      else { throw UsageError("unknown register operation \(name).\(opName)") }
      let index = Int(state["meta.slot"]?.uint64 ?? 0)
      guard index < size else { return }
      let mask = r.width >= 64 ? UInt64.max : (UInt64(1) << UInt64(r.width)) - 1
      let old = registers[name]![index]
      var new = old
      var out = old
      func v(_ e: P4Expr) throws -> UInt64 { (try eval(e, params).uint64 ?? 0) & mask }
      switch op.kind {
      case .readThenSet(let c): new = c & mask
      case .read: break
      case .write(let e):
        new = try v(e)
        out = new
      case .swap(let e): new = try v(e)
      case .swapDifference(let e):
        new = try v(e)
        out = (new &- old) & mask
      case .addSaturating(let e):
        new = min(old + (try v(e)), mask)
        out = new
      case .max(let e):
        new = max(old, try v(e))
        out = new
      case .min(let e):
        new = min(old, try v(e))
        out = new
      case .claim(let e):
        // Identity in the high half, count in the low one; the element is stored whole.
        let id = try v(e)
        let count = old & mask
        if count == 0 || old >> UInt64(r.width) == id {
          out = min(count + 1, mask)
          new = id << UInt64(r.width) | out
        } else {
          out = 0
        }
      }
      // In place: copying the array out and back would copy all its cells on every access.
      registers[name]![index] = new
      try assign(output, P4Value(out, width: r.width))
    }
  }

  private func instance(_ h: String) -> String { instances[h] ?? h.split(separator: ".").last.map(String.init) ?? h }

  /// Every left-hand side the program assigns (parser, statements, action bodies, hash and
  /// register outputs), for the `lvalues` cache.
  private static func assignedPaths(_ p: P4Program) -> Set<String> {
    var out: Set<String> = []
    func walk(_ list: [P4Stmt]) {
      for st in list {
        switch st {
        case .assign(let lhs, _): out.insert(lhs)
        case .applyHit(_, let a, let b), .ifElse(_, let a, let b):
          walk(a)
          walk(b)
        case .register(_, _, let output): out.insert(output)
        default: break
        }
      }
    }
    walk(p.ingress)
    walk(p.inferenceBlock)
    for a in p.actions { walk(a.body) }
    for st in p.parserStates { for a in st.assignments { out.insert(a.lhs) } }
    for h in p.hashes { out.insert(h.output) }
    return out
  }

  /// Applies table `name`; returns whether an entry hit.
  private mutating func apply(_ name: String) throws -> Bool {
    guard let table = tables[name] else { throw UsageError("unknown table \(name)") }
    let keys = try table.keys.map { try eval(.ref($0.field), [:]) }
    if !table.needsPriority {
      if let e = exactIndex[name]?[keys.map { $0.uint64 ?? 0 }] {
        try runAction(e.action, e.params)
        return true
      }
    } else {
      if flat[name] == nil { reindex(table) }
      if let i = flat[name]!.first(keys.map(\.words)) {
        let e = lookup[name]![i]
        try runAction(e.action, e.params)
        return true
      }
    }
    try runAction(table.defaultAction.action, table.defaultAction.args)
    return false
  }

  private mutating func runAction(_ name: String, _ args: [P4Value]) throws {
    if name == "NoAction" { return }
    guard let a = actions[name], a.params.count == args.count else {
      throw UsageError("action \(name) with \(args.count) argument(s) is not declared")
    }
    try run(a.body, Dictionary(uniqueKeysWithValues: zip(a.params.map(\.name), args)))
  }

  mutating func assign(_ lhs: String, _ v: P4Value) throws {
    let (path, slice) = lvalues[lhs] ?? P4Check.lvalue(lhs)
    guard let w = widths[path] else { throw UsageError("assignment to undeclared \(path)") }
    guard let sl = slice else {
      state[path] = P4Value(words: v.words, width: w, style: .decimal)
      return
    }
    var words = (state[path] ?? P4Value(0, width: w)).words
    for i in 0...(sl.hi - sl.lo) {
      let b = sl.lo + i
      if i < v.width && v.bit(i) {
        words[b >> 6] |= 1 << UInt64(b & 63)
      } else {
        words[b >> 6] &= ~(1 << UInt64(b & 63))
      }
    }
    state[path] = P4Value(words: words, width: w, style: .decimal)
  }

  func eval(_ e: P4Expr, _ params: [String: P4Value]) throws -> P4Value {
    switch e {
    case .ref(let p):
      if let v = params[p] ?? state[p] { return v }
      if let w = widths[p] { return P4Value(0, width: w) }  // fields of headers never extracted
      throw UsageError("unknown field \(p)")
    case .constant(let c):
      guard let v = constants[c] else { throw UsageError("unknown constant \(c)") }
      return v
    case .int(let v, let w): return P4Value(v, width: w)
    case .intrinsic(let i):
      switch i {
      case .ingressPort: return P4Value(ingressPort, width: 9)
      case .timestampNsHigh: return P4Value((timestampNs >> 16) & 0xFFFF_FFFF, width: 32)
      case .timestampNsLow: return P4Value(timestampNs & 0xFFFF, width: 16)
      }
    case .isValid(let h): return P4Value(valid.contains(instance(h)) ? 1 : 0, width: 1)
    case .cast(let w, let a): return P4Value(words: try eval(a, params).words, width: w, style: .decimal)
    case .slice(let a, let hi, let lo):
      let v = try eval(a, params)
      var words = [UInt64](repeating: 0, count: (hi - lo + 64) / 64)
      for i in 0...(hi - lo) where v.bit(lo + i) { words[i >> 6] |= 1 << UInt64(i & 63) }
      return P4Value(words: words, width: hi - lo + 1, style: .decimal)
    case .not(let a): return P4Value(try eval(a, params).isZero ? 1 : 0, width: 1)
    case .binary(let op, let a, let b):
      let x = try eval(a, params)
      let y = try eval(b, params)
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
        throw UsageError("operator \(op) on a value wider than 64 bits")
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
      default: throw UsageError("unsupported operator \(op)")
      }
    }
  }
}
