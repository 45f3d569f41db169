/// Renders report pages as self-contained polyglot XHTML5: inline CSS and SVG, no scripts, no
/// external resources, byte-stable for the same model.
///
/// Usage (from the runner):
/// ```swift
/// try AtomicFile.write(ReportRenderer.renderIndex(site), to: "results/index.html")
/// for page in site.chapters {
///   try AtomicFile.write(ReportRenderer.renderChapter(page, in: site), to: "results/\(page.fileName)")
/// }
/// ```
public enum ReportRenderer {
  /// The index page: site title, introduction, a table of chapters with status and key metrics,
  /// a banner if any step failed, and the full provenance record.
  public static func renderIndex(_ site: ReportSite) -> String {
    var ids = IDRegistry()
    var main: [Node] = []
    let failures = site.chapters.flatMap { page in page.steps.compactMap { s -> (ChapterPage, StepView, StepFailure)? in
      if case .failed(let f) = s.status { return (page, s, f) } else { return nil }
    } }
    if !failures.isEmpty {
      main.append(.element(failureBanner(failures.map { (page, step, f) in (href: "\(page.fileName)#\(stepAnchor(page, step))", label: "\(page.title) › \(step.id)", failure: f) })))
    }
    main.append(.element(HTML.text("h1", site.title)))
    if let intro = site.introduction { main.append(.element(prose(intro))) }
    main.append(.element(chapterTable(site)))
    let prov = provenance(site.provenance, chapter: nil, ids: &ids)
    return page(title: site.title, site: site, current: nil, main: main, provenance: prov)
  }

  /// One chapter page: navigation between chapters, a red banner at the top and at each failed
  /// step, prose and steps in order, and the provenance of the chapter's steps.
  public static func renderChapter(_ chapter: ChapterPage, in site: ReportSite) -> String {
    var ids = IDRegistry()
    _ = ids.unique(ChartRenderer.sanitizedID(chapter.slug))  // the id of <main>
    var main: [Node] = []
    let failures = chapter.steps.compactMap { s -> (href: String, label: String, failure: StepFailure)? in
      if case .failed(let f) = s.status { return ("#\(stepAnchor(chapter, s))", s.id, f) } else { return nil }
    }
    if !failures.isEmpty { main.append(.element(failureBanner(failures))) }
    let startsWithHeading: Bool = {
      guard case .prose(let p)? = chapter.blocks.first else { return false }
      return p.markup.drop(while: { $0.isWhitespace }).hasPrefix("<h1")
    }()
    if !startsWithHeading { main.append(.element(HTML.text("h1", chapter.title))) }
    for block in chapter.blocks {
      switch block {
      case .prose(let p): main.append(.element(prose(p)))
      case .step(let s): main.append(.element(step(s, in: chapter, ids: &ids)))
      }
    }
    main.append(.element(pager(chapter, site)))
    let prov = provenance(site.provenance, chapter: chapter.slug, ids: &ids)
    return page(
      title: "\(chapter.title) — \(site.title)", site: site, current: chapter.slug, main: main,
      provenance: prov)
  }

  // MARK: - Page shell

  static func page(title: String, site: ReportSite, current: String?, main: [Node], provenance: Element) -> String {
    let head = HTML.el("head", [
      .element(Element("meta", [Attribute("charset", "utf-8")])),
      .element(Element("meta", [Attribute("name", "viewport"), Attribute("content", "width=device-width, initial-scale=1")])),
      .element(HTML.text("title", title)),
      .element(Element("style", [], [.trusted("\n" + Stylesheet.css + "\n")])),
    ])
    let header = HTML.el("header", cls: "site", [.element(HTML.link("index.html", site.title))])
    let body = HTML.el("body", [
      .element(header),
      .element(chapterNav(site, current: current)),
      .element(Element("main", current.map { [Attribute("id", ChartRenderer.sanitizedID($0))] } ?? [], main)),
      .element(HTML.el("footer", [.element(provenance)])),
    ])
    let html = Element(
      "html",
      [Attribute("xmlns", "http://www.w3.org/1999/xhtml"), Attribute("lang", "en"), Attribute("xml:lang", "en")],
      [.element(head), .element(body)])
    return XHTMLWriter.document(html)
  }

