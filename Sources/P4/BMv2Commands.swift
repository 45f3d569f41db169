import DUNESupport
import Foundation

/// `simple_switch_CLI` command files (`data-plane.md` §8.1): writing and reading back.
///
/// One `table_add <control>.<table> <control>.<action> <keys> => <params> [priority]` line per
/// entry: exact keys and bounds in decimal, ternary `value&&&mask` and code slices in binary
/// (`0b…`, exactly the field width; hex above 64 bits), a priority only for tables with ternary or
/// range keys (smaller wins on the CLI). Load with `simple_switch_CLI --thrift-port 9090 < file`.
public enum BMv2Commands {
  /// The command text for `entries` of `program` (LF line ends, one entry per line).
  public static func write(_ entries: P4EntrySet, program: P4Program) -> String {
    var out = ""
    let c = program.ingressControl
    for e in entries.entries {
      var parts = ["table_add", "\(c).\(e.table)", "\(c).\(e.action)"]
      parts += e.keys.map(key)
      parts.append("=>")
      parts += e.params.map(\.literal)
      if let p = e.priority { parts.append(String(p)) }
      out += parts.joined(separator: " ") + "\n"
    }
    return out
  }

  static func key(_ m: P4Match) -> String {
    switch m {
    case .exact(let v): return v.literal
    case .ternary(let v, let mask): return "\(v.literal)&&&\(mask.literal)"
    case .range(let lo, let hi): return "\(lo.decimal)->\(hi.decimal)"
    }
  }

  /// Parses a command file written for `program` back into entries, checking every key and
  /// parameter against the declared widths. Errors name the file, line and column.
  ///
  /// Well-formed ASCII lines take a byte-level path (no `Character` splitting, tables and actions
  /// by dictionary, literals up to 64 bits parsed into a word); any line it does not fully accept
  /// goes through `readLine`, which parses — or reports the error — exactly as before.
  public static func read(_ text: String, program: P4Program, path: String = "<commands>") throws -> P4EntrySet {
    let fast = FastReader(program)
    // Only ASCII without carriage returns splits into the same lines by byte as by `Character`.
    let simple = text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    var entries: [P4Entry] = []
    var lineNo = 0
    var start = text.startIndex
    while true {
      lineNo += 1
      let end =
        (simple ? text.utf8[start...].firstIndex(of: 0x0A) : text[start...].firstIndex(of: "\n")) ?? text.endIndex
      let rawLine = text[start..<end]
      if let e = simple ? fast.entry(rawLine) : nil {
        entries.append(e)
      } else if let e = try readLine(rawLine, lineNo: lineNo, program: program, path: path) {
        entries.append(e)
      }
      guard end < text.endIndex else { break }
      start = text.index(after: end)
    }
    return P4EntrySet(entries: entries)
  }

