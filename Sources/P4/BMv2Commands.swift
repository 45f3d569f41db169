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
  public static func read(_ text: String, program: P4Program, path: String = "<commands>") throws -> P4EntrySet {
    var entries: [P4Entry] = []
    let prefix = program.ingressControl + "."
    for (i, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let lineNo = i + 1
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
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
      entries.append(P4Entry(table: table.name, action: actionName, keys: keys, params: params, priority: priority))
    }
    return P4EntrySet(entries: entries)
  }
}
