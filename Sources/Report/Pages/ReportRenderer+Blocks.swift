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
    case .fresh, .ran:
      break
    }
    if !s.arguments.isEmpty { children.append(.element(HTML.kvTable("Arguments", s.arguments))) }
    for t in s.tables { children.append(.element(metricsTable(t))) }
    for f in s.figures { children.append(.element(figure(f, in: chapter, ids: &ids))) }
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
      children.append(
        .element(
          HTML.el(
            "div", cls: "files",
            [
              .element(HTML.text("p", cls: "muted", "Files")),
              .element(HTML.el("ul", cls: "files", items)),
            ])))
    }
    let anchor = ids.unique(stepAnchor(chapter, s))
    return HTML.el(
      "section", [Attribute("class", "step \(cls)"), Attribute("id", anchor)], children)
  }

  static func metricsTable(_ t: MetricsTable) -> Element {
    let width = max(t.columns.count, t.rows.map(\.count).max() ?? 0)
    let numeric = (0..<width).map { k -> Bool in
      let cells = t.rows.compactMap { k < $0.count ? $0[k] : nil }.filter { $0 != .empty }
      return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
    }
    let headCells = (0..<width).map { k -> Node in
      .element(
        Element(
          "th", [Attribute("scope", "col")] + (numeric[k] ? [Attribute("class", "num")] : []),
          [.text(k < t.columns.count ? t.columns[k] : "")]))
    }
    let rows = t.rows.map { row -> Node in
      let cells = (0..<width).map { k -> Node in
        let c = k < row.count ? row[k] : .empty
        return .element(
          Element(
            "td", c.isNumeric || (numeric[k] && c == .empty) ? [Attribute("class", "num")] : [],
            [.text(Formatting.cell(c))]))
      }
      return .element(HTML.el("tr", cells))
    }
    let table = HTML.el(
      "table", cls: "metrics",
      [
        .element(HTML.text("caption", t.title)),
        .element(HTML.el("thead", [.element(HTML.el("tr", headCells))])),
        .element(HTML.el("tbody", rows)),
      ])
    return HTML.el("div", cls: "table-wrap", [.element(table)])
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
    content.append(.element(HTML.text("figcaption", f.caption)))
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
