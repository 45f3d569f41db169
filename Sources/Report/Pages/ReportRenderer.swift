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
    let failures = site.chapters.flatMap { page in
      page.steps.compactMap { s -> (ChapterPage, StepView, StepFailure)? in
        if case .failed(let f) = s.status { return (page, s, f) } else { return nil }
      }
    }
    if !failures.isEmpty {
      main.append(
        .element(
          failureBanner(
            failures.map { (page, step, f) in
              (
                href: "\(page.fileName)#\(stepAnchor(page, step))",
                label: "\(page.title) › \(step.id)", failure: f
              )
            })))
    }
    main.append(.element(HTML.text("h1", site.title)))
    if let intro = site.introduction { main.append(.element(prose(intro))) }
    if let answer = site.answer { main.append(.element(self.answer(answer, ids: &ids))) }
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
    let failures = chapter.steps.compactMap {
      s -> (href: String, label: String, failure: StepFailure)? in
      if case .failed(let f) = s.status {
        return ("#\(stepAnchor(chapter, s))", s.id, f)
      } else {
        return nil
      }
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

  static func page(
    title: String, site: ReportSite, current: String?, main: [Node], provenance: Element
  ) -> String {
    let head = HTML.el(
      "head",
      [
        .element(Element("meta", [Attribute("charset", "utf-8")])),
        .element(
          Element(
            "meta",
            [
              Attribute("name", "viewport"),
              Attribute("content", "width=device-width, initial-scale=1"),
            ])),
        .element(HTML.text("title", title)),
        .element(Element("style", [], [.trusted("\n" + Stylesheet.css + "\n")])),
      ])
    let header = HTML.el("header", cls: "site", [.element(HTML.link("index.html", site.title))])
    let body = HTML.el(
      "body",
      [
        .element(header),
        .element(chapterNav(site, current: current)),
        .element(
          Element(
            "main", current.map { [Attribute("id", ChartRenderer.sanitizedID($0))] } ?? [], main)),
        .element(HTML.el("footer", [.element(provenance)])),
      ])
    let html = Element(
      "html",
      [
        Attribute("xmlns", "http://www.w3.org/1999/xhtml"), Attribute("lang", "en"),
        Attribute("xml:lang", "en"),
      ],
      [.element(head), .element(body)])
    return XHTMLWriter.document(html)
  }

  static func chapterNav(_ site: ReportSite, current: String?) -> Element {
    var items: [Node] = [
      .element(navItem(href: "index.html", label: "Overview", current: current == nil))
    ]
    for (i, c) in site.chapters.enumerated() {
      items.append(
        .element(
          navItem(href: c.fileName, label: "\(i + 1). \(c.title)", current: c.slug == current)))
    }
    return HTML.el(
      "nav", [Attribute("class", "chapters"), Attribute("aria-label", "Chapters")],
      [.element(HTML.el("ol", items))])
  }

  private static func navItem(href: String, label: String, current: Bool) -> Element {
    // tidy 5.6 does not know `aria-current`; the `current` class marks the page instead.
    let a = [Attribute("href", urlPath(href))]
    return HTML.el(
      "li", current ? [Attribute("class", "current")] : [],
      [.element(Element("a", a, [.text(label)]))])
  }

  static func pager(_ chapter: ChapterPage, _ site: ReportSite) -> Element {
    let i = site.chapters.firstIndex(where: { $0.slug == chapter.slug })
    var parts: [Node] = []
    if let i, i > 0 {
      parts.append(
        .element(
          HTML.link(
            urlPath(site.chapters[i - 1].fileName), "← \(site.chapters[i - 1].title)", cls: "prev"))
      )
    } else {
      parts.append(.element(HTML.link("index.html", "← Overview", cls: "prev")))
    }
    if let i, i + 1 < site.chapters.count {
      parts.append(
        .element(
          HTML.link(
            urlPath(site.chapters[i + 1].fileName), "\(site.chapters[i + 1].title) →", cls: "next"))
      )
    }
    return HTML.el(
      "nav", [Attribute("class", "pager"), Attribute("aria-label", "Previous and next chapter")],
      parts)
  }
}
