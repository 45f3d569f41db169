import DataPlane

/// Structural checks on a program, its entries and emitted text — what can be verified without a
/// P4 toolchain (`data-plane.md` §10.3). Every finding is a human-readable issue string; an empty
/// list means the program passed.
public enum P4Check {
  /// Which target's extra rules to apply.
  public enum Target: Sendable { case bmv2, tofino }

  /// All issues of `program` (and of `entries`, if given) for `target`.
  public static func check(_ program: P4Program, entries: P4EntrySet? = nil, target: Target) -> [String] {
    var issues: [String] = []
    issues += names(program)
    issues += widths(program)
    issues += references(program)
    issues += tables(program)
    issues += types(program)
    issues += straightLineActions(program)
    if let e = entries { issues += self.entries(e, program) }
    if target == .tofino { issues += tofino(program) }
    return issues
  }

  // MARK: - Names

  /// P4_16 keywords and the architecture names a generated identifier must not take.
  static let reserved: Set<String> = [
    "action", "actions", "apply", "bit", "bool", "const", "control", "default", "else", "enum", "error", "exit",
    "extern", "false", "header", "header_union", "if", "in", "inout", "int", "key", "match_kind", "out", "package",
    "parser", "return", "select", "state", "struct", "switch", "table", "transition", "true", "tuple", "typedef",
    "varbit", "verify", "void", "entries", "size", "type", "value_set", "list", "priority", "this", "string",
    "abstract", "main", "NoAction", "accept", "reject", "hdr", "meta", "pkt", "standard_metadata",
  ]

  /// Names the two architectures declare at top level (externs, extern functions, types,
  /// constants, packages) and the parameter names the emitters give the controls: a generated
  /// control-level or top-level declaration with one of these names would shadow or clash with
  /// it. Sources: p4c `p4include/core.p4` and `v1model.p4`; Intel `tofino.p4`/`tofino1arch.p4`
  /// (TNA 1.0.1 and 1.0.2).
  static let architectureNames: Set<String> = [
    // core.p4
    "packet_in", "packet_out", "verify", "NoAction", "exact", "ternary", "lpm", "static_assert",
    // v1model.p4
    "range", "optional", "selector", "standard_metadata_t", "CounterType", "MeterType", "counter", "direct_counter",
    "meter", "direct_meter", "register", "action_profile", "random", "digest", "HashAlgorithm", "mark_to_drop",
    "hash", "action_selector", "CloneType", "Checksum16", "verify_checksum", "update_checksum",
    "verify_checksum_with_payload", "update_checksum_with_payload", "resubmit", "recirculate", "clone", "clone3",
    "truncate", "assert", "assume", "log_msg", "Parser", "VerifyChecksum", "Ingress", "Egress", "ComputeChecksum",
    "Deparser", "V1Switch", "PortId_t", "__v1model_version", "resubmit_preserving_field_list",
    "recirculate_preserving_field_list", "clone_preserving_field_list",
    // tofino.p4 / tofino1arch.p4
    "MulticastGroupId_t", "QueueId_t", "MirrorType_t", "MirrorId_t", "ResubmitType_t", "DigestType_t",
    "ReplicationId_t", "ParserError_t", "PORT_METADATA_SIZE", "MeterType_t", "MeterColor_t", "CounterType_t",
    "SelectorMode_t", "HashAlgorithm_t", "atcam_partition_index", "ingress_intrinsic_metadata_t",
    "ingress_intrinsic_metadata_for_tm_t", "ingress_intrinsic_metadata_from_parser_t",
    "ingress_intrinsic_metadata_for_deparser_t", "egress_intrinsic_metadata_t",
    "egress_intrinsic_metadata_from_parser_t", "egress_intrinsic_metadata_for_deparser_t",
    "egress_intrinsic_metadata_for_output_port_t", "Checksum", "ParserCounter", "ParserPriority", "CRCPolynomial",
    "Hash", "Random", "max", "min", "funnel_shift_right", "invalidate", "port_metadata_unpack", "sizeInBits",
    "sizeInBytes", "Counter", "DirectCounter", "Meter", "DirectMeter", "Lpf", "DirectLpf", "Wred", "DirectWred",
    "Register", "DirectRegister", "RegisterParam", "MathOp_t", "MathUnit", "RegisterAction", "DirectRegisterAction",
    "ActionProfile", "ActionSelector", "SelectorAction", "Mirror", "Resubmit", "Digest", "Atcam", "Alpm",
    "IngressParserT", "EgressParserT", "IngressT", "EgressT", "IngressDeparserT", "EgressDeparserT", "Pipeline",
    "Switch", "IngressParsers", "EgressParsers", "MultiParserPipeline", "MultiParserSwitch",
    // Names the emitters themselves declare or use as control parameters.
    "headers_t", "metadata_t", "egress_headers_t", "egress_metadata_t", "ig_intr_md", "ig_prsr_md", "ig_dprsr_md",
    "ig_tm_md", "eg_intr_md", "eg_prsr_md", "eg_dprsr_md", "eg_oport_md", "pipe", "dune_digest", "DUNE_DIGEST_TYPE",
    "value", "rv", "DuneParser", "DuneVerifyChecksum", "DuneEgress", "DuneComputeChecksum", "DuneDeparser",
    "DuneIngressParser", "DuneIngressDeparser", "DuneEgressParser", "DuneEgressDeparser",
  ]