  /// One line, parsed or rejected with its location (nil for a blank line).
  static func readLine(_ rawLine: Substring, lineNo: Int, program: P4Program, path: String) throws -> P4Entry? {
    let prefix = program.ingressControl + "."
    let line = rawLine.trimmingCharacters(in: .whitespaces)
    if line.isEmpty { return nil }
    let tokens = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    func fail(_ token: Int?, _ msg: String) -> LocatedError {
      var col = 1
      if let t = token {
        var pos = rawLine.startIndex
        for j in 0...t {
          guard let r = rawLine.range(of: tokens[j], range: pos..<rawLine.endIndex) else { break }
          if j == t { col = rawLine.distance(from: rawLine.startIndex, to: r.lowerBound) + 1 }
          pos = r.upperBound
        }
      }
      return LocatedError(file: path, line: lineNo, column: col, msg)
    }
    guard tokens.first == "table_add" else { throw fail(0, "expected 'table_add', found '\(tokens[0])'") }
    guard tokens.count >= 4 else { throw fail(nil, "incomplete table_add command") }
    guard tokens[1].hasPrefix(prefix), let table = program.table(String(tokens[1].dropFirst(prefix.count))) else {
      throw fail(1, "unknown table '\(tokens[1])'")
    }
    guard tokens[2].hasPrefix(prefix) else { throw fail(2, "action '\(tokens[2])' lacks the '\(prefix)' prefix") }
    let actionName = String(tokens[2].dropFirst(prefix.count))
    guard table.actions.contains(actionName), let action = program.action(actionName) else {
      throw fail(2, "action '\(actionName)' is not an action of table '\(table.name)'")
    }
    guard let arrow = tokens.firstIndex(of: "=>") else { throw fail(nil, "missing '=>'") }
    let keyTokens = Array(tokens[3..<arrow])
    guard keyTokens.count == table.keys.count else {
      throw fail(3, "table '\(table.name)' has \(table.keys.count) key(s), found \(keyTokens.count)")
    }
    var keys: [P4Match] = []
    for (j, (tok, k)) in zip(keyTokens, table.keys).enumerated() {
      let ti = 3 + j
      switch k.match {
      case .exact:
        guard let v = P4Value(literal: tok, width: k.width) else {
          throw fail(ti, "'\(tok)' is not a \(k.width)-bit value for exact key '\(k.name)'")
        }
        keys.append(.exact(v))
      case .ternary:
        let parts = tok.components(separatedBy: "&&&")
        guard parts.count == 2, let v = P4Value(literal: parts[0], width: k.width),
          let m = P4Value(literal: parts[1], width: k.width)
        else { throw fail(ti, "'\(tok)' is not a \(k.width)-bit value&&&mask for ternary key '\(k.name)'") }
        keys.append(.ternary(value: v, mask: m))
      case .range:
        let parts = tok.components(separatedBy: "->")
        guard parts.count == 2, let lo = P4Value(literal: parts[0], width: k.width),
          let hi = P4Value(literal: parts[1], width: k.width)
        else { throw fail(ti, "'\(tok)' is not a \(k.width)-bit lo->hi range for key '\(k.name)'") }
        guard P4Value.compare(lo, hi) <= 0 else { throw fail(ti, "range '\(tok)' has lo > hi") }
        keys.append(.range(lo: lo, hi: hi))
      }
    }
    var rest = Array(tokens[(arrow + 1)...])
    var priority: Int?
    if table.needsPriority {
      guard rest.count == action.params.count + 1, let p = Int(rest.removeLast()) else {
        throw fail(tokens.count - 1, "table '\(table.name)' needs \(action.params.count) parameter(s) and a priority")
      }
      priority = p
    }
    guard rest.count == action.params.count else {
      throw fail(arrow, "action '\(action.name)' takes \(action.params.count) parameter(s), found \(rest.count)")
    }
    var params: [P4Value] = []
    for (j, (tok, p)) in zip(rest, action.params).enumerated() {
      guard let v = P4Value(literal: tok, width: p.width) else {
        throw fail(arrow + 1 + j, "'\(tok)' does not fit parameter '\(p.name)' (bit<\(p.width)>)")
      }
      params.append(v)
    }
    return P4Entry(table: table.name, action: actionName, keys: keys, params: params, priority: priority)
  }

  /// The byte-level reader of well-formed lines: returns nil whenever `readLine` might decide
  /// differently (anything unusual, any error), so that path has the last word.
  struct FastReader {
    let prefix: [UInt8]
    var tables: [String: P4Table] = [:]
    var actions: [String: P4Action] = [:]

    init(_ program: P4Program) {
      prefix = Array((program.ingressControl + ".").utf8)
      for t in program.tables where tables[t.name] == nil { tables[t.name] = t }
      for a in program.actions where actions[a.name] == nil { actions[a.name] = a }
    }

