import Foundation
import Testing

@testable import Report

@Suite struct PageTests {
  static func allPages(_ site: ReportSite) -> [(String, String)] {
    ReportRenderer.renderSite(site).map { ($0.fileName, $0.html) }
  }

  @Test func demoPagesAreWellFormedPolyglot() {
    let site = DemoSite.make()
    #expect(site.chapters.count == 7)
    #expect(site.chapters.flatMap(\.steps).flatMap(\.figures).count >= 40)
    for (name, html) in Self.allPages(site) {
      #expect(XMLCheck.wellFormed(html).isEmpty, "\(name): \(XMLCheck.wellFormed(html).prefix(3))")
      #expect(
        html.hasPrefix(
          "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">"
        ))
      #expect(!html.contains("\r"))
      #expect(!html.contains("<script"))
      #expect(!html.contains("<link"))
      #expect(matches(#"(?:src|href)="([^"]*:[^"]*)""#, in: html).isEmpty, "\(name): absolute URL")
      let ids = matches(#" id="([^"]+)""#, in: html)
      #expect(
        Set(ids).count == ids.count,
        "\(name): duplicate ids \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())"
      )
    }
  }

  /// Hostile text in every field: titles, class names, arguments, metric cells, file names,
  /// chart labels, failure messages, provenance. Pages stay well-formed and show it literally.
  @Test func hostileTextIsEscapedEverywhere() {
    let site = DemoSite.make(hostile: hostile)
    for (name, html) in Self.allPages(site) {
      #expect(XMLCheck.wellFormed(html).isEmpty, "\(name): \(XMLCheck.wellFormed(html).prefix(3))")
      let parsed = parsedText(html)
      #expect(!parsed.elementNames.contains("script"), "\(name)")
      #expect(parsed.characters.contains(hostileVisible), "\(name)")
    }
    let chapter = ReportRenderer.renderChapter(site.chapters[3], in: site)
    let parsed = parsedText(chapter)
    let visible = hostileVisible
    for field in [
      "Per-class scores", "SPP found no feasible partition", "result.csv", "[mitm, dos", "step1",
      "macro F1",
    ] where field != "macro F1" {
      #expect(parsed.characters.contains(field + " " + visible), "\(field)")
    }
    #expect(parsed.characters.contains("ton " + visible), "parameters")
    // File links are percent-encoded, so nothing in an href can start a scheme or break out.
    for href in matches(#"href="([^"]*)""#, in: chapter) {
      #expect(!href.contains(":") && !href.contains(" ") && !href.contains("&quot;"), "\(href)")
    }
    let index = ReportRenderer.renderIndex(site)
    #expect(parsedText(index).characters.contains("macro F1 " + visible))
  }

  @Test func failuresShowBannersAtTopAndAtStep() {
    let site = DemoSite.make()
    let failing = ReportRenderer.renderChapter(site.chapters[3], in: site)
    let banners = matches(#"(<div class="banner" role="alert">)"#, in: failing)
    #expect(banners.count == 2)
    let top = failing.range(of: "<div class=\"banner\"")!.lowerBound
    let firstStep = failing.range(of: "<section class=\"step")!.lowerBound
    #expect(top < firstStep)
    #expect(failing.contains("chapters/04-model-partitioning.md:42:1"))
    #expect(failing.contains("href=\"#04-model-partitioning-step2\""))
    #expect(failing.contains("<section class=\"step failed\" id=\"04-model-partitioning-step2\">"))
    let fine = ReportRenderer.renderChapter(site.chapters[0], in: site)
    #expect(!fine.contains("class=\"banner\""))
    let expected = ReportRenderer.renderChapter(site.chapters[6], in: site)
    #expect(!expected.contains("class=\"banner\""))
    #expect(expected.contains("Failed as expected"))
    let index = ReportRenderer.renderIndex(site)
    #expect(index.contains("href=\"04-model-partitioning.html#04-model-partitioning-step2\""))
    // The chapter with a failed step says so; the others say how far they got.
    #expect(index.contains("<span class=\"badge failed\">failed</span>"))
  }

  @Test func navigationLinksNeighbours() {
    let site = DemoSite.make()
    let second = ReportRenderer.renderChapter(site.chapters[1], in: site)
    #expect(second.contains("<a href=\"01-introduction.html\" class=\"prev\">"))
    #expect(second.contains("<a href=\"03-unconstrained-model.html\" class=\"next\">"))
    #expect(second.contains("<li class=\"current\"><a href=\"02-data-generation.html\">"))
    let first = ReportRenderer.renderChapter(site.chapters[0], in: site)
    #expect(first.contains("<a href=\"index.html\" class=\"prev\">"))
    let last = ReportRenderer.renderChapter(site.chapters[6], in: site)
    #expect(!last.contains("class=\"next\""))
  }

  @Test func malformedOrActiveProseIsShownAsText() {
    for bad in [
      "<p>unclosed <b>bold</p>", "<p>ok</p><script>alert(1)</script>", "<p onclick=\"x()\">hi</p>",
      "a<br>b",
    ] {
      let page = ChapterPage(slug: "c", title: "C", blocks: [.prose(TrustedHTML(bad))])
      let site = ReportSite(title: "S", chapters: [page], provenance: Provenance())
      let html = ReportRenderer.renderChapter(page, in: site)
      #expect(XMLCheck.wellFormed(html).isEmpty, "\(bad)")
      #expect(html.contains("This prose is shown as source text"), "\(bad)")
      #expect(parsedText(html).characters.contains(bad))
      #expect(!parsedText(html).elementNames.contains("script"))
    }
    let good = ChapterPage(
      slug: "c", title: "C",
      blocks: [.prose(TrustedHTML("<h1>C</h1>\n<p>a &amp; <code>b</code><br /></p>"))])
    let html = ReportRenderer.renderChapter(
      good, in: ReportSite(title: "S", chapters: [good], provenance: Provenance()))
    #expect(
      html.contains("<div class=\"prose\"><h1>C</h1>\n<p>a &amp; <code>b</code><br /></p></div>"))
    #expect(!html.contains("<h1>C</h1>\n<h1>") && matches("(<h1>)", in: html).count == 1)
  }

  @Test func figureContentKinds() {
    let svgText =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\" /></svg>\n"
    let figures = [
      Figure(id: "f", caption: "trusted", content: .trustedSVG(svgText)),
      Figure(
        id: "f", caption: "duplicate id",
        content: .svg(
          Element(
            "svg", [Attribute("xmlns", "http://www.w3.org/2000/svg")], [.element(Element("circle"))]
          ))),
      Figure(id: "bad", caption: "broken", content: .trustedSVG("<svg><g></svg>")),
      Figure(id: "evil", caption: "evil", content: .trustedSVG("<svg onload=\"alert(1)\"></svg>")),
    ]
    let page = ChapterPage(
      slug: "c", title: "C",
      blocks: [.step(StepView(id: "s", kind: "figure", status: .ran, figures: figures))])
    let html = ReportRenderer.renderChapter(
      page, in: ReportSite(title: "S", chapters: [page], provenance: Provenance()))
    #expect(XMLCheck.wellFormed(html).isEmpty, "\(XMLCheck.wellFormed(html))")
    #expect(
      html.contains(
        "<figure id=\"c-f\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\">"))
    #expect(html.contains("<figure id=\"c-f-2\">"))
    #expect(html.contains("its SVG is not well-formed XML"))
    #expect(html.contains("its SVG contains active or external content"))
    #expect(!html.contains("onload"))
  }

  @Test func metricsTablesAlignNumbers() {
    let t = MetricsTable(
      title: "m", columns: ["class", "F1"],
      rows: [
        [.text("a"), .number(0.5, decimals: 3)], [.text("b")],
        [.text("c"), .integer(3), .text("extra")],
      ])
    let html = XHTMLWriter.fragment(ReportRenderer.metricsTable(t))
    #expect(html.contains("<th scope=\"col\" class=\"num\">F1</th>"))
    #expect(html.contains("<td class=\"num\">0.500</td>"))
    #expect(html.contains("<td class=\"num\">–</td>"))
    #expect(html.contains("<th scope=\"col\"></th>"))
    #expect(html.contains("<td>extra</td>"))
  }

  @Test func provenanceTimeComesOnlyFromSourceDateEpoch() {
    #expect(Provenance.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": "1700000000"]) == 1_700_000_000)
    #expect(Provenance.sourceDateEpoch(from: [:]) == nil)
    #expect(Provenance.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": "soon"]) == nil)
    #expect(Provenance.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": "-5"]) == nil)
    #expect(Provenance.sourceDateEpoch(from: ["SOURCE_DATE_EPOCH": "99999999999999"]) == nil)
    let with = ReportRenderer.renderIndex(DemoSite.make(generatedAt: 1_700_000_000))
    #expect(with.contains("2023-11-14T22:13:20Z (SOURCE_DATE_EPOCH)"))
    let without = ReportRenderer.renderIndex(DemoSite.make(generatedAt: nil))
    #expect(without.contains("not recorded (SOURCE_DATE_EPOCH unset)"))
    // No other date-like text can sneak in: the only ISO timestamp is the provenance one.
    #expect(matches(#"(\d{4}-\d{2}-\d{2}T)"#, in: with).count == 1)
    #expect(matches(#"(\d{4}-\d{2}-\d{2}T)"#, in: without).isEmpty)
  }

  @Test func renderingIsByteStable() {
    let a = Self.allPages(DemoSite.make())
    let b = Self.allPages(DemoSite.make())
    #expect(a.map(\.1) == b.map(\.1))
  }

  @Test func formatting() {
    #expect(Formatting.size(512) == "512 B")
    #expect(Formatting.size(1536) == "1.5 KiB")
    #expect(Formatting.size(3 * 1_048_576) == "3.0 MiB")
    #expect(Formatting.duration(0.2249) == "0.22 s")
    #expect(Formatting.duration(12.34) == "12.3 s")
    #expect(Formatting.duration(245.4) == "245 s")
    #expect(ReportRenderer.urlPath("a b/c:d\"e.csv#x") == "a%20b/c%3Ad%22e.csv#x")
  }

  @Test func stylesheetIsSafeAsCharacterData() {
    #expect(!Stylesheet.css.contains("<"))
    #expect(!Stylesheet.css.contains(">"))
    #expect(!Stylesheet.css.contains("&"))
  }

  @Test func emptySiteAndEmptyChapter() {
    let empty = ReportSite(title: "Empty", chapters: [], provenance: Provenance())
    #expect(XMLCheck.wellFormed(ReportRenderer.renderIndex(empty)).isEmpty)
    let page = ChapterPage(slug: "x", title: "X", blocks: [])
    let site = ReportSite(title: "One", chapters: [page], provenance: Provenance())
    #expect(XMLCheck.wellFormed(ReportRenderer.renderChapter(page, in: site)).isEmpty)
    #expect(ReportRenderer.renderIndex(site).contains("prose only"))
  }

  /// Tutorial-sized site (7 chapters, 42 figures): all pages must render in well under a second.
  /// Measured as this thread's CPU time, so parallel tests and other processes on a loaded
  /// machine do not make it flaky; the budget holds even in a debug build (≈ 0.2 s measured).
  @Test func renderingATutorialSizedSiteIsFast() {
    let site = DemoSite.make()
    var bytes = 0
    let start = threadCPUSeconds()
    for (_, html) in Self.allPages(site) { bytes += html.utf8.count }
    let seconds = threadCPUSeconds() - start
    #expect(bytes > 100_000)
    #expect(seconds < 1, "rendering took \(seconds) s of CPU time")
  }

  static let xmllint = installedTool(["/usr/bin/xmllint", "/usr/local/bin/xmllint"])
  static let tidy = installedTool(["/usr/bin/tidy", "/usr/local/bin/tidy"])
  static let demoDirectory = ProcessInfo.processInfo.environment["DUNE_DEMO_DIR"]

  /// Optional external check with libxml2's `xmllint --noout` (skipped when not installed).
  @Test(.enabled(if: PageTests.xmllint != nil, "xmllint is not installed"))
  func xmllintAcceptsPages() throws {
    let tool = try #require(Self.xmllint)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dune-report-xmllint-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let site = DemoSite.make(hostile: hostile)
    var paths: [String] = []
    for (name, html) in Self.allPages(site) {
      let url = dir.appendingPathComponent(name)
      try Data(html.utf8).write(to: url)
      paths.append(url.path)
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = ["--noout", "--nonet"] + paths
    let err = Pipe()
    p.standardError = err
    try p.run()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(message)")
  }

  /// Optional HTML5 check with `tidy -errors -q` (skipped when not installed): no errors and
  /// no warnings on any page, hostile text included.
  @Test(.enabled(if: PageTests.tidy != nil, "tidy is not installed"))
  func tidyAcceptsPages() throws {
    let tool = try #require(Self.tidy)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dune-report-tidy-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, html) in Self.allPages(DemoSite.make(hostile: hostile)) {
      let url = dir.appendingPathComponent(name)
      try Data(html.utf8).write(to: url)
      let p = Process()
      p.executableURL = URL(fileURLWithPath: tool)
      p.arguments = ["-errors", "-q", url.path]
      let err = Pipe()
      p.standardError = err
      p.standardOutput = FileHandle.nullDevice
      try p.run()
      let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      #expect(p.terminationStatus == 0 && message.isEmpty, "\(name): \(message)")
    }
  }

  /// Writes the demo site to `$DUNE_DEMO_DIR` for manual inspection (skipped when unset); every
  /// file written must read back as written, and every page and chart must be well-formed XML.
  @Test(.enabled(if: PageTests.demoDirectory != nil, "DUNE_DEMO_DIR is not set"))
  func writeDemoSiteWhenAsked() throws {
    let dir = try #require(Self.demoDirectory)
    var written: [(URL, String)] = []
    for (hostileSuffix, sub) in [(nil, "plain"), (hostile, "hostile")] as [(String?, String)] {
      let site = DemoSite.make(hostile: hostileSuffix)
      for (name, html) in Self.allPages(site) {
        let url = URL(fileURLWithPath: dir).appendingPathComponent(sub).appendingPathComponent(name)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(html.utf8).write(to: url)
        written.append((url, html))
      }
    }
    for (name, spec) in ChartTests.everyChart
      + ChartTests.emptyCharts.map({ ("empty-" + $0.0, $0.1) })
    {
      let url = URL(fileURLWithPath: dir).appendingPathComponent("svg").appendingPathComponent(
        "\(name).svg")
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      let svg = ChartRenderer.standaloneSVG(spec, id: name)
      try Data(svg.utf8).write(to: url)
      written.append((url, svg))
    }
    #expect(!written.isEmpty)
    for (url, text) in written {
      #expect(FileManager.default.contents(atPath: url.path) == Data(text.utf8), "\(url.path)")
      #expect(XMLCheck.wellFormed(text).isEmpty, "\(url.lastPathComponent): \(XMLCheck.wellFormed(text))")
    }
  }
}