  static func isIdentifier(_ s: String) -> Bool {
    guard let f = s.unicodeScalars.first, f == "_" || (f.isASCII && f.properties.isAlphabetic) else { return false }
    return s.unicodeScalars.allSatisfy {
      $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
    }
  }

  static func names(_ p: P4Program) -> [String] {
    var issues: [String] = []
    func unique(_ what: String, _ list: [String]) {
      var seen = Set<String>()
      for n in list {
        if !isIdentifier(n) { issues.append("\(what) '\(n)' is not a valid identifier") }
        if reserved.contains(n) { issues.append("\(what) '\(n)' is a reserved word") }
        if !seen.insert(n).inserted { issues.append("\(what) '\(n)' is declared twice") }
      }
    }
    if !isIdentifier(p.name) { issues.append("program name '\(p.name)' is not a valid identifier") }
    unique("metadata field", p.metadata.map(\.name))
    unique("header instance", p.headers.map(\.instance))
    for h in p.headers { unique("field of \(h.typeName)", h.fields.map(\.name)) }
    if let d = p.digest { unique("digest field", d.fields.map(\.field.name)) }
    // Types and constants share the top-level namespace.
    // Instances of one header type must agree on its fields; the type is declared once.
    var headerTypes: [String] = []
    for h in p.headers {
      if let first = p.headers.first(where: { $0.typeName == h.typeName }), first.fields != h.fields {
        issues.append("header type \(h.typeName) has different fields in instances \(first.instance) and \(h.instance)")
      }
      if !headerTypes.contains(h.typeName) { headerTypes.append(h.typeName) }
    }
    let top =
      p.constants.map(\.name) + headerTypes + [p.digest?.typeName].compactMap { $0 } + [p.ingressControl]
    unique("top-level name", top)
    // Everything declared inside the ingress control shares one namespace.
    var local = p.actions.map(\.name) + p.tables.map(\.name) + p.registers.map(\.name)
    local += p.registers.flatMap { r in r.operations.map { "\(r.name)_\($0.name)" } }
    local += p.hashes.flatMap { ["hash_\($0.name)", "compute_\($0.name)"] }
    unique("ingress declaration", local)
    for n in top + local where architectureNames.contains(n) {
      issues.append("'\(n)' is declared by v1model.p4, tna.p4 or the emitted program skeleton")
    }
    for a in p.actions { unique("parameter of \(a.name)", a.params.map(\.name)) }
    for t in p.tables { unique("key name of \(t.name)", t.keys.map(\.name)) }
    return issues
  }