  static func chapterNav(_ site: ReportSite, current: String?) -> Element {
    var items: [Node] = [.element(navItem(href: "index.html", label: "Overview", current: current == nil))]
    for (i, c) in site.chapters.enumerated() {
      items.append(.element(navItem(href: c.fileName, label: "\(i + 1). \(c.title)", current: c.slug == current)))
    }
    return HTML.el("nav", [Attribute("class", "chapters"), Attribute("aria-label", "Chapters")], [.element(HTML.el("ol", items))])
  }

  private static func navItem(href: String, label: String, current: Bool) -> Element {
    // tidy 5.6 does not know `aria-current`; the `current` class marks the page instead.
    let a = [Attribute("href", urlPath(href))]
    return HTML.el("li", current ? [Attribute("class", "current")] : [], [.element(Element("a", a, [.text(label)]))])
  }

  static func pager(_ chapter: ChapterPage, _ site: ReportSite) -> Element {
    let i = site.chapters.firstIndex(where: { $0.slug == chapter.slug })
    var parts: [Node] = []
    if let i, i > 0 {
      parts.append(.element(HTML.link(urlPath(site.chapters[i - 1].fileName), "← \(site.chapters[i - 1].title)", cls: "prev")))
    } else {
      parts.append(.element(HTML.link("index.html", "← Overview", cls: "prev")))
    }
    if let i, i + 1 < site.chapters.count {
      parts.append(.element(HTML.link(urlPath(site.chapters[i + 1].fileName), "\(site.chapters[i + 1].title) →", cls: "next")))
    }
    return HTML.el("nav", [Attribute("class", "pager"), Attribute("aria-label", "Previous and next chapter")], parts)
  }

  // MARK: - Blocks

