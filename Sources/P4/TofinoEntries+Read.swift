import DUNESupport

extension TofinoEntries {
  /// Parses a `dune-tofino-entries/1` file written for `program` back into entries, checking every
  /// table, action, key name, match kind, width and priority against the program — what the bfrt
  /// loader would feed to `add_with_<action>`. Errors name the file, line and column.
  ///
  /// Integers are read from their decimal text, never through a floating-point JSON number, so
  /// codewords wider than 53 bits come back exactly (Python's `json` keeps them exact too).
  public static func read(_ text: String, program: P4Program, path: String = "<entries.json>") throws -> P4EntrySet {
    var parser = EntriesJSONParser(text: text, path: path)
    let root = try parser.document()
    let top = try root.object(path, "the file")
    guard case .string(let f)? = top.value("format")?.kind, f == format else {
      throw root.error(path, "expected \"format\": \"\(format)\"")
    }
    guard case .string(let name)? = top.value("program")?.kind, name == program.name else {
      throw root.error(path, "expected \"program\": \"\(program.name)\"")
    }
    guard let list = top.value("entries"), case .array(let items) = list.kind else {
      throw root.error(path, "missing \"entries\" array")
    }
    let prefix = program.ingressControl + "."
    var entries: [P4Entry] = []
    for item in items {
      let e = try item.object(path, "an entry")
      guard case .string(let qualified)? = e.value("table")?.kind, qualified.hasPrefix(prefix),
        let table = program.table(String(qualified.dropFirst(prefix.count)))
      else { throw item.error(path, "entry without a known \"table\" (expected '\(prefix)<table>')") }
      guard case .string(let actionName)? = e.value("action")?.kind, table.actions.contains(actionName),
        let action = program.action(actionName)
      else { throw item.error(path, "entry of '\(table.name)' without one of its actions") }
      guard let matchValue = e.value("match") else { throw item.error(path, "entry without \"match\"") }
      let match = try matchValue.object(path, "\"match\"")
      func number(_ obj: JSONObject, _ key: String, width: Int, at node: JSONNode) throws -> P4Value {
        guard let v = obj.value(key) else { throw node.error(path, "missing '\(key)'") }
        guard case .number(let digits) = v.kind, let value = P4Value(literal: digits, width: width) else {
          throw v.error(path, "'\(key)' is not a \(width)-bit unsigned integer")
        }
        return value
      }
      var keys: [P4Match] = []
      var expectedNames: Set<String> = []
      for k in table.keys {
        switch k.match {
        case .exact:
          keys.append(.exact(try number(match, k.name, width: k.width, at: matchValue)))
          expectedNames.insert(k.name)
        case .ternary:
          keys.append(
            .ternary(
              value: try number(match, k.name, width: k.width, at: matchValue),
              mask: try number(match, k.name + "_mask", width: k.width, at: matchValue)))
          expectedNames.formUnion([k.name, k.name + "_mask"])
        case .range:
          let lo = try number(match, k.name + "_start", width: k.width, at: matchValue)
          let hi = try number(match, k.name + "_end", width: k.width, at: matchValue)
          guard P4Value.compare(lo, hi) <= 0 else { throw matchValue.error(path, "range '\(k.name)' has start > end") }
          keys.append(.range(lo: lo, hi: hi))
          expectedNames.formUnion([k.name + "_start", k.name + "_end"])
        }
      }
      if let extra = match.keys.first(where: { !expectedNames.contains($0) }) {
        throw matchValue.error(path, "'\(extra)' is not a key field of '\(table.name)'")
      }
      guard let dataValue = e.value("data") else { throw item.error(path, "entry without \"data\"") }
      let data = try dataValue.object(path, "\"data\"")
      let params = try action.params.map { try number(data, $0.name, width: $0.width, at: dataValue) }
      if let extra = data.keys.first(where: { k in !action.params.contains { $0.name == k } }) {
        throw dataValue.error(path, "'\(extra)' is not a parameter of action '\(action.name)'")
      }
      var priority: Int?
      if let p = e.value("priority") {
        guard table.needsPriority else { throw p.error(path, "table '\(table.name)' takes no priority") }
        guard case .number(let digits) = p.kind, let v = Int(digits) else {
          throw p.error(path, "priority is not an integer")
        }
        priority = v
      } else if table.needsPriority {
        throw item.error(path, "table '\(table.name)' needs a \"priority\"")
      }
      entries.append(P4Entry(table: table.name, action: actionName, keys: keys, params: params, priority: priority))
    }
    return P4EntrySet(entries: entries)
  }
}