  // MARK: - Widths

  /// Width of a field path (`meta.x`, `hdr.h.f`), or nil if undeclared.
  static func width(of path: String, _ p: P4Program) -> Int? {
    let parts = path.split(separator: ".").map(String.init)
    if parts.count == 2, parts[0] == "meta" { return p.metadataWidth(parts[1]) }
    if parts.count == 3, parts[0] == "hdr", let h = p.headers.first(where: { $0.instance == parts[1] }) {
      return h.fields.first { $0.name == parts[2] }?.width
    }
    return nil
  }

  /// Splits `meta.x[hi:lo]` into the path and the slice bounds.
  static func lvalue(_ s: String) -> (path: String, slice: (hi: Int, lo: Int)?) {
    guard let open = s.firstIndex(of: "["), s.hasSuffix("]") else { return (s, nil) }
    let inner = s[s.index(after: open)..<s.index(before: s.endIndex)].split(separator: ":")
    guard inner.count == 2, let hi = Int(inner[0]), let lo = Int(inner[1]) else { return (s, nil) }
    return (String(s[..<open]), (hi, lo))
  }

  static func widths(_ p: P4Program) -> [String] {
    var issues: [String] = []
    for h in p.headers where h.bitWidth % 8 != 0 {
      issues.append("header \(h.typeName) is \(h.bitWidth) bits, not a multiple of 8")
    }
    if let d = p.digest {
      for f in d.fields where f.field.width % 8 != 0 {
        issues.append("digest field \(f.field.name) is \(f.field.width) bits, not whole bytes")
      }
    }
    for f in p.metadata where f.width < 1 { issues.append("metadata field \(f.name) has width \(f.width)") }
    for t in p.tables {
      for k in t.keys {
        guard let w = width(of: k.field, p) else {
          issues.append("table \(t.name): key field \(k.field) is not declared")
          continue
        }
        if w != k.width { issues.append("table \(t.name): key \(k.field) is bit<\(w)>, declared as \(k.width) bits") }
      }
      if let a = p.action(t.defaultAction.action) {
        if a.params.count != t.defaultAction.args.count {
          issues.append("table \(t.name): default action \(a.name) needs \(a.params.count) argument(s)")
        }
        for (prm, arg) in zip(a.params, t.defaultAction.args) where arg.bitLength > prm.width {
          issues.append("table \(t.name): default argument \(arg.decimal) does not fit \(prm.name) (bit<\(prm.width)>)")
        }
      }
    }
    for a in p.actions {
      for st in a.body {
        guard case .assign(let lhs, let rhs) = st else { continue }
        let (path, slice) = lvalue(lhs)
        guard let w = width(of: path, p) else {
          issues.append("action \(a.name): assigns undeclared field \(path)")
          continue
        }
        var target = w
        if let s = slice {
          if s.hi >= w || s.lo < 0 || s.lo > s.hi {
            issues.append("action \(a.name): slice [\(s.hi):\(s.lo)] outside bit<\(w)> \(path)")
          }
          target = s.hi - s.lo + 1
        }
        if case .ref(let name) = rhs, let prm = a.params.first(where: { $0.name == name }), prm.width != target {
          issues.append("action \(a.name): parameter \(name) is bit<\(prm.width)> but \(lhs) is \(target) bits")
        }
      }
    }
    for r in p.registers {
      if r.size < 1 { issues.append("register \(r.name) has size \(r.size)") }
      for op in r.operations {
        let isClaim: Bool
        if case .claim = op.kind { isClaim = true } else { isClaim = false }
        if r.pair != isClaim {
          issues.append(
            "register \(r.name): operation \(op.name) "
              + (r.pair ? "on a pair register must be a claim" : "is a claim, which needs a pair register"))
        }
      }
    }
    issues += sliceCoverage(p)
    return issues
  }

