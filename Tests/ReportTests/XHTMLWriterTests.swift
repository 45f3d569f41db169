import Testing

@testable import Report

@Suite struct XHTMLWriterTests {
  @Test func escapesTextAndAttributes() {
    let e = Element("p", [Attribute("title", "a\"b<c>&d")], [.text("x < y & z > w \"q\"")])
    #expect(
      XHTMLWriter.fragment(e)
        == "<p title=\"a&quot;b&lt;c&gt;&amp;d\">x &lt; y &amp; z &gt; w \"q\"</p>")
  }

  @Test func cdataEndIsEscaped() {
    #expect(XHTMLWriter.escapeText("]]>") == "]]&gt;")
  }

  @Test func replacesInvalidXMLCharactersAndNormalisesLineEndings() {
    #expect(
      XHTMLWriter.escapeText("a\u{0}b\u{1B}c\u{FFFE}d\u{7F}e\u{9F}f\u{A0}")
        == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{A0}")
    #expect(XHTMLWriter.escapeText("1\r\n2\r3\n4\t5") == "1\n2\n3\n4\t5")
    #expect(XHTMLWriter.escapeAttribute("1\r\n2\t3\u{2}") == "1&#10;2&#9;3\u{FFFD}")
  }

  @Test func keepsNonASCIIText() {
    #expect(XHTMLWriter.escapeText("Ünïcödé — ✓ 日本") == "Ünïcödé — ✓ 日本")
  }

  @Test func voidAndEmptyElementsArePolyglot() {
    let e = Element(
      "div", [],
      [
        .element(Element("br")), .element(Element("span")),
        .element(Element("img", [Attribute("alt", "")])),
      ])
    #expect(XHTMLWriter.fragment(e) == "<div>\n<br />\n<span></span>\n<img alt=\"\" />\n</div>")
    let svg = Element("svg", [], [.element(Element("g", [], [.element(Element("rect"))]))])
    #expect(XHTMLWriter.fragment(svg) == "<svg>\n<g>\n<rect />\n</g>\n</svg>")
  }

  @Test func mixedContentGetsNoAddedWhitespace() {
    let p = Element("p", [], [.text("a "), .element(Element("em", [], [.text("b")])), .text(" c")])
    #expect(XHTMLWriter.fragment(p) == "<p>a <em>b</em> c</p>")
    let pre = Element("pre", [], [.element(Element("code", [], [.text("x\n y")]))])
    #expect(XHTMLWriter.fragment(pre) == "<pre><code>x\n y</code></pre>")
  }

  @Test func invalidNamesAreRepaired() {
    let e = Element("bad name>", [Attribute("on\"x", "1"), Attribute("1st", "2")])
    let s = XHTMLWriter.fragment(e)
    #expect(s == "<bad_name_ on_x=\"1\" _st=\"2\"></bad_name_>")
    #expect(XMLCheck.wellFormed(s).isEmpty)
  }

  @Test func trustedMarkupIsCopied() {
    let e = Element("div", [], [.trusted("<b>bold</b> &amp;")])
    #expect(XHTMLWriter.fragment(e) == "<div><b>bold</b> &amp;</div>")
  }

  @Test func documentHasDoctypeAndTrailingNewline() {
    let html = Element(
      "html", [Attribute("xmlns", "http://www.w3.org/1999/xhtml")],
      [.element(Element("body", [], [.text("hi")]))])
    let s = XHTMLWriter.document(html)
    #expect(s.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"))
    #expect(s.hasSuffix("</html>\n"))
    #expect(!s.contains("\r"))
    #expect(XMLCheck.wellFormed(s).isEmpty)
  }

  /// Property: any string through text and attribute paths parses back to its sanitised self.
  @Test func randomStringsRoundTrip() {
    var rng = DemoRandom(seed: 7)
    let alphabet: [Unicode.Scalar] = [
      "<", ">", "&", "\"", "'", "]", "a", "Z", " ", "\t", "\n", "\r", "\u{0}", "\u{1}", "\u{1F}",
      "é", "✓", "\u{FFFF}", "\u{7F}", "\u{85}", "\u{A0}", ";", "#",
    ]
    for _ in 0..<300 {
      var s = ""
      for _ in 0..<Int(rng.unit() * 20) {
        s.unicodeScalars.append(alphabet[Int(rng.unit() * Double(alphabet.count))])
      }
      let e = Element("root", [Attribute("v", s)], [.text(s)])
      let xml = XHTMLWriter.fragment(e)
      #expect(XMLCheck.wellFormed(xml).isEmpty, "\(xml.debugDescription)")
      let parsed = parsedText(xml)
      let expectedText = Escaping.sanitized(s)
      #expect(parsed.characters == "\u{0}" + expectedText)
      #expect(parsed.attributeValues == [expectedText])
    }
  }
}
