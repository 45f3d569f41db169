import Foundation

/// Prints a `P4Program` as P4_16 source for one architecture.
public protocol P4Emitter: Sendable {
  /// Short target name used in output paths (`bmv2`, `tofino`).
  var target: String { get }
  /// The complete program text (deterministic: same program → same bytes).
  func emit(_ program: P4Program) -> String
}

/// Indented line buffer used by the emitters (4 spaces per level, LF line ends).
struct P4Text {
  private(set) var lines: [String] = []
  private var depth = 0

  mutating func line(_ s: String = "") {
    lines.append(s.isEmpty ? "" : String(repeating: "    ", count: depth) + s)
  }
  /// A preprocessor directive (`#ifdef X`, `#else`, `#endif`), always in column 0.
  mutating func directive(_ s: String) { lines.append(s) }
  mutating func open(_ s: String) {
    line(s + " {")
    depth += 1
  }
  mutating func close(_ suffix: String = "") {
    depth -= 1
    line("}" + suffix)
  }
  /// `} head {`: closes the current block and opens the next one on the same line.
  mutating func reopen(_ head: String) {
    depth -= 1
    line("} " + head + " {")
    depth += 1
  }
  var text: String { lines.joined(separator: "\n") + "\n" }
}

/// Architecture-specific spellings the shared printer delegates to.
protocol P4Spelling {
  func intrinsic(_ i: P4Intrinsic) -> String
  /// Lines for a target statement (`hash`, `register`, `digest`, `drop`, `setEgress`).
  func target(_ stmt: P4Stmt, _ program: P4Program) -> [String]
  /// Another spelling of `i` in builds with the preprocessor symbol `define` (nil: none). An
  /// assignment that reads such an intrinsic is printed twice, under `#ifdef define` / `#else`, so
  /// a build without the symbol sees exactly the plain program.
  func conditionalIntrinsic(_ i: P4Intrinsic) -> (define: String, text: String)?
}

extension P4Spelling {
  func conditionalIntrinsic(_ i: P4Intrinsic) -> (define: String, text: String)? { nil }
}

/// A spelling whose intrinsics take their conditional form (see `P4Spelling.conditionalIntrinsic`).
private struct ConditionalSpelling: P4Spelling {
  var base: P4Spelling
  func intrinsic(_ i: P4Intrinsic) -> String { base.conditionalIntrinsic(i)?.text ?? base.intrinsic(i) }
  func target(_ stmt: P4Stmt, _ program: P4Program) -> [String] { base.target(stmt, program) }
}

/// A header outside the program model that only builds defining `define` contain: parsed first,
/// emitted first (the v1model replay-time header, `V1ModelEmitter.replayTime`).
struct ConditionalHeader {
  var define: String
  var header: P4Header
  /// Comment lines printed above its declaration.
  var comment: [String]
}

/// P4 syntax shared by both targets: literals, expressions, statements, declarations.
enum P4Syntax {
  static func literal(_ v: UInt64, width: Int) -> String { "\(width)w\(v)" }
  /// `<width>w0x…` with as many digits as the width needs.
  static func hexLiteral(_ v: UInt64, width: Int) -> String {
    let h = String(v, radix: 16)
    return "\(width)w0x" + String(repeating: "0", count: max(0, (width + 3) / 4 - h.count)) + h
  }

  static func expr(_ e: P4Expr, _ s: P4Spelling) -> String {
    switch e {
    case .ref(let p): return p
    case .constant(let c): return c
    case .int(let v, let w): return literal(v, width: w)
    case .intrinsic(let i): return s.intrinsic(i)
    case .binary(let op, let a, let b): return "\(operand(a, s)) \(op) \(operand(b, s))"
    case .not(let a): return "!\(operand(a, s))"
    case .cast(let w, let a): return "(bit<\(w)>)\(operand(a, s))"
    case .slice(let a, let hi, let lo): return "\(operand(a, s))[\(hi):\(lo)]"
    case .isValid(let h): return "\(h).isValid()"
    }
  }