  /// Fields written by slices (codewords): the slices of all actions must tile the field exactly,
  /// so the codeword width equals the sum of its slices and no bit is written twice.
  static func sliceCoverage(_ p: P4Program) -> [String] {
    var slices: [String: [(hi: Int, lo: Int, action: String)]] = [:]
    for a in p.actions {
      for case .assign(let lhs, _) in a.body {
        let (path, slice) = lvalue(lhs)
        if let sl = slice { slices[path, default: []].append((sl.hi, sl.lo, a.name)) }
      }
    }
    var issues: [String] = []
    for (path, list) in slices.sorted(by: { $0.key < $1.key }) {
      guard let w = width(of: path, p) else { continue }
      var covered = [Int](repeating: 0, count: w)
      for sl in list where sl.lo >= 0 && sl.hi < w && sl.lo <= sl.hi {
        for b in sl.lo...sl.hi { covered[b] += 1 }
      }
      let total = list.reduce(0) { $0 + $1.hi - $1.lo + 1 }
      if total != w || covered.contains(where: { $0 != 1 }) {
        issues.append("\(path): slices written by actions cover \(total) of \(w) bits (overlaps or gaps)")
      }
    }
    return issues
  }

  // MARK: - References (every field used by the control flow exists)

  static func references(_ p: P4Program) -> [String] {
    var issues = Set<String>()
    let consts = Set(p.constants.map(\.name))
    func visit(_ e: P4Expr, _ params: Set<String>, _ ctx: String) {
      switch e {
      case .ref(let path):
        if params.contains(path) { return }
        if width(of: path, p) == nil { issues.insert("\(ctx): reference to undeclared \(path)") }
      case .constant(let c): if !consts.contains(c) { issues.insert("\(ctx): undeclared constant \(c)") }
      case .int(let v, let w):
        if w < 64 && v >> UInt64(w) != 0 { issues.insert("\(ctx): literal \(v) does not fit \(w) bits") }
      case .intrinsic: return
      case .binary(_, let a, let b):
        visit(a, params, ctx)
        visit(b, params, ctx)
      case .not(let a), .cast(_, let a), .slice(let a, _, _): visit(a, params, ctx)
      case .isValid(let h):
        let inst = h.split(separator: ".").last.map(String.init) ?? h
        if !p.headers.contains(where: { $0.instance == inst }) { issues.insert("\(ctx): unknown header \(h)") }
      }
    }
    func walk(_ list: [P4Stmt], _ params: Set<String>, _ ctx: String) {
      for st in list {
        switch st {
        case .assign(let lhs, let rhs):
          let path = lvalue(lhs).path
          if width(of: path, p) == nil { issues.insert("\(ctx): assignment to undeclared \(path)") }
          visit(rhs, params, ctx)
        case .apply(let t):
          if p.table(t) == nil { issues.insert("\(ctx): applies undeclared table \(t)") }
        case .applyHit(let t, let hit, let miss):
          if p.table(t) == nil { issues.insert("\(ctx): applies undeclared table \(t)") }
          walk(hit, params, ctx)
          walk(miss, params, ctx)
        case .call(let a):
          if p.action(a) == nil { issues.insert("\(ctx): calls undeclared action \(a)") }
        case .ifElse(let c, let y, let n):
          visit(c, params, ctx)
          walk(y, params, ctx)
          walk(n, params, ctx)
        case .hash(let h):
          if !p.hashes.contains(where: { $0.name == h }) { issues.insert("\(ctx): unknown hash \(h)") }
        case .register(let r, let op, let out):
          guard let reg = p.registers.first(where: { $0.name == r }) else {
            issues.insert("\(ctx): unknown register \(r)")
            continue
          }
          if !reg.operations.contains(where: { $0.name == op }) {
            issues.insert("\(ctx): unknown operation \(r).\(op)")
          }
          if let w = width(of: out, p) {
            if w != reg.width { issues.insert("\(ctx): \(out) is bit<\(w)> but register \(r) holds bit<\(reg.width)>") }
          } else {
            issues.insert("\(ctx): register output \(out) is not declared")
          }
        case .setEgress(let e): visit(e, params, ctx)
        case .setValid(let h), .setInvalid(let h): visit(.isValid(h), params, ctx)
        case .digest, .drop, .comment: break
        }
      }
    }
    walk(p.ingress, [], "ingress")
    for a in p.actions { walk(a.body, Set(a.params.map(\.name)), "action \(a.name)") }
    for r in p.registers {
      for op in r.operations {
        if let e = op.kind.input { visit(e, [], "register action \(r.name)_\(op.name)") }
      }
    }
    for h in p.hashes {
      for e in h.inputs { visit(e, [], "hash \(h.name)") }
      if width(of: h.output, p) != h.width {
        issues.insert("hash \(h.name): output \(h.output) is not bit<\(h.width)>")
      }
    }
    if let d = p.digest { for f in d.fields { visit(f.value, [], "digest \(f.field.name)") } }
    for s in p.parserStates {
      for h in s.extracts where !p.headers.contains(where: { $0.instance == h }) {
        issues.insert("parser state \(s.name): extracts unknown header \(h)")
      }
      for a in s.assignments {
        if width(of: a.lhs, p) == nil { issues.insert("parser state \(s.name): assigns undeclared \(a.lhs)") }
        visit(a.rhs, [], "parser state \(s.name)")
      }
    }
    let states = Set(p.parserStates.map(\.name) + ["accept", "reject"])
    for s in p.parserStates {
      switch s.transition {
      case .accept: break
      case .state(let n): if !states.contains(n) { issues.insert("parser state \(s.name): unknown next state \(n)") }
      case .select(let keys, let cases, let otherwise):
        for k in keys { visit(k.expr, [], "parser state \(s.name)") }
        for c in cases where c.values.count != keys.count {
          issues.insert("parser state \(s.name): case with \(c.values.count) value(s) for \(keys.count) key(s)")
        }
        for n in cases.map(\.state) + [otherwise] where !states.contains(n) {
          issues.insert("parser state \(s.name): unknown next state \(n)")
        }
      }
    }
    return issues.sorted()
  }

