/// Serialises markup trees as polyglot XHTML5: well-formed XML that HTML5 parsers read the same way.
///
/// Rules (each one is why the output passes both `xmllint --noout` and `tidy`):
/// - HTML void elements (`br`, `meta`, `img`, …) are written self-closed (`<br />`); other empty
///   HTML elements get an explicit end tag (`<div></div>`), because HTML parsers ignore `/>` on
///   them. Inside `<svg>` (foreign content) every empty element is self-closed.
/// - Text and attribute values are always escaped (see `Escaping`); `.trusted` nodes are copied.
/// - An element whose children are all elements (and that is not inline or `pre`) puts each
///   child on its own line, so files diff well; mixed content is written as is, so no
///   whitespace is ever added inside text.
/// - LF line endings only, no trailing spaces, no time or randomness: same tree → same bytes.
public enum XHTMLWriter {
  /// A complete page: `<!DOCTYPE html>`, then `root` (normally `<html xmlns=…>`), then a newline.
  public static func document(_ root: Element) -> String {
    var out = "<!DOCTYPE html>\n"
    out.reserveCapacity(1 << 14)
    write(root, to: &out, inSVG: false)
    out += "\n"
    return out
  }

  /// A standalone SVG file: XML declaration, then `svg` (which should carry `xmlns`), then a newline.
  public static func svgDocument(_ svg: Element) -> String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    write(svg, to: &out, inSVG: true)
    out += "\n"
    return out
  }

  /// One element serialised on its own (no declaration, no trailing newline).
  public static func fragment(_ element: Element) -> String {
    var out = ""
    write(element, to: &out, inSVG: element.name == "svg")
    return out
  }

  /// Text escaped as XML character data.
  public static func escapeText(_ text: String) -> String {
    var out = ""
    Escaping.appendText(text, to: &out)
    return out
  }

  /// Text escaped for a double-quoted attribute value.
  public static func escapeAttribute(_ text: String) -> String {
    var out = ""
    Escaping.appendAttribute(text, to: &out)
    return out
  }

  static let voidElements: Set<String> = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
  ]

  /// Elements whose content is phrasing content (or preformatted): never add line breaks inside.
  static let inlineElements: Set<String> = [
    "a", "abbr", "b", "caption", "code", "dd", "dt", "em", "figcaption", "h1", "h2", "h3", "h4",
    "h5", "h6", "i", "kbd", "label", "li", "p", "pre", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "td", "th", "time", "var", "text", "tspan", "title", "desc", "textPath",
  ]

  private static func write(_ e: Element, to out: inout String, inSVG parentInSVG: Bool) {
    let inSVG = parentInSVG || e.name == "svg"
    let name = Escaping.xmlName(e.name)
    out += "<"
    out += name
    for a in e.attributes {
      out += " "
      out += Escaping.xmlName(a.name)
      out += "=\""
      Escaping.appendAttribute(a.value, to: &out)
      out += "\""
    }
    if e.children.isEmpty {
      if inSVG || voidElements.contains(e.name) {
        out += " />"
      } else {
        out += "></"
        out += name
        out += ">"
      }
      return
    }
    // A void element with children cannot be expressed in HTML; children are dropped on purpose.
    if !inSVG && voidElements.contains(e.name) {
      out += " />"
      return
    }
    out += ">"
    let breakLines =
      !inlineElements.contains(e.name)
      && e.children.allSatisfy { if case .element = $0 { return true } else { return false } }
    for child in e.children {
      if breakLines { out += "\n" }
      switch child {
      case .element(let c): write(c, to: &out, inSVG: inSVG)
      case .text(let t): Escaping.appendText(t, to: &out)
      case .trusted(let m): out += Escaping.sanitized(m)
      }
    }
    if breakLines { out += "\n" }
    out += "</"
    out += name
    out += ">"
  }
}