@Suite struct CmarkGFMProseTests {
  /// Footnote markup as cmark-gfm writes it (minimised attributes), plus text that merely
  /// mentions the attribute names, which must stay untouched.
  static let footnotes = """
    <p>Text<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" data-footnote-ref>1</a></sup> about data-footnote-ref and data-footnotes&gt; in prose.</p>
    <section class="footnotes" data-footnotes>
    <ol>
    <li id="fn-1">
    <p>A note. <a href="#fnref-1" class="footnote-backref" data-footnote-backref data-footnote-backref-idx="1" aria-label="Back to reference 1">↩</a></p>
    </li>
    </ol>
    </section>
    """

  @Test func footnoteMarkupBecomesWellFormed() {
    #expect(!XMLCheck.wellFormedFragment(Self.footnotes).isEmpty)
    let repaired = TrustedHTML(cmarkGFM: Self.footnotes).markup
    #expect(
      XMLCheck.wellFormedFragment(repaired).isEmpty, "\(XMLCheck.wellFormedFragment(repaired))")
    #expect(repaired.contains("<section class=\"footnotes\" data-footnotes=\"\">"))
    #expect(repaired.contains("data-footnote-backref=\"\" data-footnote-backref-idx=\"1\""))
    #expect(repaired.contains("id=\"fnref-1\" data-footnote-ref=\"\">1</a>"))
    #expect(repaired.contains("about data-footnote-ref and data-footnotes&gt; in prose."))
  }

  @Test func ordinaryProseIsUnchanged() {
    let html =
      "<h1>T</h1>\n<p>a &amp; b <code>&lt;x&gt;</code><br />\n<img src=\"x.png\" alt=\"\" /></p>\n<table>\n<thead>\n<tr>\n<th align=\"center\">a</th>\n</tr>\n</thead>\n</table>\n<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n</ul>\n"
    #expect(TrustedHTML(cmarkGFM: html).markup == html)
    #expect(XMLCheck.wellFormedFragment(html).isEmpty)
  }
}

