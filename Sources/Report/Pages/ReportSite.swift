/// The whole report: a title, the chapter pages in reading order, and the provenance record.
///
/// The runner builds one `ReportSite` per `dune run` and renders `results/index.html` with
/// `ReportRenderer.renderIndex(site)` and each chapter with `ReportRenderer.renderChapter(page, in:
/// site)`, writing it to `results/<page.fileName>`. All links in the model (file links, chapter
/// navigation) are relative to that `results/` folder.
public struct ReportSite: Sendable, Equatable {
  /// Site title, shown on every page and in `<title>`.
  public var title: String
  /// Optional introduction shown on the index page above the chapter table.
  public var introduction: TrustedHTML?
  /// Chapter pages in reading order (the order of `chapters/*.md`).
  public var chapters: [ChapterPage]
  /// Where the results came from; shown at the end of every page.
  public var provenance: Provenance

  /// Creates a site.
  public init(
    title: String, introduction: TrustedHTML? = nil, chapters: [ChapterPage],
    provenance: Provenance
  ) {
    self.title = title
    self.introduction = introduction
    self.chapters = chapters
    self.provenance = provenance
  }
}

/// One chapter's page: the chapter's prose and steps in source order.
public struct ChapterPage: Sendable, Equatable {
  /// File-name-safe chapter id, e.g. `03-partitioning`; the page is written to `<slug>.html` and
  /// every element id on the page starts with it.
  public var slug: String
  /// Chapter title (usually the first heading or the front-matter title).
  public var title: String
  /// Source file of the chapter relative to the repository root, e.g. `chapters/03-partitioning.md`.
  public var sourcePath: String?
  /// Prose and steps in the order they appear in the chapter.
  public var blocks: [Block]
  /// A few headline numbers shown for this chapter in the index table (e.g. "macro F1" → 0.912).
  public var keyMetrics: [KeyMetric]

  /// Creates a chapter page.
  public init(
    slug: String, title: String, sourcePath: String? = nil, blocks: [Block],
    keyMetrics: [KeyMetric] = []
  ) {
    self.slug = slug
    self.title = title
    self.sourcePath = sourcePath
    self.blocks = blocks
    self.keyMetrics = keyMetrics
  }

  /// The page's file name relative to `results/`: `<slug>.html`.
  public var fileName: String { "\(slug).html" }

  /// All steps of the chapter, in order.
  public var steps: [StepView] {
    blocks.compactMap { if case .step(let s) = $0 { return s } else { return nil } }
  }
}

/// One block of a chapter: rendered Markdown prose or an executed step.
public enum Block: Sendable, Equatable {
  /// Prose rendered by the runner's Markdown renderer (see `TrustedHTML` for the contract).
  case prose(TrustedHTML)
  /// A `dune <kind>` step block with its outcome.
  case step(StepView)
}

/// A headline number for the index table.
public struct KeyMetric: Sendable, Equatable, Hashable {
  /// Short label, e.g. `macro F1`.
  public var label: String
  /// The value, formatted by the cell rules of `Cell`.
  public var value: Cell

  /// Creates a key metric.
  public init(_ label: String, _ value: Cell) {
    self.label = label
    self.value = value
  }
}
