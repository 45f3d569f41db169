import DUNESupport

extension P4Machine {
  /// Where a field lives in the machine's flat state: `words` little-endian words at `offset` of
  /// `mem`, holding a value of `width` bits (stored masked, like `P4Value`).
  struct FieldRef: Sendable, Equatable {
    var offset: Int
    var words: Int
    var width: Int
    var name: String = ""
  }

  /// An expression node. Children are node indices; every node has a static width (`Code.width`),
  /// and nodes wider than 64 bits evaluate into their own scratch words of `mem`.
  enum Expr: Sendable {
    /// A field of at most 64 bits.
    case field(Int)
    case fieldWide(Int, words: Int)
    /// An action argument of at most 64 bits, relative to the running call's argument base.
    case param(Int)
    case paramWide(Int, words: Int)
    case constant(UInt64)
    /// Words in `Code.pool`.
    case constantWide(Int, words: Int)
    case ingressPort, timestampHigh, timestampLow
    /// A header name's validity flag.
    case isValid(Int)
    /// Low bits of the child (result ≤ 64 bits).
    case cast(Int)
    case castWide(Int)
    /// Bits from `lo` of the child.
    case slice(Int, lo: Int)
    case sliceWide(Int, lo: Int)
    case not(Int)
    case compare(CompareOp, Int, Int)
    case logic(and: Bool, Int, Int)
    /// Arithmetic on a left operand of at most 64 bits (the result's width); `wider` is the
    /// message thrown when a wide right operand does not fit 64 bits (-1 if it is narrow).
    case arith(ArithOp, Int, Int, wider: Int)
    /// Evaluates `first` and `second` (if ≥ 0), throws `messages[wideRight]` (if ≥ 0) when the
    /// second is wide and does not fit 64 bits, then throws `messages[message]` — the errors of
    /// the tree interpreter, in its order.
    case fail(message: Int, first: Int, second: Int, wideRight: Int)
  }

  enum CompareOp: Sendable { case eq, ne, lt, le, gt, ge }
  enum ArithOp: Sendable { case add, sub, addSat, and, or, shl, shr }

  /// An assignment target.
  enum LValue: Sendable {
    case narrow(Int, mask: UInt64)
    case wide(Int, words: Int, width: Int)
    case slice(Int, words: Int, width: Int, hi: Int, lo: Int)
    /// Throws `messages[i]` (after the right-hand side was evaluated).
    case undeclared(Int)
  }

  enum Stmt: Sendable {
    case assign(LValue, Int)
    case apply(table: Int)
    case applyHit(table: Int, hit: Int, miss: Int)
    /// An action call (`Code.calls`).
    case call(Int)
    case ifElse(Int, yes: Int, no: Int)
    case setValid(Int)
    case setInvalid(Int)
    case drop
    case setEgress(Int)
    case digest(Int)
    case hash(Int)
    case register(Int)
    case fail(Int)
  }

  /// An action invocation: body block (-1: `NoAction`), base of its arguments in `Code.args`, or a
  /// message to throw when it runs.
  struct Call: Sendable {
    var body: Int
    var args: Int
    var fail: Int
  }

  struct HashSite: Sendable {
    var inputs: Range<Int>
    var crc32: Bool
    var width: Int
    var output: LValue
    /// Message index when the inputs are not whole bytes (thrown after evaluating them), or -1.
    var fail: Int
  }

  struct RegisterSite: Sendable {
    /// Register number (`Code.registers`).
    var register: Int
    var kind: Kind
    var expr: Int
    var output: LValue
    /// "unknown register operation" message, thrown when the machine has no registers.
    var missing: Int
    enum Kind: Sendable {
      case readThenSet(UInt64)
      case read, write, swap, swapDifference, addSaturating, max, min
      /// Pair register: claim for the identity (halves of `width` bits, identity in the high one).
      case claim(half: Int)
    }
  }

  struct RegisterInfo: Sendable {
    var name: String
    var width: Int
    var size: Int
  }

  struct ParserState: Sendable {
    var name: String
    var extracts: [Int]
    var assignments: [(LValue, Int)]
    var transition: Transition
  }