  /// Parenthesises compound operands so precedence never depends on P4's operator table.
  private static func operand(_ e: P4Expr, _ s: P4Spelling) -> String {
    switch e {
    case .binary, .not, .cast: return "(\(expr(e, s)))"
    default: return expr(e, s)
    }
  }

  /// The preprocessor symbol under which `e` reads an intrinsic spelled differently, if any.
  static func conditionalDefine(_ e: P4Expr, _ s: P4Spelling) -> String? {
    switch e {
    case .intrinsic(let i): return s.conditionalIntrinsic(i)?.define
    case .binary(_, let a, let b): return conditionalDefine(a, s) ?? conditionalDefine(b, s)
    case .not(let a), .cast(_, let a), .slice(let a, _, _): return conditionalDefine(a, s)
    case .ref, .constant, .int, .isValid: return nil
    }
  }

  static func stmts(_ list: [P4Stmt], _ out: inout P4Text, _ s: P4Spelling, _ p: P4Program) {
    for st in list { stmt(st, &out, s, p) }
  }

  static func stmt(_ st: P4Stmt, _ out: inout P4Text, _ s: P4Spelling, _ p: P4Program) {
    switch st {
    case .assign(let lhs, let rhs):
      if let define = conditionalDefine(rhs, s) {
        out.directive("#ifdef \(define)")
        out.line("\(lhs) = \(expr(rhs, ConditionalSpelling(base: s)));")
        out.directive("#else")
        out.line("\(lhs) = \(expr(rhs, s));")
        out.directive("#endif")
      } else {
        out.line("\(lhs) = \(expr(rhs, s));")
      }
    case .apply(let t): out.line("\(t).apply();")
    case .applyHit(let t, let hit, let miss):
      out.open("if (\(t).apply().hit)")
      stmts(hit, &out, s, p)
      if !miss.isEmpty {
        out.reopen("else")
        stmts(miss, &out, s, p)
      }
      out.close()
    case .call(let a): out.line("\(a)();")
    case .ifElse(let c, let yes, let no):
      out.open("if (\(expr(c, s)))")
      stmts(yes, &out, s, p)
      var rest = no
      // `else if` chains print flat, which keeps decision ladders readable.
      while rest.count == 1, case .ifElse(let c2, let yes2, let no2) = rest[0] {
        out.reopen("else if (\(expr(c2, s)))")
        stmts(yes2, &out, s, p)
        rest = no2
      }
      if !rest.isEmpty {
        out.reopen("else")
        stmts(rest, &out, s, p)
      }
      out.close()
    case .setValid(let h): out.line("\(h).setValid();")
    case .setInvalid(let h): out.line("\(h).setInvalid();")
    case .comment(let c): out.line("// " + ascii(c))
    case .hash, .register, .digest, .drop, .setEgress:
      for l in s.target(st, p) { out.line(l) }
    }
  }

  static func constants(_ p: P4Program, _ out: inout P4Text) {
    for c in p.constants {
      out.line(
        "const bit<\(c.width)> \(c.name) = \(c.hex ? hexLiteral(c.value, width: c.width) : literal(c.value, width: c.width));"
      )
    }
  }

  /// Header type declarations and `headers_t`; a `conditional` header is declared first and
  /// heads `headers_t`, each under `#ifdef` of its symbol.
  static func headerTypes(_ p: P4Program, _ out: inout P4Text, conditional: ConditionalHeader? = nil) {
    func declare(_ h: P4Header) {
      out.open("header \(h.typeName)")
      for f in h.fields { out.line("bit<\(f.width)> \(f.name);") }
      out.close()
      out.line()
    }
    if let c = conditional {
      out.directive("#ifdef \(c.define)")
      for line in c.comment { out.line("// " + ascii(line)) }
      declare(c.header)
      out.directive("#endif")
    }
    // Several instances may share a type (the IPv4 option words): declare each type once.
    var declared = Set<String>()
    for h in p.headers where declared.insert(h.typeName).inserted { declare(h) }
    out.open("struct headers_t")
    if let c = conditional {
      out.directive("#ifdef \(c.define)")
      out.line("\(c.header.typeName) \(c.header.instance);")
      out.directive("#endif")
    }
    for h in p.headers { out.line("\(h.typeName) \(h.instance);") }
    out.close()
    out.line()
  }