  // MARK: - Tables and apply

  /// How many times each table is applied, syntactically, in `list`.
  static func applyCounts(_ list: [P4Stmt], into counts: inout [String: Int]) {
    for st in list {
      switch st {
      case .apply(let t): counts[t, default: 0] += 1
      case .applyHit(let t, let a, let b):
        counts[t, default: 0] += 1
        applyCounts(a, into: &counts)
        applyCounts(b, into: &counts)
      case .ifElse(_, let a, let b):
        applyCounts(a, into: &counts)
        applyCounts(b, into: &counts)
      default: break
      }
    }
  }

  static func tables(_ p: P4Program) -> [String] {
    var issues: [String] = []
    var counts: [String: Int] = [:]
    applyCounts(p.ingress, into: &counts)
    var usedActions = Set<String>()
    for t in p.tables {
      let n = counts[t.name, default: 0]
      if n == 0 { issues.append("table \(t.name) is declared but never applied") }
      if n > 1 { issues.append("table \(t.name) is applied \(n) times (at most once per control)") }
      if t.keys.isEmpty { issues.append("table \(t.name) has no key") }
      if t.size < 1 { issues.append("table \(t.name) has size \(t.size)") }
      for a in t.actions {
        usedActions.insert(a)
        if a != "NoAction" && p.action(a) == nil { issues.append("table \(t.name): undeclared action \(a)") }
      }
      if !t.actions.contains(t.defaultAction.action) {
        issues.append("table \(t.name): default action \(t.defaultAction.action) is not in its action list")
      }
    }
    func calls(_ list: [P4Stmt]) {
      for st in list {
        switch st {
        case .call(let a): usedActions.insert(a)
        case .applyHit(_, let x, let y), .ifElse(_, let x, let y):
          calls(x)
          calls(y)
        default: break
        }
      }
    }
    calls(p.ingress)
    for a in p.actions where !usedActions.contains(a.name) { issues.append("action \(a.name) is never used") }
    for t in counts.keys where p.table(t) == nil { issues.append("apply of undeclared table \(t)") }
    return issues
  }

