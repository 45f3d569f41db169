import Foundation

/// RFC 4180 CSV at the byte level, without copying: the one scanner behind every CSV input
/// (`CSVReader`/`CSVTable` for small files, the sample and flow-count tables of `Traffic` directly).
///
/// Records end at LF, CRLF or a lone CR. A field is either quoted — it starts with `"`, a doubled
/// `""` inside stands for one quote, and line ends and delimiters inside are text — or unquoted,
/// running to the next delimiter or line end. The quote that closes a quoted field must be followed
/// by the delimiter, a line end or the end of the input: `"a"b` is a syntax error (RFC 4180 gives
/// it no meaning, and reading it as `ab` or as `a` would hide a broken file), and so is a quoted
/// field still open at the end of the input. A quote inside an unquoted field (`a"b`) is kept as
/// text, as Python's `csv` module and pandas read it.
public enum CSVScanner {
  public static let comma = UInt8(ascii: ",")
  public static let quote = UInt8(ascii: "\"")
  public static let lf = UInt8(ascii: "\n")
  public static let cr = UInt8(ascii: "\r")

  /// One scanned field: byte range in the buffer, and whether it was quoted (needs unescaping).
  public struct Field: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var quoted: Bool

    public init(start: Int, end: Int, quoted: Bool) {
      self.start = start
      self.end = end
      self.quoted = quoted
    }
  }

  /// Malformed CSV: where (1-based line, 0-based byte offset in the input) and what.
  public struct SyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var offset: Int
    public var message: String

    public init(line: Int, offset: Int, message: String) {
      self.line = line
      self.offset = offset
      self.message = message
    }

    /// The error as a `LocatedError` of file `path`.
    public func located(in path: String) -> LocatedError {
      LocatedError(file: path, line: line, "\(message) (byte offset \(offset))")
    }
  }

  /// Where the first record starts: after a UTF-8 byte-order mark, if any.
  @inlinable
  public static func start(of b: UnsafeBufferPointer<UInt8>) -> Int {
    b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
  }

  /// Scans the record starting at `pos` into `fields`; returns the position after its line end.
  /// `line` is advanced past every line end consumed (including ones inside quotes).
  @inlinable
  public static func scanRecord(
    _ b: UnsafeBufferPointer<UInt8>, from pos: Int, delimiter: UInt8 = comma, fields: inout [Field], line: inout Int
  ) throws(SyntaxError) -> Int {
    fields.removeAll(keepingCapacity: true)
    let n = b.count
    var i = pos
    while true {
      if i < n, b[i] == quote {
        let open = i
        let openLine = line
        let start = i + 1
        i += 1
        var closed = false
        while i < n {
          if b[i] == quote {
            if i + 1 < n, b[i + 1] == quote {
              i += 2
              continue
            }
            closed = true
            break
          }
          if b[i] == lf || (b[i] == cr && (i + 1 == n || b[i + 1] != lf)) { line += 1 }
          i += 1
        }
        guard closed else {
          throw SyntaxError(
            line: openLine, offset: open, message: "quoted field not closed before the end of the input")
        }
        fields.append(Field(start: start, end: i, quoted: true))
        i += 1  // closing quote
        guard i == n || b[i] == delimiter || b[i] == lf || b[i] == cr else {
          throw SyntaxError(
            line: line, offset: i,
            message:
              "'\(Character(Unicode.Scalar(b[i])))' after the closing quote of a field (expected a delimiter or a line end)"
          )
        }
      } else {
        let start = i
        while i < n, b[i] != delimiter, b[i] != lf, b[i] != cr { i += 1 }
        fields.append(Field(start: start, end: i, quoted: false))
      }
      if i < n, b[i] == delimiter {
        i += 1
        continue
      }
      break
    }
    if i < n, b[i] == cr { i += 1 }
    if i < n, b[i] == lf { i += 1 }
    line += 1
    return i
  }

  /// The text of a field (quotes undoubled).
  /// `scanRecord` with a syntax error reported as a `LocatedError` of file `path`.
  @inlinable
  public static func scanRecord(
    _ b: UnsafeBufferPointer<UInt8>, from pos: Int, delimiter: UInt8 = comma, fields: inout [Field], line: inout Int,
    path: String
  ) throws(LocatedError) -> Int {
    do {
      return try scanRecord(b, from: pos, delimiter: delimiter, fields: &fields, line: &line)
    } catch {
      throw error.located(in: path)
    }
  }

  @inlinable
  public static func string(_ b: UnsafeBufferPointer<UInt8>, _ f: Field) -> String {
    let raw = UnsafeBufferPointer(rebasing: b[f.start..<f.end])
    if !f.quoted { return String(decoding: raw, as: UTF8.self) }
    return String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\"\"", with: "\"")
  }

  /// Parses a number field: fast path for integers, `strtod` for the rest. Nil when not a number.
  /// The buffer must be followed by a NUL byte (strtod's stop guarantee).
  @inlinable
  public static func double(_ b: UnsafeBufferPointer<UInt8>, _ f: Field) -> Double? {
    var i = f.start
    let end = f.end
    guard i < end else { return nil }
    var neg = false
    if b[i] == UInt8(ascii: "-") {
      neg = true
      i += 1
    }
    var v: Int64 = 0
    var digits = 0
    while i < end, b[i] >= 48, b[i] <= 57, digits < 18 {
      v = v &* 10 &+ Int64(b[i] &- 48)
      i += 1
      digits += 1
    }
    if i == end, digits > 0 { return Double(neg ? -v : v) }
    // General case (fraction, exponent, long integers, nan/inf text).
    let base = b.baseAddress!
    let startPtr = UnsafeMutablePointer(mutating: base + f.start)
    return withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<CChar>?.self, capacity: 1) { endp in
      let x = startPtr.withMemoryRebound(to: CChar.self, capacity: end - f.start) { p -> Double in
        strtod(p, endp.baseAddress!)
      }
      guard let e = endp[0],
        e == UnsafeMutableRawPointer(startPtr).assumingMemoryBound(to: CChar.self) + (end - f.start)
      else { return nil }
      return x
    }
  }

  /// Appends `x`: integral values as integers, others as the shortest round-tripping decimal.
  @inlinable
  public static func appendNumber(_ x: Double, to out: inout [UInt8]) {
    if x == x.rounded(), abs(x) < 1e15 {
      appendInt(Int64(x), to: &out)
    } else {
      out.append(contentsOf: NumberFormat.shortest(x).utf8)
    }
  }

  @inlinable @inline(__always)
  public static func appendInt(_ v: Int64, to out: inout [UInt8]) {
    if v < 0 { out.append(UInt8(ascii: "-")) }
    var u = v.magnitude
    if u < 10 {
      out.append(48 + UInt8(u))
      return
    }
    var tmp:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var k = 0
    withUnsafeMutableBytes(of: &tmp) { t in
      while u > 0 {
        t[k] = 48 + UInt8(u % 10)
        u /= 10
        k += 1
      }
      while k > 0 {
        k -= 1
        out.append(t[k])
      }
    }
  }

  /// Appends a text field, quoting it only when RFC 4180 requires.
  @inlinable
  public static func appendText(_ s: String, to out: inout [UInt8]) {
    var needs = false
    for c in s.utf8 where c == comma || c == quote || c == lf || c == cr {
      needs = true
      break
    }
    if !needs {
      out.append(contentsOf: s.utf8)
      return
    }
    out.append(quote)
    for c in s.utf8 {
      if c == quote { out.append(quote) }
      out.append(c)
    }
    out.append(quote)
  }

  /// Reads a whole file in one copy and appends a NUL byte (for `double`'s strtod fallback).
  public static func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw LocatedError(file: path, "cannot read file: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw LocatedError(file: path, "cannot stat file") }
    let size = Int(st.st_size)
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buf, count in
      var done = 0
      while done < size {
        let n = read(fd, buf.baseAddress! + done, size - done)
        if n <= 0 { break }
        done += n
      }
      if done != size { failed = true }
      buf[done] = 0
      count = done + 1
    }
    if failed { throw LocatedError(file: path, "short read (file changed while reading?)") }
    return bytes
  }

  /// True when the bytes of two fields are equal (used to reuse the previous row's strings).
  @inlinable @inline(__always)
  public static func sameBytes(_ b: UnsafeBufferPointer<UInt8>, _ x: Field, _ y: Field) -> Bool {
    let n = x.end - x.start
    guard n == y.end - y.start, x.quoted == y.quoted else { return false }
    return n == 0 || memcmp(b.baseAddress! + x.start, b.baseAddress! + y.start, n) == 0
  }
}
