extension P4Program {
  /// The length of the ingress dependency chain in pipeline stages: a lower-bound estimate of the
  /// Tofino MAU stages the program needs, whatever the memory (`data-plane.md` §7.4).
  ///
  /// The resource model's stage count (§9.3) assumes an ideally arranged program (registers four
  /// per stage, tables packed); this counts what the generated control flow imposes. Model: a
  /// value produced in stage s (an action, register or hash output, a table's hit bit) is usable
  /// from stage s + 1; an operation runs in the first stage where all it reads — its operands, the
  /// register index, table keys, and the fields of every enclosing condition (a gateway beside
  /// it) — are available. Independent operations share stages; per-stage resource limits (16
  /// tables, 4 register ALUs, crossbars) and the compiler's finer dependency kinds are ignored,
  /// so the true count can only be higher.
  public var dependencyStages: Int {
    var analysis = DependencyStages(program: self)
    analysis.walk(ingress, gate: 0)
    return analysis.used
  }
}

/// The stage-assignment walk behind `P4Program.dependencyStages`.
struct DependencyStages {
  let program: P4Program
  /// Stage from which each written field is available (fields never written: 0, from the parser).
  var ready: [String: Int] = [:]
  /// Number of stages used so far (highest stage index + 1).
  var used = 0

  init(program: P4Program) { self.program = program }

  func base(_ path: String) -> String { P4Check.lvalue(path).path }

  func available(_ e: P4Expr) -> Int {
    switch e {
    case .ref(let p): return ready[base(p)] ?? 0
    case .constant, .int, .intrinsic, .isValid: return 0
    case .binary(_, let a, let b): return max(available(a), available(b))
    case .not(let a), .cast(_, let a), .slice(let a, _, _): return available(a)
    }
  }

  /// Every placed operation's stage and writes, in program order (for explaining the count).
  var trace: [(stage: Int, writes: [String])] = []

  /// Records an operation in stage `s` whose results appear in `writes`.
  mutating func place(_ s: Int, writes: [String]) {
    trace.append((s, writes))
    used = max(used, s + 1)
    for w in writes { ready[base(w)] = max(ready[base(w)] ?? 0, s + 1) }
  }

  /// Fields an action body assigns and the stage its reads need.
  func body(_ list: [P4Stmt]) -> (writes: [String], needs: Int) {
    var writes: [String] = []
    var needs = 0
    for st in list {
      switch st {
      case .assign(let lhs, let rhs):
        writes.append(lhs)
        needs = max(needs, available(rhs))
      case .setEgress(let e): needs = max(needs, available(e))
      default: break
      }
    }
    return (writes, needs)
  }

  mutating func table(_ name: String, gate: Int) -> Int {
    guard let t = program.table(name) else { return gate }
    var s = gate
    for k in t.keys { s = max(s, ready[base(k.field)] ?? 0) }
    var writes: [String] = []
    for a in t.actions + [t.defaultAction.action] {
      guard let act = program.action(a) else { continue }
      let b = body(act.body)
      s = max(s, b.needs)
      writes += b.writes
    }
    place(s, writes: writes)
    return s
  }

  /// Two exclusive branches: each sees the state before the condition (a write in one does not
  /// delay a read in the other); afterwards a field is ready when the later branch has it.
  mutating func branches(_ a: [P4Stmt], _ b: [P4Stmt], gate: Int) {
    let before = ready
    walk(a, gate: gate)
    let afterA = ready
    ready = before
    walk(b, gate: gate)
    ready.merge(afterA) { max($0, $1) }
  }

  mutating func walk(_ list: [P4Stmt], gate: Int) {
    for st in list {
      switch st {
      case .assign(let lhs, let rhs):
        // Slices of one field written by different operations are disjoint bits: no dependency.
        place(max(gate, available(rhs)), writes: [lhs])
      case .apply(let t): _ = table(t, gate: gate)
      case .applyHit(let t, let hit, let miss):
        let s = table(t, gate: gate)
        // The hit bit drives a gateway from the next stage on.
        branches(hit, miss, gate: max(gate, s + 1))
      case .call(let a):
        guard let act = program.action(a) else { continue }
        let b = body(act.body)
        place(max(gate, b.needs), writes: b.writes)
      case .ifElse(let c, let yes, let no):
        branches(yes, no, gate: max(gate, available(c)))
      case .hash(let name):
        guard let h = program.hashes.first(where: { $0.name == name }) else { continue }
        place(h.inputs.reduce(gate) { max($0, available($1)) }, writes: [h.output])
      case .register(let name, let opName, let output):
        var s = max(gate, ready["meta.slot"] ?? 0)
        if let op = program.registers.first(where: { $0.name == name })?.operations.first(where: { $0.name == opName }),
          let e = op.kind.input
        {
          s = max(s, available(e))
        }
        place(s, writes: [output])
      case .digest: place(gate, writes: [])
      case .setEgress(let e): place(max(gate, available(e)), writes: [])
      case .drop, .setValid, .setInvalid, .comment: break
      }
    }
  }
}