  enum Transition: Sendable {
    case to(Int)
    case select(keys: [Int], cases: [(values: [UInt64], target: Int)], otherwise: Int)
  }

  struct Table: Sendable {
    var keys: [Int]
    var exactOnly: Bool
    /// Key words of one lookup in the key scratch (per key: one word for exact-only tables, the
    /// key's flat-table words otherwise).
    var keyWords: [Int]
    var exact: ExactIndex
    var flat: FlatTable
    /// Priority tables: entries and their calls in lookup order.
    var entries: [P4Entry] = []
    var calls: [Int] = []
    var dirty = false
    var defaultCall: Int
  }

  /// Identifies a compiled action body: the action and its arguments' widths.
  struct Signature: Hashable, Sendable {
    var action: Int
    var widths: [Int]
  }

  /// The compiled program: node arrays, layout and the lookup tables that map names to indices
  /// (used while compiling only; the hot path indexes arrays).
  struct Code: Sendable {
    var exprs: [Expr] = []
    var width: [Int] = []
    var wide: [Bool] = []
    var mask: [UInt64] = []
    /// Scratch offset in `mem` of a wide node.
    var scratch: [Int] = []
    var stmts: [Stmt] = []
    var blocks: [Range<Int>] = []
    var items: [Int] = []
    var calls: [Call] = []
    var args: [UInt64] = []
    var pool: [UInt64] = []
    var messages: [String] = []
    var hashes: [HashSite] = []
    var siteExprs: [Int] = []
    var registerSites: [RegisterSite] = []
    var registers: [RegisterInfo] = []
    var digestSites: [Range<Int>] = []
    var digestNames: [String] = []
    var parser: [ParserState] = []
    var parserStart = -1
    var unknownStates: [String] = []

    // Layout.
    var fields: [String: FieldRef] = [:]
    /// Words of all fields (the first part of `mem`).
    var fieldWords = 0
    /// Offset of the table-key scratch in `mem`, and the words `mem` needs (wide-node scratch last).
    var keyScratch = 0
    var memWords = 0
    /// Offset in `mem` of the parser's select-key values.
    var selectScratch = 0
    var names: [String] = []
    var nameIDs: [String: Int] = [:]
    /// Per name: the fields an extract of it writes (the first header so named).
    var extractFields: [[FieldRef]] = []
    /// Per declared header (emit order): its name and the fields the deparser reads.
    var deparse: [(name: Int, fields: [FieldRef])] = []
    var slotField: FieldRef?

    // Names → indices.
    var program: P4Program
    var tableIDs: [String: Int] = [:]
    var actionIDs: [String: Int] = [:]
    var constants: [String: P4Value] = [:]
    var instances: [String: String] = [:]
    var bodies: [Signature: Int] = [:]

    static func mask(_ w: Int) -> UInt64 { w >= 64 ? .max : w <= 0 ? 0 : (UInt64(1) << UInt64(w)) - 1 }
    static func words(_ w: Int) -> Int { max(1, (w + 63) / 64) }

