/// Terse constructors for the HTML elements the pages use.
enum HTML {
  static func el(_ name: String, _ attrs: [Attribute] = [], _ children: [Node]) -> Element {
    Element(name, attrs, children)
  }

  static func el(_ name: String, cls: String? = nil, _ children: [Node]) -> Element {
    Element(name, cls.map { [Attribute("class", $0)] } ?? [], children)
  }

  static func text(_ name: String, cls: String? = nil, _ s: String) -> Element {
    el(name, cls: cls, [.text(s)])
  }

  static func link(_ href: String, _ s: String, cls: String? = nil) -> Element {
    var a = [Attribute("href", href)]
    if let cls { a.append(Attribute("class", cls)) }
    return Element("a", a, [.text(s)])
  }

  /// A key/value table (arguments, parameters, versions).
  static func kvTable(_ caption: String?, _ pairs: [KeyValue], cls: String = "kv") -> Element {
    var children: [Node] = []
    if let caption { children.append(.element(text("caption", caption))) }
    let rows = pairs.map { kv -> Node in
      .element(
        el(
          "tr",
          [.element(text("th", kv.key)), .element(el("td", [.element(text("code", kv.value))]))]))
    }
    children.append(.element(el("tbody", rows)))
    return el("div", cls: "table-wrap", [.element(el("table", cls: cls, children))])
  }
}
