extension ReportRenderer {
  /// Every page of the site as (file name relative to `results/`, XHTML text): `index.html`
  /// first, then one `<slug>.html` per chapter in order. Pure; the caller writes the files
  /// (with `AtomicFile.write`).
  public static func renderSite(_ site: ReportSite) -> [(fileName: String, html: String)] {
    [("index.html", renderIndex(site))]
      + site.chapters.map { ($0.fileName, renderChapter($0, in: site)) }
  }
}