    init(program p: P4Program) {
      program = p
      var widths: [String: Int] = [:]
      var order: [String] = []
      func declare(_ path: String, _ w: Int) {
        if widths[path] == nil { order.append(path) }
        widths[path] = w
      }
      for f in p.metadata { declare("meta." + f.name, f.width) }
      for h in p.headers { for f in h.fields { declare("hdr.\(h.instance).\(f.name)", f.width) } }
      var offset = 0
      for path in order {
        let w = widths[path]!
        fields[path] = FieldRef(offset: offset, words: Self.words(w), width: w, name: path)
        offset += Self.words(w)
      }
      fieldWords = offset
      for (i, t) in p.tables.enumerated() where tableIDs[t.name] == nil { tableIDs[t.name] = i }
      for (i, a) in p.actions.enumerated() where actionIDs[a.name] == nil { actionIDs[a.name] = i }
      for c in p.constants where constants[c.name] == nil { constants[c.name] = P4Value(c.value, width: c.width) }
      for h in p.headers {
        if instances["hdr." + h.instance] == nil { instances["hdr." + h.instance] = h.instance }
        if instances[h.instance] == nil { instances[h.instance] = h.instance }
      }
      // Table keys are looked up in a scratch area after the fields.
      keyScratch = fieldWords
      var most = 0
      for t in p.tables {
        let exactOnly = !t.needsPriority
        most = max(most, exactOnly ? t.keys.count : t.keys.reduce(0) { $0 + Self.words($1.width) })
      }
      memWords = keyScratch + most
      for h in p.headers {
        let id = name(h.instance)
        while extractFields.count <= id { extractFields.append([]) }
        if extractFields[id].isEmpty && deparse.allSatisfy({ $0.name != id }) {
          extractFields[id] = h.fields.map { f in
            var r = fields["hdr.\(h.instance).\(f.name)"]!
            r.width = f.width
            r.name = f.name
            return r
          }
        }
        deparse.append((id, []))
      }
      for j in deparse.indices { deparse[j].fields = extractFields[deparse[j].name] }
      slotField = fields["meta.slot"]
      for r in p.registers where !registers.contains(where: { $0.name == r.name }) {
        // bmv2 keeps the last array of a name; the first declaration's width and operations.
        let size = p.registers.last { $0.name == r.name }!.size
        registers.append(RegisterInfo(name: r.name, width: r.elementWidth, size: size))
      }
    }

    /// The id of a header name (validity flag index), interning it.
    mutating func name(_ n: String) -> Int {
      if let id = nameIDs[n] { return id }
      nameIDs[n] = names.count
      names.append(n)
      return names.count - 1
    }

    func instance(_ h: String) -> String {
      instances[h] ?? h.split(separator: ".").last.map(String.init) ?? h
    }

    mutating func message(_ m: String) -> Int {
      messages.append(m)
      return messages.count - 1
    }

    // MARK: - Expressions

    private mutating func node(_ e: Expr, width w: Int) -> Int {
      exprs.append(e)
      width.append(w)
      let isWide = w > 64
      wide.append(isWide)
      mask.append(Self.mask(w))
      if isWide {
        scratch.append(memWords)
        memWords += Self.words(w)
      } else {
        scratch.append(-1)
      }
      return exprs.count - 1
    }

    private mutating func fail(_ m: String, _ a: Int = -1, _ b: Int = -1, wideRight: String? = nil) -> Int {
      let w = wideRight.map { message($0) } ?? -1
      return node(.fail(message: message(m), first: a, second: b, wideRight: w), width: 1)
    }

    private mutating func value(_ v: P4Value) -> Int {
      if v.width <= 64 { return node(.constant(v.words[0]), width: v.width) }
      let off = pool.count
      pool += v.words
      return node(.constantWide(off, words: v.words.count), width: v.width)
    }

    /// Compiles `e`; `params` maps action parameter names to (offset, width) of their words.
    mutating func expr(_ e: P4Expr, _ params: [String: (offset: Int, width: Int)]) -> Int {
      switch e {
      case .ref(let p):
        if let a = params[p] {
          return a.width <= 64
            ? node(.param(a.offset), width: a.width)
            : node(.paramWide(a.offset, words: Self.words(a.width)), width: a.width)
        }
        if let f = fields[p] {
          return f.width <= 64
            ? node(.field(f.offset), width: f.width) : node(.fieldWide(f.offset, words: f.words), width: f.width)
        }
        return fail("unknown field \(p)")
      case .constant(let c):
        guard let v = constants[c] else { return fail("unknown constant \(c)") }
        return value(v)
      case .int(let v, let w): return value(P4Value(v, width: w))
      case .intrinsic(let i):
        switch i {
        case .ingressPort: return node(.ingressPort, width: 9)
        case .timestampNsHigh: return node(.timestampHigh, width: 32)
        case .timestampNsLow: return node(.timestampLow, width: 16)
        }
      case .isValid(let h): return node(.isValid(name(instance(h))), width: 1)
      case .cast(let w, let a):
        let c = expr(a, params)
        return w <= 64 ? node(.cast(c), width: w) : node(.castWide(c), width: w)
      case .slice(let a, let hi, let lo):
        let c = expr(a, params)
        guard hi >= lo, lo >= 0 else { return fail("slice [\(hi):\(lo)] is empty", c) }
        let w = hi - lo + 1
        return w <= 64 ? node(.slice(c, lo: lo), width: w) : node(.sliceWide(c, lo: lo), width: w)
      case .not(let a): return node(.not(expr(a, params)), width: 1)
      case .binary(let op, let a, let b):
        let x = expr(a, params)
        let y = expr(b, params)
        let cmp: [String: CompareOp] = ["==": .eq, "!=": .ne, "<": .lt, "<=": .le, ">": .gt, ">=": .ge]
        if let c = cmp[op] { return node(.compare(c, x, y), width: 1) }
        if op == "&&" || op == "||" { return node(.logic(and: op == "&&", x, y), width: 1) }
        let wider = "operator \(op) on a value wider than 64 bits"
        guard width[x] <= 64 else { return fail(wider, x, y) }
        let ops: [String: ArithOp] = [
          "+": .add, "-": .sub, "|+|": .addSat, "&": .and, "|": .or, "<<": .shl, ">>": .shr,
        ]
        guard let o = ops[op] else { return fail("unsupported operator \(op)", x, y, wideRight: wider) }
        return node(.arith(o, x, y, wider: wide[y] ? message(wider) : -1), width: width[x])
      }
    }