/// A parsed JSON value with the line and column where it starts.
struct JSONNode {
  enum Kind {
    case object(JSONObject)
    case array([JSONNode])
    case string(String)
    /// The literal text of a number (kept exact).
    case number(String)
    case bool(Bool)
    case null
  }
  var kind: Kind
  var line: Int
  var column: Int

  func error(_ path: String, _ message: String) -> LocatedError {
    LocatedError(file: path, line: line, column: column, message)
  }

  func object(_ path: String, _ what: String) throws -> JSONObject {
    guard case .object(let o) = kind else { throw error(path, "\(what) must be a JSON object") }
    return o
  }
}

/// Object members in file order.
struct JSONObject {
  var members: [(key: String, value: JSONNode)]
  var keys: [String] { members.map(\.key) }
  func value(_ key: String) -> JSONNode? { members.first { $0.key == key }?.value }
}

/// A strict RFC 8259 parser over UTF-8 bytes, small enough to keep numbers as text.
struct EntriesJSONParser {
  private let bytes: [UInt8]
  private let path: String
  private var i = 0
  private var line = 1
  private var lineStart = 0

  init(text: String, path: String) {
    bytes = Array(text.utf8)
    self.path = path
  }

  mutating func document() throws -> JSONNode {
    let v = try value()
    skipSpace()
    guard i == bytes.count else { throw fail("unexpected text after the JSON document") }
    return v
  }

  private func fail(_ message: String) -> LocatedError {
    LocatedError(file: path, line: line, column: i - lineStart + 1, message)
  }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case UInt8(ascii: "\n"):
        i += 1
        line += 1
        lineStart = i
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): i += 1
      default: return
      }
    }
  }

  private mutating func expect(_ c: UInt8) throws {
    skipSpace()
    guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
    i += 1
  }

  private mutating func value() throws -> JSONNode {
    skipSpace()
    guard i < bytes.count else { throw fail("unexpected end of file") }
    let (l, c) = (line, i - lineStart + 1)
    func node(_ k: JSONNode.Kind) -> JSONNode { JSONNode(kind: k, line: l, column: c) }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var members: [(key: String, value: JSONNode)] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return node(.object(JSONObject(members: members)))
      }
      while true {
        skipSpace()
        let key = try string()
        if members.contains(where: { $0.key == key }) { throw fail("duplicate key '\(key)'") }
        try expect(UInt8(ascii: ":"))
        members.append((key, try value()))
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end of file in an object") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect(UInt8(ascii: "}"))
        return node(.object(JSONObject(members: members)))
      }
    case UInt8(ascii: "["):
      i += 1
      var items: [JSONNode] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return node(.array(items))
      }
      while true {
        items.append(try value())
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end of file in an array") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect(UInt8(ascii: "]"))
        return node(.array(items))
      }
    case UInt8(ascii: "\""): return node(.string(try string()))
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      for (word, kind) in [("true", JSONNode.Kind.bool(true)), ("false", .bool(false)), ("null", .null)] {
        let w = Array(word.utf8)
        if bytes[i...].starts(with: w) {
          i += w.count
          return node(kind)
        }
      }
      throw fail("unexpected literal")
    default:
      let start = i
      if bytes[i] == UInt8(ascii: "-") { i += 1 }
      let allowed = Set("0123456789.eE+-".utf8)
      while i < bytes.count, allowed.contains(bytes[i]) { i += 1 }
      let text = String(decoding: bytes[start..<i], as: UTF8.self)
      guard text.contains(where: \.isNumber), Double(text) != nil else {
        i = start
        throw fail("expected a JSON value")
      }
      return node(.number(text))
    }
  }

  private mutating func string() throws -> String {
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
    i += 1
    var out: [UInt8] = []
    while i < bytes.count {
      let b = bytes[i]
      i += 1
      switch b {
      case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard i < bytes.count else { break }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "u"):
          guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(code)
          else { throw fail("bad \\u escape") }
          i += 4
          out += Array(String(Character(scalar)).utf8)
        default: throw fail("bad escape '\\\(Character(Unicode.Scalar(e)))'")
        }
      case 0..<0x20: throw fail("control character in a string")
      default: out.append(b)
      }
    }
    throw fail("unterminated string")
  }
}