  static func metadataStruct(_ p: P4Program, _ out: inout P4Text) {
    out.open("struct metadata_t")
    for f in p.metadata { out.line("bit<\(f.width)> \(f.name);") }
    out.close()
    out.line()
    if let d = p.digest {
      out.open("struct \(d.typeName)")
      for f in d.fields { out.line("bit<\(f.field.width)> \(f.field.name);") }
      out.close()
      out.line()
    }
  }

  /// The parser states after the architecture prologue; `hdrName` is the headers parameter.
  static func parserStates(_ p: P4Program, _ out: inout P4Text, _ s: P4Spelling) {
    for st in p.parserStates {
      out.open("state \(st.name)")
      for h in st.extracts { out.line("pkt.extract(hdr.\(h));") }
      for a in st.assignments { out.line("\(a.lhs) = \(expr(a.rhs, s));") }
      transition(st.transition, &out, s)
      out.close()
    }
  }

  static func transition(_ t: P4Transition, _ out: inout P4Text, _ s: P4Spelling) {
    switch t {
    case .accept: out.line("transition accept;")
    case .state(let n): out.line("transition \(n);")
    case .select(let keys, let cases, let otherwise):
      out.open("transition select(" + keys.map { expr($0.expr, s) }.joined(separator: ", ") + ")")
      for c in cases {
        let values = zip(c.values, keys).map {
          $1.width >= 16 ? hexLiteral($0, width: $1.width) : literal($0, width: $1.width)
        }
        let label = values.count == 1 ? values[0] : "(" + values.joined(separator: ", ") + ")"
        out.line("\(label): \(c.state);")
      }
      out.line("default: \(otherwise);")
      out.close()
    }
  }

  static func metadataInit(_ p: P4Program, _ out: inout P4Text) {
    for f in p.metadataInit { out.line("meta.\(f.name) = \(literal(0, width: f.width));") }
  }

  static func actions(_ p: P4Program, _ out: inout P4Text, _ s: P4Spelling) {
    for a in p.actions {
      let params = a.params.map { "bit<\($0.width)> \($0.name)" }.joined(separator: ", ")
      out.open("action \(a.name)(\(params))")
      stmts(a.body, &out, s, p)
      out.close()
      out.line()
    }
  }

  static func tables(_ p: P4Program, _ out: inout P4Text) {
    for t in p.tables {
      out.open("table \(t.name)")
      out.open("key =")
      for k in t.keys { out.line("\(k.field): \(k.match.rawValue) @name(\"\(k.name)\");") }
      out.close()
      out.open("actions =")
      for a in t.actions { out.line("\(a);") }
      out.close()
      let args = t.defaultAction.args.map { "\($0.width)w\($0.width <= 64 ? $0.decimal : $0.hexLiteral)" }
      out.line(
        (t.constDefault ? "const " : "") + "default_action = \(t.defaultAction.action)("
          + args.joined(separator: ", ") + ");")
      out.line("size = \(max(t.size, 1));")
      out.close()
      out.line()
    }
  }

  static func deparserEmits(_ p: P4Program, _ out: inout P4Text, conditional: ConditionalHeader? = nil) {
    if let c = conditional {
      out.directive("#ifdef \(c.define)")
      out.line("pkt.emit(hdr.\(c.header.instance));")
      out.directive("#endif")
    }
    for h in p.headers { out.line("pkt.emit(hdr.\(h.instance));") }
  }

  /// Comment text restricted to ASCII (model and class names may not be): compilers and
  /// preprocessors then never see a byte they might reject.
  static func ascii(_ s: String) -> String {
    var out = ""
    for u in s.replacingOccurrences(of: "§", with: "sec. ").replacingOccurrences(of: "→", with: "->").unicodeScalars {
      out.unicodeScalars.append(u.isASCII && (u.value >= 0x20 || u == "\t") ? u : "?")
    }
    return out
  }

  static func banner(_ p: P4Program, _ out: inout P4Text) {
    for b in p.banner { out.line("// " + ascii(b)) }
    if !p.banner.isEmpty { out.line() }
  }
}