    // MARK: - Statements

    mutating func lvalue(_ lhs: String) -> LValue {
      let (path, slice) = P4Check.lvalue(lhs)
      guard let f = fields[path] else { return .undeclared(message("assignment to undeclared \(path)")) }
      if let s = slice { return .slice(f.offset, words: f.words, width: f.width, hi: s.hi, lo: s.lo) }
      return f.width <= 64
        ? .narrow(f.offset, mask: Self.mask(f.width)) : .wide(f.offset, words: f.words, width: f.width)
    }

    mutating func block(_ list: [P4Stmt], _ params: [String: (offset: Int, width: Int)]) -> Int {
      var ids: [Int] = []
      for st in list {
        if let s = stmt(st, params) {
          stmts.append(s)
          ids.append(stmts.count - 1)
        }
      }
      let start = items.count
      items += ids
      blocks.append(start..<items.count)
      return blocks.count - 1
    }

    private mutating func stmt(_ st: P4Stmt, _ params: [String: (offset: Int, width: Int)]) -> Stmt? {
      switch st {
      case .assign(let lhs, let rhs):
        let r = expr(rhs, params)
        return .assign(lvalue(lhs), r)
      case .apply(let t):
        guard let id = tableIDs[t] else { return .fail(message("unknown table \(t)")) }
        return .apply(table: id)
      case .applyHit(let t, let hit, let miss):
        guard let id = tableIDs[t] else { return .fail(message("unknown table \(t)")) }
        return .applyHit(table: id, hit: block(hit, params), miss: block(miss, params))
      case .call(let a): return .call(call(a, []))
      case .ifElse(let c, let yes, let no):
        let cond = expr(c, params)
        return .ifElse(cond, yes: block(yes, params), no: block(no, params))
      case .comment: return nil
      case .setValid(let h): return .setValid(name(instance(h)))
      case .setInvalid(let h): return .setInvalid(name(instance(h)))
      case .drop: return .drop
      case .setEgress(let e): return .setEgress(expr(e, params))
      case .digest:
        guard let d = program.digest else { return nil }
        let start = siteExprs.count
        let nodes = d.fields.map { expr($0.value, params) }
        siteExprs += nodes
        digestSites.append(start..<siteExprs.count)
        if digestNames.isEmpty { digestNames = d.fields.map(\.field.name) }
        return .digest(digestSites.count - 1)
      case .hash(let name):
        guard let h = program.hashes.first(where: { $0.name == name }) else {
          return .fail(message("unknown hash \(name)"))
        }
        let nodes = h.inputs.map { expr($0, params) }
        let start = siteExprs.count
        siteExprs += nodes
        let bits = nodes.reduce(0) { $0 + width[$1] }
        let failing = bits % 8 == 0 ? -1 : message("hash \(name): input is not whole bytes")
        hashes.append(
          HashSite(
            inputs: start..<siteExprs.count, crc32: h.algorithm != .crc16, width: h.width, output: lvalue(h.output),
            fail: failing))
        return .hash(hashes.count - 1)
      case .register(let name, let opName, let output):
        let missing = "unknown register operation \(name).\(opName)"
        guard let r = program.registers.first(where: { $0.name == name }),
          let op = r.operations.first(where: { $0.name == opName }),
          let index = registers.firstIndex(where: { $0.name == name })
        else { return .fail(message(missing)) }
        var kind: RegisterSite.Kind
        var e = -1
        switch op.kind {
        case .readThenSet(let c): kind = .readThenSet(c)
        case .read: kind = .read
        case .write(let x):
          kind = .write
          e = expr(x, params)
        case .swap(let x):
          kind = .swap
          e = expr(x, params)
        case .swapDifference(let x):
          kind = .swapDifference
          e = expr(x, params)
        case .addSaturating(let x):
          kind = .addSaturating
          e = expr(x, params)
        case .max(let x):
          kind = .max
          e = expr(x, params)
        case .min(let x):
          kind = .min
          e = expr(x, params)
        case .claim(let x):
          kind = .claim(half: r.width)
          e = expr(x, params)
        }
        registerSites.append(
          RegisterSite(register: index, kind: kind, expr: e, output: lvalue(output), missing: message(missing)))
        return .register(registerSites.count - 1)
      }
    }

