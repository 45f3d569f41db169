import DUNESupport

/// Prose, steps, tables, figures and failure banners of a chapter page.
extension ReportRenderer {
  static func failureBanner(_ failures: [(href: String, label: String, failure: StepFailure)])
    -> Element
  {
    let heading = failures.count == 1 ? "1 step failed" : "\(failures.count) steps failed"
    let items = failures.map { f -> Node in
      var parts: [Node] = [.element(HTML.link(f.href, f.label))]
      let whereText = f.failure.location.map { "\($0.description): " } ?? ""
      parts.append(.element(HTML.text("span", cls: "where", " — \(whereText)\(f.failure.message)")))
      return .element(HTML.el("li", parts))
    }
    return HTML.el(
      "div", [Attribute("class", "banner"), Attribute("role", "alert")],
      [
        .element(HTML.text("p", heading)), .element(HTML.el("ul", items)),
      ])
  }

  /// Prose embedded verbatim when it is well-formed and free of scripts; otherwise shown
  /// escaped under a warning so the page stays valid and the problem visible.
  static func prose(_ p: TrustedHTML) -> Element {
    let (issues, unsafe) = XMLCheck.inspectFragment(p.markup)
    if issues.isEmpty && unsafe.isEmpty {
      return HTML.el("div", cls: "prose", [.trusted(p.markup)])
    }
    let why =
      issues.first.map { "it is not well-formed XHTML (\($0.description))" }
      ?? "it contains active or external content (\(unsafe.prefix(3).joined(separator: ", ")))"
    return HTML.el(
      "div", cls: "prose invalid",
      [
        .element(
          HTML.text("p", cls: "note warning", "This prose is shown as source text because \(why).")),
        .element(HTML.text("pre", p.markup)),
      ])
  }

  static func stepAnchor(_ chapter: ChapterPage, _ step: StepView) -> String {
    ChartRenderer.sanitizedID("\(chapter.slug)-\(step.id)")
  }

  static func statusWord(_ s: StepStatus) -> (cls: String, word: String) {
    switch s {
    case .fresh: return ("fresh", "fresh")
    case .ran: return ("ran", "ran")
    case .done: return ("done", "done")
    case .failed: return ("failed", "failed")
    case .expectedFailure: return ("expected-failure", "expected failure")
    case .skipped: return ("skipped", "skipped")
    }
  }

  static func step(_ s: StepView, in chapter: ChapterPage, ids: inout IDRegistry) -> Element {
    let (cls, word) = statusWord(s.status)
    var head: [Node] = [
      .element(HTML.el("code", cls: "kind", [.text("dune \(s.kind)")])),
      .element(HTML.text("span", cls: "step-id", s.id)),
      .element(HTML.text("span", cls: "badge \(cls)", word)),
    ]
    if let d = s.durationSeconds {
      head.append(.element(HTML.text("span", cls: "duration", Formatting.duration(d))))
    }
    var children: [Node] = [.element(HTML.el("div", cls: "step-head", head))]
    switch s.status {
    case .failed(let f):
      let whereText = f.location.map { "\($0.description): " } ?? ""
      children.append(
        .element(
          HTML.el(
            "div", [Attribute("class", "banner"), Attribute("role", "alert")],
            [
              .element(HTML.text("p", "This step failed.")),
              .element(HTML.text("pre", cls: "where", "\(whereText)error: \(f.message)")),
            ])))
    case .expectedFailure(let f):
      let whereText = f.location.map { "\($0.description): " } ?? ""
      children.append(
        .element(HTML.text("p", cls: "note", "Failed as expected: \(whereText)\(f.message)")))
    case .skipped(let reason):
      children.append(.element(HTML.text("p", cls: "note", "Not run: \(reason)")))
    case .fresh, .ran, .done:
      break
    }
    // The answer first: figures and short tables; then what supports them, folded.
    for f in s.figures { children.append(.element(figure(f, in: chapter, ids: &ids))) }
    for t in s.tables where !t.folded { children.append(.element(metricsTable(t, ids: &ids))) }
    if !s.notes.isEmpty {
      children.append(.element(HTML.el("ul", cls: "notes", s.notes.map { .element(HTML.text("li", $0)) })))
    }
    for t in s.tables where t.folded { children.append(.element(metricsTable(t, ids: &ids))) }
    if !s.arguments.isEmpty {
      children.append(.element(folded("Arguments", [.element(HTML.kvTable(nil, s.arguments))])))
    }
    if !s.files.isEmpty {
      let items = s.files.map { f -> Node in
        var parts: [Node] = [.element(HTML.link(urlPath(f.path), f.label))]
        if let b = f.sizeBytes {
          parts += [
            .text(" "), .element(HTML.text("span", cls: "size", "(\(Formatting.size(b)))")),
          ]
        }
        return .element(HTML.el("li", parts))
      }
      let count = s.files.count == 1 ? "1 file" : "\(s.files.count) files"
      children.append(.element(folded("Files (\(count))", [.element(HTML.el("ul", cls: "files", items))])))
    }
    let anchor = ids.unique(stepAnchor(chapter, s))
    return HTML.el(
      "section", [Attribute("class", "step \(cls)"), Attribute("id", anchor)], children)
  }