  // MARK: - Entries

  static func fits(_ v: P4Value, _ width: Int) -> Bool { v.bitLength <= width }

  static func entries(_ set: P4EntrySet, _ p: P4Program) -> [String] {
    var issues: [String] = []
    var perTable: [String: Int] = [:]
    for (i, e) in set.entries.enumerated() {
      let at = "entry \(i + 1) (\(e.table))"
      guard let t = p.table(e.table) else {
        issues.append("\(at): unknown table")
        continue
      }
      perTable[t.name, default: 0] += 1
      if !t.actions.contains(e.action) { issues.append("\(at): action \(e.action) is not an action of the table") }
      if e.keys.count != t.keys.count {
        issues.append("\(at): \(e.keys.count) key(s), the table has \(t.keys.count)")
      }
      for (m, k) in zip(e.keys, t.keys) {
        if m.kind != k.match {
          issues.append("\(at): key \(k.name) is \(k.match.rawValue), entry gives \(m.kind.rawValue)")
        }
        switch m {
        case .exact(let v):
          if !fits(v, k.width) { issues.append("\(at): \(v.decimal) does not fit \(k.width)-bit key \(k.name)") }
        case .ternary(let v, let mask):
          if !fits(v, k.width) || !fits(mask, k.width) {
            issues.append("\(at): ternary value/mask wider than \(k.width)-bit key \(k.name)")
          }
          if !P4Value.masked(v, mask, equals: v) { issues.append("\(at): ternary value has bits outside its mask") }
          // One wildcard field of a multi-field key (a codeword split into fields) is an ordinary
          // ternary match; an entry that matches everything is a default action in disguise.
          let allWildcard = e.keys.allSatisfy { if case .ternary(_, let m) = $0 { m.isZero } else { false } }
          if mask.isZero && allWildcard {
            issues.append("\(at): ternary key \(k.name) is a don't-care (mask 0)")
          }
        case .range(let lo, let hi):
          if !fits(lo, k.width) || !fits(hi, k.width) {
            issues.append("\(at): range bounds exceed the \(k.width)-bit key \(k.name)")
          }
          if P4Value.compare(lo, hi) > 0 { issues.append("\(at): range lo \(lo.decimal) > hi \(hi.decimal)") }
          if lo.isZero && k.width <= 64
            && hi.uint64 == (k.width == 64 ? UInt64.max : (UInt64(1) << UInt64(k.width)) - 1)
          {
            issues.append("\(at): range key \(k.name) covers its whole domain (a don't-care; use the default action)")
          }
        }
      }
      if let a = p.action(e.action) {
        if a.params.count != e.params.count {
          issues.append("\(at): \(e.params.count) parameter(s), action \(a.name) takes \(a.params.count)")
        }
        for (v, prm) in zip(e.params, a.params) {
          if !fits(v, prm.width) { issues.append("\(at): \(v.decimal) does not fit \(prm.name) (bit<\(prm.width)>)") }
          if v.width != prm.width {
            issues.append("\(at): value of \(prm.name) has width \(v.width), declared \(prm.width)")
          }
        }
      }
      if t.needsPriority && e.priority == nil { issues.append("\(at): a priority is required (ternary/range key)") }
      if !t.needsPriority && e.priority != nil { issues.append("\(at): a priority is not allowed (exact keys only)") }
      if let pr = e.priority, pr < 1 { issues.append("\(at): priority \(pr) must be ≥ 1") }
    }
    for t in p.tables where perTable[t.name, default: 0] > t.size {
      issues.append("table \(t.name): \(perTable[t.name]!) entries exceed size \(t.size)")
    }
    // Distinct keys: two entries with identical keys would make one of them dead.
    var seen: [String: Set<[P4Match]>] = [:]
    for e in set.entries where !seen[e.table, default: []].insert(e.keys).inserted {
      issues.append("table \(e.table): duplicate key in entries")
    }
    return issues
  }

