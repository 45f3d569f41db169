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
  /// The run's answer, shown first on the index page.
  public var answer: Answer?
  /// Chapter pages in reading order (the order of `chapters/*.md`).
  public var chapters: [ChapterPage]
  /// Where the results came from; shown at the end of every page.
  public var provenance: Provenance

  /// Creates a site.
  public init(
    title: String, introduction: TrustedHTML? = nil, answer: Answer? = nil, chapters: [ChapterPage],
    provenance: Provenance
  ) {
    self.title = title
    self.introduction = introduction
    self.answer = answer
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
  /// The chapter's status on the index page; nil derives it from the steps.
  public var status: ChapterStatus?

  /// Creates a chapter page.
  public init(
    slug: String, title: String, sourcePath: String? = nil, blocks: [Block],
    keyMetrics: [KeyMetric] = [], status: ChapterStatus? = nil
  ) {
    self.slug = slug
    self.title = title
    self.sourcePath = sourcePath
    self.blocks = blocks
    self.keyMetrics = keyMetrics
    self.status = status
  }

  /// `status`, or what the steps say: failed if one failed, done if every step has a result, not
  /// run if none has, else partly run.
  public var effectiveStatus: ChapterStatus {
    if let status { return status }
    let s = steps
    if s.contains(where: \.status.isFailure) { return .failed }
    let finished = s.filter {
      switch $0.status {
      case .fresh, .ran, .done, .expectedFailure: return true
      case .failed, .skipped: return false
      }
    }.count
    if finished == s.count { return s.isEmpty ? .noSteps : .done }
    return finished == 0 ? .notRun : .partial(done: finished, of: s.count)
  }

  /// The page's file name relative to `results/`: `<slug>.html`.
  public var fileName: String { "\(slug).html" }

  /// All steps of the chapter, in order.
  public var steps: [StepView] {
    blocks.compactMap { if case .step(let s) = $0 { return s } else { return nil } }
  }
}

/// How far a chapter got in the run the report shows.
public enum ChapterStatus: Sendable, Equatable, Hashable {
  /// Every step has a result of this run or an earlier one with the same inputs.
  case done
  /// A step failed.
  case failed
  /// No step has a result.
  case notRun
  /// Some steps have results.
  case partial(done: Int, of: Int)
  /// The chapter is prose only.
  case noSteps

  /// `done`, `failed`, `not run`, `3 of 5 steps done`, `prose only`.
  public var text: String {
    switch self {
    case .done: return "done"
    case .failed: return "failed"
    case .notRun: return "not run"
    case .partial(let d, let n): return "\(d) of \(n) steps done"
    case .noSteps: return "prose only"
    }
  }
}

/// The run's answer: a few named numbers, and the tables and figures that show them.
public struct Answer: Sendable, Equatable {
  /// Heading, e.g. "What the run found".
  public var title: String
  /// The numbers, in order.
  public var items: [KeyMetric]
  /// Tables (with links to where they come from).
  public var tables: [MetricsTable]
  /// Figures; their ids should be unique on the index page.
  public var figures: [Figure]
  /// Where the answer is computed (a chapter page anchor), for a "details" link.
  public var source: PageLink?

  public init(
    title: String, items: [KeyMetric], tables: [MetricsTable] = [], figures: [Figure] = [], source: PageLink? = nil
  ) {
    self.title = title
    self.items = items
    self.tables = tables
    self.figures = figures
    self.source = source
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