    /// The call `runAction(name, args)` of the tree interpreter: its body compiled for the
    /// arguments' widths, the arguments stored once.
    mutating func call(_ name: String, _ args: [P4Value]) -> Int {
      var c = Call(body: -1, args: 0, fail: -1)
      if name != "NoAction" {
        if let id = actionIDs[name], program.actions[id].params.count == args.count {
          let sig = Signature(action: id, widths: args.map(\.width))
          if let b = bodies[sig] {
            c.body = b
          } else {
            var params: [String: (offset: Int, width: Int)] = [:]
            var offset = 0
            for (p, w) in zip(program.actions[id].params, sig.widths) {
              if params[p.name] == nil { params[p.name] = (offset, w) }
              offset += Self.words(w)
            }
            c.body = block(program.actions[id].body, params)
            bodies[sig] = c.body
          }
          c.args = self.args.count
          for a in args { self.args += a.words }
        } else {
          c.fail = message("action \(name) with \(args.count) argument(s) is not declared")
        }
      }
      calls.append(c)
      return calls.count - 1
    }

    // MARK: - Parser

    mutating func compileParser() {
      var index: [String: Int] = [:]
      for (i, s) in program.parserStates.enumerated() where index[s.name] == nil { index[s.name] = i }
      func target(_ n: String) -> Int {
        if n == "accept" { return -1 }
        if n == "reject" { return -2 }
        if let i = index[n] { return i }
        unknownStates.append(n)
        return -2 - unknownStates.count
      }
      parserStart = target(program.parserStates.first?.name ?? "accept")
      selectScratch = memWords
      for s in program.parserStates {
        if case .select(let keys, _, _) = s.transition { memWords = max(memWords, selectScratch + keys.count) }
      }
      for s in program.parserStates {
        let extracts = s.extracts.map { name($0) }
        while extractFields.count < names.count { extractFields.append([]) }
        let assignments = s.assignments.map { a -> (LValue, Int) in
          let r = expr(a.rhs, [:])
          return (lvalue(a.lhs), r)
        }
        let t: Transition
        switch s.transition {
        case .accept: t = .to(-1)
        case .state(let n): t = .to(target(n))
        case .select(let keys, let cases, let otherwise):
          t = .select(
            keys: keys.map { expr($0.expr, [:]) }, cases: cases.map { ($0.values, target($0.state)) },
            otherwise: target(otherwise))
        }
        parser.append(ParserState(name: s.name, extracts: extracts, assignments: assignments, transition: t))
      }
    }

    /// The name of parser target `t` (for the looping/unknown-state error).
    func stateName(_ t: Int) -> String {
      if t >= 0 { return parser[t].name }
      if t == -1 { return "accept" }
      if t == -2 { return "reject" }
      return unknownStates[-3 - t]
    }
  }
}
