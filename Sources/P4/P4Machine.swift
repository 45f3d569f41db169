import DUNESupport
import DataPlane

/// A reference interpreter of a `P4Program`: parser, ingress (tables, registers, hashes, digest)
/// and header state, with bmv2 semantics (first-added entry wins among equal priorities, smaller
/// priority wins, CRC16/CRC32 as `HashAlgorithm.crc16/crc32`). Used by the entry evaluator (the
/// inference block only) and by the program replay (whole packets through a chain of switches).
///
/// The program is compiled once (`P4Machine+Code.swift`): every field path, constant, action,
/// table, register and hash is resolved to an index, statements and expressions become node
/// arrays, and the per-packet state is one flat word array (`mem`: fields, then table-key and
/// wide-value scratch). Action bodies are compiled per argument-width signature, so an argument
/// keeps exactly the width its entry gave it. Running a packet (`P4Machine+Run.swift`) hashes no
/// string and allocates nothing.
struct P4Machine {
  let program: P4Program
  /// Width of every field path (`meta.x`, `hdr.h.f`).
  let widths: [String: Int]
  var code: Code
  var tables: [Table]
  let ingressBlock: Int
  let inferenceBlock: Int
  let hasRegisters: Bool

  // Per-packet state.
  /// Field words, then table-key and wide-expression scratch.
  var mem: [UInt64]
  /// Validity per header name (`Code.names`).
  var validFlags: [Bool]
  var timestampNs: UInt64 = 0
  var ingressPort: UInt64 = 0
  var egressPort: UInt64?
  var digests: [[String: UInt64]] = []
  var dropped = false
  /// Register cells, one array after the other (`registerBase`).
  var cells: [UInt64] = []
  var registerBase: [Int] = []
  var hashBytes: [UInt8] = []

  init(program: P4Program, entries: P4EntrySet, withRegisters: Bool) {
    self.program = program
    var code = Code(program: program)
    var w: [String: Int] = [:]
    for (path, f) in code.fields { w[path] = f.width }
    widths = w
    var tables: [Table] = []
    for t in program.tables {
      let exactOnly = !t.needsPriority
      let flat = FlatTable(t)
      tables.append(
        Table(
          keys: t.keys.map { code.expr(.ref($0.field), [:]) }, exactOnly: exactOnly,
          keyWords: exactOnly ? t.keys.map { _ in 1 } : flat.words, exact: ExactIndex(keys: t.keys.count), flat: flat,
          defaultCall: code.call(t.defaultAction.action, t.defaultAction.args)))
    }
    ingressBlock = code.block(program.ingress, [:])
    inferenceBlock = code.block(program.inferenceBlock, [:])
    code.compileParser()
    self.code = code
    self.tables = tables
    hasRegisters = withRegisters
    mem = [UInt64](repeating: 0, count: max(1, code.memWords))
    validFlags = [Bool](repeating: false, count: code.names.count)
    if withRegisters {
      var total = 0
      for r in code.registers {
        registerBase.append(total)
        total += max(0, r.size)
      }
      // One allocation: the arrays are large (a cell per flow slot) and all zero.
      cells = [UInt64](repeating: 0, count: total)
    }
    for e in entries.entries { insert(e) }
    for t in self.tables.indices where self.tables[t].dirty { rebuild(t) }
  }

  /// Adds an entry after the existing ones (bmv2 `table_add`). Entries of undeclared tables, or
  /// with another number of keys than their table, can never match and are dropped.
  mutating func insert(_ e: P4Entry) {
    guard let t = code.tableIDs[e.table], e.keys.count == tables[t].keys.count else { return }
    let call = code.call(e.action, e.params)
    growMemory()
    if tables[t].exactOnly {
      let key = e.keys.map { m -> UInt64 in
        if case .exact(let v) = m { return v.uint64 ?? 0 }
        return 0
      }
      tables[t].exact.insertIfAbsent(key, call)
    } else {
      // Stable: after every entry with a priority ≤ this one.
      let at = tables[t].entries.firstIndex { ($0.priority ?? 0) > (e.priority ?? 0) } ?? tables[t].entries.count
      tables[t].entries.insert(e, at: at)
      tables[t].calls.insert(call, at: at)
      tables[t].dirty = true
    }
  }

  mutating func rebuild(_ t: Int) {
    tables[t].flat.rebuild(tables[t].entries)
    tables[t].dirty = false
  }

  /// Action bodies compiled for a new argument signature may need more scratch words.
  private mutating func growMemory() {
    if mem.count < code.memWords { mem += [UInt64](repeating: 0, count: code.memWords - mem.count) }
    if validFlags.count < code.names.count {
      validFlags += [Bool](repeating: false, count: code.names.count - validFlags.count)
    }
  }

  /// Zero metadata and no valid header: the state at parser start.
  mutating func resetPacket() {
    mem.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    // Reading first: a copied machine (the entry evaluator's) shares the flags until one is set.
    for i in validFlags.indices where validFlags[i] { validFlags[i] = false }
    egressPort = nil
    if !digests.isEmpty { digests = [] }
    dropped = false
  }

  // MARK: - Fields by name (callers and tests)

  /// The storage of field `path`, if declared.
  func field(_ path: String) -> FieldRef? { code.fields[path] }

  /// Sets a field to `v` (truncated to its width).
  mutating func set(_ f: FieldRef, _ v: UInt64) {
    mem[f.offset] = v & Code.mask(f.width)
    for i in 1..<max(1, f.words) { mem[f.offset + i] = 0 }
  }

