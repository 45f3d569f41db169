/// Escaping rules of the markup writer: the only place where user text becomes markup.
///
/// Text and attribute values may contain anything (class names from a dataset, file names,
/// error messages); they are escaped here, and characters XML forbids (C0 controls other than tab,
/// LF, CR, and U+FFFE/U+FFFF) or HTML reports as parse errors (DEL and the C1 controls
/// U+007F–U+009F) are replaced by U+FFFD so the page stays well-formed and the problem visible.
/// CR and CRLF become LF so output has LF line endings only.
enum Escaping {
  /// Appends `text` escaped as XML character data (`&`, `<`, `>`).
  static func appendText(_ text: String, to out: inout String) {
    append(text, to: &out, attribute: false)
  }

  /// Appends `value` escaped for a double-quoted attribute (`&`, `<`, `>`, `"`, tab, LF, CR).
  static func appendAttribute(_ value: String, to out: inout String) {
    append(value, to: &out, attribute: true)
  }

  /// Replaces characters XML forbids and normalises line endings, without escaping markup.
  static func sanitized(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF }) else {
      return text
    }
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    var previousCR = false
    for s in text.unicodeScalars {
      defer { previousCR = s == "\r" }
      switch s.value {
      case 0x0D: out.unicodeScalars.append("\n")
      case 0x0A: if !previousCR { out.unicodeScalars.append(s) }
      case 0x09: out.unicodeScalars.append(s)
      case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: out.unicodeScalars.append("\u{FFFD}")
      default: out.unicodeScalars.append(s)
      }
    }
    return out
  }

  /// Whether any UTF-8 byte of `text` needs handling (markup characters, controls, DEL, the lead
  /// byte 0xC2 of C1 controls or 0xEF of U+FFFE/U+FFFF); most strings take the fast path.
  private static func needsWork(_ text: String, attribute: Bool) -> Bool {
    // Scans the contiguous UTF-8 buffer directly: this runs for every attribute and text node.
    let scan = { (buf: UnsafeBufferPointer<UInt8>) -> Bool in
      var i = 0
      while i < buf.count {
        let b = buf[i]
        if b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x7F || b == 0xC2 || b == 0xEF
          || (attribute && b == 0x22)
        {
          return true
        }
        i += 1
      }
      return false
    }
    var copy = text
    if let r = copy.utf8.withContiguousStorageIfAvailable(scan) { return r }
    copy.makeContiguousUTF8()
    return copy.utf8.withContiguousStorageIfAvailable(scan) ?? true
  }

  private static func append(_ text: String, to out: inout String, attribute: Bool) {
    guard needsWork(text, attribute: attribute) else {
      out += text
      return
    }
    var previousCR = false
    for s in text.unicodeScalars {
      defer { previousCR = s == "\r" }
      switch s {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where attribute: out += "&quot;"
      case "\t" where attribute: out += "&#9;"
      case "\n" where attribute: if !previousCR { out += "&#10;" }
      case "\r" where attribute: out += "&#10;"
      case "\n": if !previousCR { out.unicodeScalars.append(s) }
      case "\r": out += "\n"
      case "\t": out.unicodeScalars.append(s)
      default:
        if s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0xFFFE
          || s.value == 0xFFFF
        {
          out.unicodeScalars.append("\u{FFFD}")
        } else {
          out.unicodeScalars.append(s)
        }
      }
    }
  }

  /// `name` with every character that cannot appear in an XML name replaced by `_`.
  static func xmlName(_ name: String) -> String {
    let valid =
      name.utf8.withContiguousStorageIfAvailable { buf -> Bool in
        guard !buf.isEmpty else { return false }
        var i = 0
        while i < buf.count {
          if !isNameByte(buf[i], first: i == 0) { return false }
          i += 1
        }
        return true
      } ?? false
    if valid { return name }
    if name.isEmpty { return "_" }
    var out = ""
    var first = true
    for s in name.unicodeScalars {
      let b = s.isASCII ? UInt8(s.value) : 0
      out.unicodeScalars.append(isNameByte(b, first: first) ? s : "_")
      first = false
    }
    return out
  }

  private static func isNameByte(_ b: UInt8, first: Bool) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "_"), UInt8(ascii: ":"):
      return true
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
      return !first
    default:
      return false
    }
  }
}
