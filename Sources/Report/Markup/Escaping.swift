/// Escaping rules of the markup writer: the only place where user text becomes markup.
///
/// Text and attribute values may contain anything (class names from a dataset, file names,
/// error messages); they are escaped here, and characters XML forbids (C0 controls other than tab,
/// LF, CR, and U+FFFE/U+FFFF) are replaced by U+FFFD so the page stays well-formed and the
/// problem stays visible. CR and CRLF become LF so output has LF line endings only.
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
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0xEF }) else { return text }
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    var previousCR = false
    for s in text.unicodeScalars {
      defer { previousCR = s == "\r" }
      switch s.value {
      case 0x0D: out.unicodeScalars.append("\n")
      case 0x0A: if !previousCR { out.unicodeScalars.append(s) }
      case 0x09: out.unicodeScalars.append(s)
      case 0..<0x20, 0xFFFE, 0xFFFF: out.unicodeScalars.append("\u{FFFD}")
      default: out.unicodeScalars.append(s)
      }
    }
    return out
  }

  /// Whether any UTF-8 byte of `text` needs handling (markup characters, controls, or the lead
  /// byte 0xEF of U+FFFE/U+FFFF); most strings take the fast path.
  private static func needsWork(_ text: String, attribute: Bool) -> Bool {
    text.utf8.contains { b in
      b < 0x20 || b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
        || b == 0xEF || (attribute && b == UInt8(ascii: "\""))
    }
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
        if s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF {
          out.unicodeScalars.append("\u{FFFD}")
        } else {
          out.unicodeScalars.append(s)
        }
      }
    }
  }

  /// `name` with every character that cannot appear in an XML name replaced by `_`.
  static func xmlName(_ name: String) -> String {
    var ok = !name.isEmpty
    for (i, b) in name.utf8.enumerated() where !isNameByte(b, first: i == 0) {
      ok = false
      break
    }
    if ok { return name }
    if name.isEmpty { return "_" }
    var out = ""
    for (i, s) in name.unicodeScalars.enumerated() {
      let b = s.isASCII ? UInt8(s.value) : 0
      out.unicodeScalars.append(isNameByte(b, first: i == 0) ? s : "_")
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