  /// A `<details>` block, closed, with `summary` as its one visible line.
  static func folded(_ summary: String, _ content: [Node], id: String? = nil) -> Element {
    var attributes = [Attribute("class", "more")]
    if let id { attributes.append(Attribute("id", id)) }
    return Element("details", attributes, [.element(HTML.text("summary", summary))] + content)
  }

  static func metricsTable(_ t: MetricsTable) -> Element {
    var ids = IDRegistry()
    return metricsTable(t, ids: &ids)
  }

  /// A table; `folded` tables go inside `<details>` (which then carries the anchor).
  static func metricsTable(_ t: MetricsTable, ids: inout IDRegistry) -> Element {
    let width = max(t.columns.count, t.rows.map(\.count).max() ?? 0)
    let numeric = (0..<width).map { k -> Bool in
      let cells = t.rows.compactMap { k < $0.count ? $0[k] : nil }.filter { $0 != .empty }
      return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
    }
    let headCells = (0..<width).map { k -> Node in
      let c = k < t.columns.count ? t.columns[k] : .text("")
      return .element(
        Element(
          "th", [Attribute("scope", "col")] + (numeric[k] ? [Attribute("class", "num")] : []), cellContent(c)))
    }
    let rows = t.rows.map { row -> Node in
      let cells = (0..<width).map { k -> Node in
        let c = k < row.count ? row[k] : .empty
        var attributes: [Attribute] = c.isNumeric || (numeric[k] && c == .empty) ? [Attribute("class", "num")] : []
        if case .measure(let v, _) = c { attributes.append(Attribute("title", NumberFormat.shortest(v))) }
        return .element(Element("td", attributes, cellContent(c)))
      }
      return .element(HTML.el("tr", cells))
    }
    let anchor = t.id.map { ids.unique(ChartRenderer.sanitizedID($0)) }
    var table = HTML.el(
      "table", cls: "metrics",
      [
        .element(HTML.text("caption", t.title)),
        .element(HTML.el("thead", [.element(HTML.el("tr", headCells))])),
        .element(HTML.el("tbody", rows)),
      ])
    if !t.folded, let anchor { table.attributes.append(Attribute("id", anchor)) }
    let wrapped = HTML.el("div", cls: "table-wrap", [.element(table)])
    guard t.folded else { return wrapped }
    let rowCount = t.rows.count == 1 ? "1 row" : "\(UnitFormat.count(Double(t.rows.count))) rows"
    return folded("\(t.title) (\(rowCount))", [.element(wrapped)], id: anchor)
  }

  /// The content of a table cell: its text, or a link.
  static func cellContent(_ c: Cell) -> [Node] {
    if case .link(let text, let href) = c { return [.element(HTML.link(urlPath(href), text))] }
    return [.text(Formatting.cell(c))]
  }

  static func figure(_ f: Figure, in chapter: ChapterPage, ids: inout IDRegistry) -> Element {
    let figID = ids.unique(ChartRenderer.sanitizedID("\(chapter.slug)-\(f.id)"))
    var content: [Node]
    switch f.content {
    case .chart(let spec):
      content = [.element(ChartRenderer.svg(spec, id: "\(figID)-chart"))]
    case .svg(let e):
      content = [.element(e)]
    case .trustedSVG(let markup):
      let body = stripProlog(markup)
      let (issues, unsafe) = XMLCheck.inspectFragment(body)
      if issues.isEmpty && unsafe.isEmpty {
        content = [.trusted(body)]
      } else {
        let why =
          issues.first.map { "is not well-formed XML (\($0.description))" }
          ?? "contains active or external content"
        content = [
          .element(
            HTML.text(
              "p", cls: "note warning", "This figure could not be embedded: its SVG \(why)."))
        ]
      }
    }
    var caption: [Node] = [.text(f.caption)]
    for (i, link) in f.dataLinks.enumerated() {
      caption += [.text(i == 0 ? " Numbers: " : ", "), .element(HTML.link(urlPath(link.href), link.label))]
    }
    if !f.dataLinks.isEmpty { caption.append(.text(".")) }
    content.append(.element(HTML.el("figcaption", caption)))
    return HTML.el("figure", [Attribute("id", figID)], content)
  }

  /// Drops an XML declaration and DOCTYPE from standalone SVG text (neither may appear inside a page).
  static func stripProlog(_ s: String) -> String {
    var rest = Substring(s).drop(while: { $0.isWhitespace })
    for opener in ["<?xml", "<!DOCTYPE"] {
      if rest.hasPrefix(opener), let end = rest.firstIndex(of: ">") {
        rest = rest[rest.index(after: end)...].drop(while: { $0.isWhitespace })
      }
    }
    return String(rest)
  }

  /// A relative link target with every byte outside `A–Z a–z 0–9 - . _ ~ / #` percent-encoded,
  /// so spaces work and nothing can turn into a scheme such as `javascript:`.
  static func urlPath(_ path: String) -> String {
    var out = ""
    for b in path.utf8 {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "#"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        let hex = Array("0123456789ABCDEF")
        out += "%"
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
      }
    }
    return out
  }
}
