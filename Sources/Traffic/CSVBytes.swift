import DUNESupport
import Foundation

/// Byte-level helpers for the large CSV files of this module (sample tables, flow counts):
/// field scanning with RFC 4180 quotes and number parsing/printing without `String` round trips.
enum CSVBytes {
  static let comma = UInt8(ascii: ",")
  static let quote = UInt8(ascii: "\"")
  static let lf = UInt8(ascii: "\n")
  static let cr = UInt8(ascii: "\r")

  /// One scanned field: byte range in the buffer, and whether it was quoted (needs unescaping).
  struct Field {
    var start: Int
    var end: Int
    var quoted: Bool
  }

  /// Scans the record starting at `pos` into `fields`; returns the position after its line end.
  /// `line` is advanced past every newline consumed (including ones inside quotes).
  static func scanRecord(
    _ b: UnsafeBufferPointer<UInt8>, from pos: Int, fields: inout [Field], line: inout Int
  ) -> Int {
    fields.removeAll(keepingCapacity: true)
    let n = b.count
    var i = pos
    while true {
      if i < n, b[i] == quote {
        let start = i + 1
        i += 1
        while i < n {
          if b[i] == quote {
            if i + 1 < n, b[i + 1] == quote {
              i += 2
              continue
            }
            break
          }
          if b[i] == lf { line += 1 }
          i += 1
        }
        fields.append(Field(start: start, end: min(i, n), quoted: true))
        i += 1  // closing quote
        while i < n, b[i] != comma, b[i] != lf, b[i] != cr { i += 1 }  // tolerate junk after the quote
      } else {
        let start = i
        while i < n, b[i] != comma, b[i] != lf, b[i] != cr { i += 1 }
        fields.append(Field(start: start, end: i, quoted: false))
      }
      if i < n, b[i] == comma {
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
  static func string(_ b: UnsafeBufferPointer<UInt8>, _ f: Field) -> String {
    let raw = UnsafeBufferPointer(rebasing: b[f.start..<f.end])
    if !f.quoted { return String(decoding: raw, as: UTF8.self) }
    return String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\"\"", with: "\"")
  }

  /// Parses a number field: fast path for integers, `strtod` for the rest. Nil when not a number.
  /// The buffer must be followed by a NUL byte (strtod's stop guarantee).
  static func double(_ b: UnsafeBufferPointer<UInt8>, _ f: Field) -> Double? {
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
  @inline(__always)
  static func appendNumber(_ x: Double, to out: inout [UInt8]) {
    if x == x.rounded(), abs(x) < 1e15 {
      appendInt(Int64(x), to: &out)
    } else {
      out.append(contentsOf: NumberFormat.shortest(x).utf8)
    }
  }

  @inline(__always)
  static func appendInt(_ v: Int64, to out: inout [UInt8]) {
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
  static func appendText(_ s: String, to out: inout [UInt8]) {
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
  static func readFile(_ path: String) throws -> [UInt8] {
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
  @inline(__always)
  static func sameBytes(_ b: UnsafeBufferPointer<UInt8>, _ x: Field, _ y: Field) -> Bool {
    let n = x.end - x.start
    guard n == y.end - y.start, x.quoted == y.quoted else { return false }
    return n == 0 || memcmp(b.baseAddress! + x.start, b.baseAddress! + y.start, n) == 0
  }
}