  /// The value of a field when it fits in 64 bits.
  func value(_ f: FieldRef) -> UInt64? {
    for i in 1..<max(1, f.words) where mem[f.offset + i] != 0 { return nil }
    return mem[f.offset]
  }

  /// Every declared field's current value (a snapshot for tests; the machine does not keep one).
  var state: [String: P4Value] {
    var out: [String: P4Value] = [:]
    for (path, f) in code.fields {
      out[path] = P4Value(words: Array(mem[f.offset..<(f.offset + f.words)]), width: f.width, style: .decimal)
    }
    return out
  }

  /// The names of the valid headers.
  var valid: Set<String> { Set(code.names.indices.filter { validFlags[$0] }.map { code.names[$0] }) }

  /// Register arrays by name (empty without registers).
  var registers: [String: [UInt64]] {
    var out: [String: [UInt64]] = [:]
    guard hasRegisters else { return out }
    for (i, r) in code.registers.enumerated() {
      out[r.name] = Array(cells[registerBase[i]..<(registerBase[i] + r.size)])
    }
    return out
  }

  /// The controller's register reset: every array's cell `slot` (where it exists) becomes 0.
  mutating func clearRegisters(at slot: Int) {
    guard hasRegisters else { return }
    for (i, r) in code.registers.enumerated() where slot >= 0 && slot < r.size { cells[registerBase[i] + slot] = 0 }
  }

  // MARK: - Control

  /// Runs the ingress apply block.
  mutating func runIngress() throws { try exec(block: ingressBlock, args: 0) }

  /// Runs the inference block.
  mutating func runInference() throws { try exec(block: inferenceBlock, args: 0) }

  /// Runs a statement list (the compiled ingress or inference block when it is one of them).
  mutating func run(_ list: [P4Stmt]) throws {
    if list == program.ingress { return try runIngress() }
    if list == program.inferenceBlock { return try runInference() }
    let b = code.block(list, [:])
    growMemory()
    try exec(block: b, args: 0)
  }

  // MARK: - Wire

  /// The headers the deparser can emit, by index: the program's headers in declaration order.
  var wireLayout: P4Wire.Layout {
    P4Wire.Layout(instances: program.headers.map(\.instance), fields: code.deparse.map { $0.fields.map(\.name) })
  }

  /// How headers of `layout` feed this machine's parser.
  func link(from layout: P4Wire.Layout) -> P4Wire.Link {
    var link = P4Wire.Link(nameID: [], fieldSource: [])
    for (k, inst) in layout.instances.enumerated() {
      guard let id = code.nameIDs[inst], id < code.extractFields.count else {
        link.nameID.append(-1)
        link.fieldSource.append([])
        continue
      }
      link.nameID.append(id)
      link.fieldSource.append(code.extractFields[id].map { f in layout.fields[k].firstIndex(of: f.name) ?? -1 })
    }
    return link
  }

  /// Runs the parser over `wire`: the headers present on the wire, in order, with their field values.
  mutating func parse(_ wire: [(instance: String, fields: [String: UInt64])]) throws {
    let layout = P4Wire.Layout(instances: wire.map(\.instance), fields: wire.map { Array($0.fields.keys) })
    var w = P4Wire()
    for (k, h) in wire.enumerated() { w.append(kind: k, layout.fields[k].map { h.fields[$0]! }) }
    try parse(w, link(from: layout))
  }

  /// The headers the deparser emits (valid ones, in declaration order).
  func deparse() -> [(instance: String, fields: [String: UInt64])] {
    var w = P4Wire()
    deparse(into: &w)
    return w.headers(wireLayout)
  }

  /// Emits the valid headers in declaration order into `wire` (replacing its content).
  func deparse(into wire: inout P4Wire) {
    wire.removeAll()
    for (j, h) in code.deparse.enumerated() where validFlags[h.name] {
      wire.begin(kind: j)
      for f in h.fields { wire.values.append(value(f) ?? 0) }
    }
  }

  /// Runs the parser over a wire whose header kinds `link` maps to this machine's names.
  mutating func parse(_ wire: P4Wire, _ link: P4Wire.Link) throws {
    var pos = 0
    var current = code.parserStart
    var steps = 0
    while current != -1 && current != -2 {
      steps += 1
      guard steps < 64, current >= 0 else {
        throw UsageError("parser: unknown or looping state \(code.stateName(current))")
      }
      let st = current
      for h in code.parser[st].extracts {
        guard pos < wire.kinds.count, link.nameID[wire.kinds[pos]] == h else { return }  // packet too short for h
        let kind = wire.kinds[pos]
        let start = wire.starts[pos]
        let source = link.fieldSource[kind]
        for (j, f) in code.extractFields[h].enumerated() {
          set(f, source[j] >= 0 ? wire.values[start + source[j]] : 0)
        }
        validFlags[h] = true
        pos += 1
      }
      for (lv, e) in code.parser[st].assignments { try assign(lv, e, args: 0) }
      switch code.parser[st].transition {
      case .to(let t): current = t
      case .select(let keys, let cases, let otherwise):
        let base = code.selectScratch
        for (i, k) in keys.enumerated() { mem[base + i] = try fitting(k, args: 0) ?? 0 }
        current = otherwise
        for c in cases where c.values.count == keys.count {
          var same = true
          for (i, v) in c.values.enumerated() where mem[base + i] != v {
            same = false
            break
          }
          if same {
            current = c.target
            break
          }
        }
      }
    }
  }
}
