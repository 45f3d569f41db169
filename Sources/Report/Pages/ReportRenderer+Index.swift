/// The chapter table of the index page.
extension ReportRenderer {
  static func chapterTable(_ site: ReportSite) -> Element {
    let head = ["#", "Chapter", "Steps", "Status", "Key metrics"].map { h -> Node in
      .element(
        Element(
          "th",
          [Attribute("scope", "col")]
            + (h == "#" || h == "Steps" ? [Attribute("class", "num")] : []), [.text(h)]))
    }
    let rows = site.chapters.enumerated().map { (i, c) -> Node in
      let steps = c.steps
      var counts: [String: Int] = [:]
      for s in steps { counts[statusWord(s.status).word, default: 0] += 1 }
      let failed = counts["failed"] ?? 0
      let order = ["failed", "expected failure", "skipped", "ran", "fresh"]
      let summary = order.compactMap { w in counts[w].map { "\($0) \(w)" } }.joined(separator: ", ")
      let metrics = c.keyMetrics.map { "\($0.label): \(Formatting.cell($0.value))" }.joined(
        separator: "; ")
      return .element(
        HTML.el(
          "tr", [Attribute("class", failed > 0 ? "failed" : "ok")],
          [
            .element(Element("td", [Attribute("class", "num")], [.text(String(i + 1))])),
            .element(HTML.el("td", [.element(HTML.link(urlPath(c.fileName), c.title))])),
            .element(Element("td", [Attribute("class", "num")], [.text(String(steps.count))])),
            .element(
              HTML.el(
                "td",
                [
                  .element(
                    HTML.text(
                      "span", cls: failed > 0 ? "badge failed" : "status",
                      summary.isEmpty ? "no steps" : summary))
                ])),
            .element(HTML.text("td", metrics.isEmpty ? "–" : metrics)),
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