    func entry(_ line: Substring) -> P4Entry? {
      var tokens: [Substring.UTF8View.SubSequence] = []
      var i = line.utf8.startIndex
      let end = line.utf8.endIndex
      while i < end {
        let b = line.utf8[i]
        if b == 0x09 { return nil }  // tabs: trimmed or kept inside tokens by the general path
        if b == 0x20 {
          i = line.utf8.index(after: i)
          continue
        }
        var j = i
        while j < end && line.utf8[j] != 0x20 && line.utf8[j] != 0x09 { j = line.utf8.index(after: j) }
        tokens.append(line.utf8[i..<j])
        i = j
      }
      guard tokens.count >= 4, tokens[0].elementsEqual("table_add".utf8) else { return nil }
      guard tokens[1].starts(with: prefix), tokens[2].starts(with: prefix),
        let table = tables[String(Substring(tokens[1].dropFirst(prefix.count)))],
        let actionName = Optional(String(Substring(tokens[2].dropFirst(prefix.count)))),
        table.actions.contains(actionName), let action = actions[actionName],
        let arrow = tokens.firstIndex(where: { $0.elementsEqual("=>".utf8) }), arrow - 3 == table.keys.count
      else { return nil }
      var keys: [P4Match] = []
      keys.reserveCapacity(table.keys.count)
      for (j, k) in table.keys.enumerated() {
        let tok = tokens[3 + j]
        switch k.match {
        case .exact:
          guard let v = Self.literal(tok, k.width) else { return nil }
          keys.append(.exact(v))
        case .ternary:
          guard let (a, b) = Self.halves(tok, "&&&"), let v = Self.literal(a, k.width), let m = Self.literal(b, k.width)
          else { return nil }
          keys.append(.ternary(value: v, mask: m))
        case .range:
          guard let (a, b) = Self.halves(tok, "->"), let lo = Self.literal(a, k.width),
            let hi = Self.literal(b, k.width),
            P4Value.compare(lo, hi) <= 0
          else { return nil }
          keys.append(.range(lo: lo, hi: hi))
        }
      }
      var rest = tokens[(arrow + 1)...]
      var priority: Int?
      if table.needsPriority {
        guard rest.count == action.params.count + 1, let p = Int(Substring(rest.removeLast())) else { return nil }
        priority = p
      }
      guard rest.count == action.params.count else { return nil }
      var params: [P4Value] = []
      params.reserveCapacity(rest.count)
      for (tok, p) in zip(rest, action.params) {
        guard let v = Self.literal(tok, p.width) else { return nil }
        params.append(v)
      }
      return P4Entry(table: table.name, action: actionName, keys: keys, params: params, priority: priority)
    }

    /// The two sides of the only occurrence of `separator` (nil for none or several, like
    /// `components(separatedBy:)` giving other than two parts).
    static func halves(_ tok: Substring.UTF8View.SubSequence, _ separator: String)
      -> (Substring.UTF8View.SubSequence, Substring.UTF8View.SubSequence)?
    {
      let sep = Array(separator.utf8)
      func find(from: Substring.UTF8View.Index) -> Substring.UTF8View.Index? {
        var i = from
        while i < tok.endIndex {
          if tok[i...].starts(with: sep) { return i }
          i = tok.index(after: i)
        }
        return nil
      }
      guard let at = find(from: tok.startIndex) else { return nil }
      let after = tok.index(at, offsetBy: sep.count)
      guard find(from: after) == nil else { return nil }
      return (tok[..<at], tok[after...])
    }

    /// `P4Value(literal:width:)` for values of at most 64 bits in ASCII; the general initialiser
    /// otherwise (it returns nil for the same texts).
    static func literal(_ tok: Substring.UTF8View.SubSequence, _ width: Int) -> P4Value? {
      guard width >= 1 && width <= 64 else { return P4Value(literal: String(Substring(tok)), width: width) }
      var digits = tok[...]
      var radix: UInt64 = 10
      var style = P4Value.Style.decimal
      if digits.starts(with: "0x".utf8) || digits.starts(with: "0X".utf8) {
        radix = 16
        digits = digits.dropFirst(2)
      } else if digits.starts(with: "0b".utf8) || digits.starts(with: "0B".utf8) {
        radix = 2
        style = .binary
        digits = digits.dropFirst(2)
      }
      guard !digits.isEmpty else { return nil }
      var v: UInt64 = 0
      for c in digits where c != UInt8(ascii: "_") {
        let d: UInt64
        switch c {
        case 0x30...0x39: d = UInt64(c - 0x30)
        case 0x41...0x46: d = UInt64(c - 0x41 + 10)
        case 0x61...0x66: d = UInt64(c - 0x61 + 10)
        default: return nil
        }
        guard d < radix else { return nil }
        let (m, o1) = v.multipliedReportingOverflow(by: radix)
        let (a, o2) = m.addingReportingOverflow(d)
        guard !o1 && !o2 else { return nil }
        v = a
      }
      // Values only grow digit by digit: fitting at the end is fitting all along.
      guard width >= 64 || v >> UInt64(max(width, 0)) == 0 else { return nil }
      return P4Value(v, width: width, style: style)
    }
  }
}