  // MARK: - Tofino rules (§7.4, §10.3)

  /// The largest number of executions of each register along any path of `list`.
  static func registerUses(_ list: [P4Stmt]) -> [String: Int] {
    var total: [String: Int] = [:]
    for st in list {
      var here: [String: Int] = [:]
      switch st {
      case .register(let r, _, _): here[r] = 1
      case .ifElse(_, let a, let b), .applyHit(_, let a, let b):
        let x = registerUses(a)
        let y = registerUses(b)
        for k in Set(x.keys).union(y.keys) { here[k] = max(x[k, default: 0], y[k, default: 0]) }
      default: break
      }
      for (k, v) in here { total[k, default: 0] += v }
    }
    return total
  }

  static func tofino(_ p: P4Program) -> [String] {
    var issues: [String] = []
    for (r, n) in registerUses(p.ingress).sorted(by: { $0.key < $1.key }) where n > 1 {
      issues.append("register \(r) is executed up to \(n) times on one path (Tofino allows one access per packet)")
    }
    for r in p.registers {
      if r.operations.count > 4 {
        issues.append("register \(r.name) has \(r.operations.count) RegisterActions (max 4)")
      }
      if r.width > 32 { issues.append("register \(r.name) is \(r.width) bits (stateful ALU: ≤ 32)") }
      if r.size > 65_536 { issues.append("register \(r.name) has \(r.size) slots (16-bit index)") }
    }
    for t in p.tables {
      // A range key takes its width twice in the TCAM.
      let ternaryBits = ResourceModel.crossbarBits(
        fieldWidths: t.keys.filter { $0.match != .exact }.flatMap {
          $0.match == .range ? [$0.width, $0.width] : [$0.width]
        })
      if ternaryBits > 528 {
        issues.append("table \(t.name): \(ternaryBits) TCAM key bits exceed the 66-byte ternary crossbar")
      }
      for k in t.keys where k.match == .range && k.width > SwitchBudget.tofinoRangeKeyBits {
        issues.append(
          "table \(t.name): range key \(k.name) is \(k.width) bits (Tofino: ≤ \(SwitchBudget.tofinoRangeKeyBits); quantise time features)"
        )
      }
    }
    if let d = p.digest {
      let bytes = d.fields.reduce(0) { $0 + $1.field.width } / 8
      if bytes > 47 { issues.append("digest is \(bytes) bytes (Tofino: ≤ 47)") }
    }
    return issues
  }

  // MARK: - Emitted text

  /// Emitted text must be plain ASCII (the first offending line is reported).
  public static func asciiOnly(_ text: String) -> [String] {
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.unicodeScalars.allSatisfy(\.isASCII) {
      return ["non-ASCII character at line \(i + 1)"]
    }
    return []
  }

  /// Balanced `{}`, `()` and `[]` outside comments and strings, in emitted P4 or Python text.
  public static func balanced(_ text: String) -> [String] {
    var stack: [(Character, Int)] = []
    var line = 1
    var inString = false
    var inLineComment = false
    var prev: Character = " "
    let pairs: [Character: Character] = [")": "(", "]": "[", "}": "{"]
    for ch in text {
      defer { prev = ch }
      if ch == "\n" {
        line += 1
        inLineComment = false
        continue
      }
      if inLineComment { continue }
      if inString {
        if ch == "\"" { inString = false }
        continue
      }
      if ch == "\"" {
        inString = true
        continue
      }
      if ch == "/" && prev == "/" {
        inLineComment = true
        continue
      }
      if "([{".contains(ch) { stack.append((ch, line)) }
      if let open = pairs[ch] {
        guard let top = stack.popLast(), top.0 == open else { return ["unbalanced '\(ch)' at line \(line)"] }
      }
    }
    return stack.map { "unclosed '\($0.0)' opened at line \($0.1)" }
  }
}