  static func failureBanner(_ failures: [(href: String, label: String, failure: StepFailure)]) -> Element {
    let heading = failures.count == 1 ? "1 step failed" : "\(failures.count) steps failed"
    let items = failures.map { f -> Node in
      var parts: [Node] = [.element(HTML.link(f.href, f.label))]
      let whereText = f.failure.location.map { "\($0.description): " } ?? ""
      parts.append(.element(HTML.text("span", cls: "where", " — \(whereText)\(f.failure.message)")))
      return .element(HTML.el("li", parts))
    }
    return HTML.el("div", [Attribute("class", "banner"), Attribute("role", "alert")], [
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
      ?? "it contains active content (\(unsafe.prefix(3).joined(separator: ", ")))"
    return HTML.el("div", cls: "prose invalid", [
      .element(HTML.text("p", cls: "note warning", "This prose is shown as source text because \(why).")),
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
    if let d = s.durationSeconds { head.append(.element(HTML.text("span", cls: "duration", Formatting.duration(d)))) }
    var children: [Node] = [.element(HTML.el("div", cls: "step-head", head))]
    switch s.status {
    case .failed(let f):
      let whereText = f.location.map { "\($0.description): " } ?? ""
      children.append(.element(HTML.el("div", [Attribute("class", "banner"), Attribute("role", "alert")], [
        .element(HTML.text("p", "This step failed.")),
        .element(HTML.text("pre", cls: "where", "\(whereText)error: \(f.message)")),
      ])))
    case .expectedFailure(let f):
      let whereText = f.location.map { "\($0.description): " } ?? ""
      children.append(.element(HTML.text("p", cls: "note", "Failed as expected: \(whereText)\(f.message)")))
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
        if let b = f.sizeBytes { parts += [.text(" "), .element(HTML.text("span", cls: "size", "(\(Formatting.size(b)))"))] }
        return .element(HTML.el("li", parts))
      }
      children.append(.element(HTML.el("div", cls: "files", [.element(HTML.text("p", cls: "muted", "Files")), .element(HTML.el("ul", cls: "files", items))])))
    }
    let anchor = ids.unique(stepAnchor(chapter, s))
    return HTML.el("section", [Attribute("class", "step \(cls)"), Attribute("id", anchor)], children)
  }

  static func metricsTable(_ t: MetricsTable) -> Element {
    let width = max(t.columns.count, t.rows.map(\.count).max() ?? 0)
    let numeric = (0..<width).map { k -> Bool in
      let cells = t.rows.compactMap { k < $0.count ? $0[k] : nil }.filter { $0 != .empty }
      return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
    }
    let headCells = (0..<width).map { k -> Node in
      .element(Element("th", [Attribute("scope", "col")] + (numeric[k] ? [Attribute("class", "num")] : []), [.text(k < t.columns.count ? t.columns[k] : "")]))
    }
    let rows = t.rows.map { row -> Node in
      let cells = (0..<width).map { k -> Node in
        let c = k < row.count ? row[k] : .empty
        return .element(Element("td", c.isNumeric || (numeric[k] && c == .empty) ? [Attribute("class", "num")] : [], [.text(Formatting.cell(c))]))
      }
      return .element(HTML.el("tr", cells))
    }
    let table = HTML.el("table", cls: "metrics", [
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
        let why = issues.first.map { "is not well-formed XML (\($0.description))" } ?? "contains active content"
        content = [.element(HTML.text("p", cls: "note warning", "This figure could not be embedded: its SVG \(why)."))]
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

  // MARK: - Index

  static func chapterTable(_ site: ReportSite) -> Element {
    let head = ["#", "Chapter", "Steps", "Status", "Key metrics"].map { h -> Node in
      .element(Element("th", [Attribute("scope", "col")] + (h == "#" || h == "Steps" ? [Attribute("class", "num")] : []), [.text(h)]))
    }
    let rows = site.chapters.enumerated().map { (i, c) -> Node in
      let steps = c.steps
      var counts: [String: Int] = [:]
      for s in steps { counts[statusWord(s.status).word, default: 0] += 1 }
      let failed = counts["failed"] ?? 0
      let order = ["failed", "expected failure", "skipped", "ran", "fresh"]
      let summary = order.compactMap { w in counts[w].map { "\($0) \(w)" } }.joined(separator: ", ")
      let metrics = c.keyMetrics.map { "\($0.label) \(Formatting.cell($0.value))" }.joined(separator: "; ")
      return .element(HTML.el("tr", [Attribute("class", failed > 0 ? "failed" : "ok")], [
        .element(Element("td", [Attribute("class", "num")], [.text(String(i + 1))])),
        .element(HTML.el("td", [.element(HTML.link(urlPath(c.fileName), c.title))])),
        .element(Element("td", [Attribute("class", "num")], [.text(String(steps.count))])),
        .element(HTML.el("td", [.element(HTML.text("span", cls: failed > 0 ? "badge failed" : "status", summary.isEmpty ? "no steps" : summary))])),
        .element(HTML.text("td", metrics.isEmpty ? "–" : metrics)),
      ]))
    }
    let table = HTML.el("table", cls: "chapters", [
      .element(HTML.text("caption", "Chapters")),
      .element(HTML.el("thead", [.element(HTML.el("tr", head))])),
      .element(HTML.el("tbody", rows)),
    ])
    return HTML.el("div", cls: "table-wrap", [.element(table)])
  }

  // MARK: - Provenance

  /// The provenance block; on a chapter page only that chapter's steps are listed.
  static func provenance(_ p: Provenance, chapter: String?, ids: inout IDRegistry) -> Element {
    var facts: [KeyValue] = []
    facts.append(KeyValue("git commit", (p.gitCommit ?? "unknown") + (p.dirty ? " (uncommitted changes)" : "")))
    facts.append(KeyValue("generated", p.generatedAt.map { "\(Formatting.isoUTC($0)) (SOURCE_DATE_EPOCH)" } ?? "not recorded (SOURCE_DATE_EPOCH unset)"))
    var children: [Node] = [.element(HTML.text("summary", "Provenance")), .element(HTML.kvTable(nil, facts))]
    if !p.toolVersions.isEmpty { children.append(.element(HTML.kvTable("Tool versions", p.toolVersions))) }
    if !p.parameters.isEmpty { children.append(.element(HTML.kvTable("Parameters", p.parameters))) }
    let steps = p.steps.filter { chapter == nil || $0.chapter == chapter }
    if !steps.isEmpty {
      let rows = steps.map { s -> [Cell] in
        [.text(s.chapter), .text(s.stepID), .text(s.status), s.seconds.map { .number($0, decimals: 3) } ?? .empty, .text(s.cacheKey)]
      }
      children.append(.element(metricsTable(MetricsTable(title: "Steps", columns: ["Chapter", "Step", "Status", "Seconds", "Cache key"], rows: rows))))
    }
    return HTML.el("details", [Attribute("class", "provenance"), Attribute("id", ids.unique("provenance"))], children)
  }
}

/// Hands out element ids unique within one page: a repeated base gets `-2`, `-3`, … appended.
struct IDRegistry {
  private var used: Set<String> = []

  mutating func unique(_ base: String) -> String {
    var candidate = base
    var n = 2
    while used.contains(candidate) {
      candidate = "\(base)-\(n)"
      n += 1
    }
    used.insert(candidate)
    return candidate
  }
}