@Suite struct ReadablePageTests {
  func step(_ status: StepStatus) -> Block {
    .step(StepView(id: "s\(UUID().uuidString.prefix(4))", kind: "k", status: status))
  }

  @Test func chapterStatusIsHonest() {
    #expect(ChapterPage(slug: "a", title: "A", blocks: [step(.done), step(.fresh)]).effectiveStatus == .done)
    #expect(ChapterPage(slug: "a", title: "A", blocks: [step(.skipped(reason: "x"))]).effectiveStatus == .notRun)
    #expect(
      ChapterPage(slug: "a", title: "A", blocks: [step(.done), step(.skipped(reason: "x"))]).effectiveStatus
        == .partial(done: 1, of: 2))
    #expect(
      ChapterPage(slug: "a", title: "A", blocks: [step(.done), step(.failed(StepFailure(message: "m")))])
        .effectiveStatus == .failed)
    let site = ReportSite(
      title: "S", chapters: [ChapterPage(slug: "a", title: "A", blocks: [step(.done)])], provenance: Provenance())
    let index = ReportRenderer.renderIndex(site)
    #expect(index.contains("<span class=\"badge done\">done</span>"))
    #expect(!index.contains("no steps"))
  }

  @Test func figuresComeFirstAndLongTablesAreFolded() {
    let long = MetricsTable(
      title: "Long", columns: ["i"], rows: (0..<20).map { [.integer($0)] }, id: "c-s-long", folded: true)
    let short = MetricsTable(title: "Short", columns: ["x"], rows: [[.measure(0.123456789, unit: "fraction")]])
    let figure = Figure(
      id: "s-fig", caption: "A figure.",
      content: .trustedSVG("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>"),
      dataLinks: [PageLink(href: "#c-s-long", label: "Long")])
    let view = StepView(
      id: "s", kind: "k", status: .done, arguments: [KeyValue("a", "1")], tables: [long, short], figures: [figure],
      files: [FileLink(path: "c/s/x.csv", label: "x.csv", sizeBytes: 10)])
    let page = ChapterPage(slug: "c", title: "C", blocks: [.step(view)])
    let html = ReportRenderer.renderChapter(
      page, in: ReportSite(title: "S", chapters: [page], provenance: Provenance()))
    #expect(XMLCheck.wellFormed(html).isEmpty)
    let figureAt = html.range(of: "<figure")!.lowerBound
    #expect(figureAt < html.range(of: "<caption>Short</caption>")!.lowerBound)
    #expect(figureAt < html.range(of: "<summary>Arguments</summary>")!.lowerBound)
    #expect(html.contains("<details class=\"more\" id=\"c-s-long\">\n<summary>Long (20 rows)</summary>"))
    #expect(html.contains("<summary>Files (1 file)</summary>"))
    #expect(html.contains("Numbers: <a href=\"#c-s-long\">Long</a>."))
    // Formatted by unit, full precision in the tooltip.
    #expect(html.contains("<td class=\"num\" title=\"0.123456789\">12.35 %</td>"))
  }

  @Test func indexLeadsWithTheAnswer() {
    let answer = Answer(
      title: "What the run found",
      items: [
        KeyMetric("use case", .text("synthetic")), KeyMetric("DUNE FL macro F1", .measure(0.65, unit: "fraction")),
      ],
      tables: [MetricsTable(title: "Resources", columns: ["switch", "TCAM"], rows: [[.text("s1"), .integer(12)]])])
    let page = ChapterPage(
      slug: "c", title: "C", blocks: [], keyMetrics: [KeyMetric("blocks", .measure(13, unit: "blocks"))])
    let index = ReportRenderer.renderIndex(
      ReportSite(title: "S", answer: answer, chapters: [page], provenance: Provenance()))
    #expect(XMLCheck.wellFormed(index).isEmpty)
    let answerAt = index.range(of: "What the run found")!.lowerBound
    #expect(answerAt < index.range(of: "<caption>Chapters</caption>")!.lowerBound)
    #expect(index.contains("65.00 %"))
    #expect(index.contains("<li>blocks: <span class=\"value\" title=\"13\">13</span></li>"))
  }
}
