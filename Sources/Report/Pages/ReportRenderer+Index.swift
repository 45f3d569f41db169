import DUNESupport

/// The index page's answer section and chapter table.
extension ReportRenderer {
  /// The run's answer: its numbers, then the figures and tables that show them.
  static func answer(_ a: Answer, ids: inout IDRegistry) -> Element {
    var children: [Node] = [.element(HTML.text("h2", a.title))]
    if !a.items.isEmpty {
      let rows = a.items.map { item -> Node in
        var td: [Attribute] = [Attribute("class", item.value.isNumeric ? "num" : "value")]
        if case .measure(let v, _) = item.value { td.append(Attribute("title", NumberFormat.shortest(v))) }
        return .element(
          HTML.el(
            "tr",
            [.element(HTML.text("th", item.label)), .element(Element("td", td, cellContent(item.value)))]))
      }
      children.append(
        .element(
          HTML.el(
            "div", cls: "table-wrap",
            [.element(HTML.el("table", cls: "kv answer", [.element(HTML.el("tbody", rows))]))])))
    }
    let page = ChapterPage(slug: "index", title: a.title, blocks: [])
    for f in a.figures { children.append(.element(figure(f, in: page, ids: &ids))) }
    for t in a.tables { children.append(.element(metricsTable(t, ids: &ids))) }
    if let source = a.source {
      children.append(
        .element(
          HTML.el("p", cls: "muted", [.text("Details: "), .element(HTML.link(urlPath(source.href), source.label))])))
    }
    return HTML.el("section", [Attribute("class", "answer"), Attribute("id", ids.unique("answer"))], children)
  }

  static func chapterTable(_ site: ReportSite) -> Element {
    let head = ["#", "Chapter", "Status", "Key numbers"].map { h -> Node in
      .element(
        Element("th", [Attribute("scope", "col")] + (h == "#" ? [Attribute("class", "num")] : []), [.text(h)]))
    }
    let rows = site.chapters.enumerated().map { (i, c) -> Node in
      let status = c.effectiveStatus
      let failed = status == .failed
      let keys: Node =
        c.keyMetrics.isEmpty
        ? .text("–")
        : .element(
          HTML.el(
            "ul", cls: "keys",
            c.keyMetrics.map { k -> Node in
              var value = Element("span", [Attribute("class", "value")], cellContent(k.value))
              if case .measure(let v, _) = k.value {
                value.attributes.append(Attribute("title", NumberFormat.shortest(v)))
              }
              return .element(HTML.el("li", [.text("\(k.label): "), .element(value)]))
            }))
      let badge: String
      switch status {
      case .done: badge = "badge done"
      case .failed: badge = "badge failed"
      default: badge = "badge skipped"
      }
      return .element(
        HTML.el(
          "tr", [Attribute("class", failed ? "failed" : "ok")],
          [
            .element(Element("td", [Attribute("class", "num")], [.text(String(i + 1))])),
            .element(HTML.el("td", [.element(HTML.link(urlPath(c.fileName), c.title))])),
            .element(HTML.el("td", [.element(HTML.text("span", cls: badge, status.text))])),
            .element(HTML.el("td", [keys])),
          ]))
    }
    let table = HTML.el(
      "table", cls: "chapters",
      [
        .element(HTML.text("caption", "Chapters")),
        .element(HTML.el("thead", [.element(HTML.el("tr", head))])),
        .element(HTML.el("tbody", rows)),
      ])
    return HTML.el("div", cls: "table-wrap", [.element(table)])
  }
}
