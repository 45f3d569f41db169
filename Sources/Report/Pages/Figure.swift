/// A figure of a step: an id, a caption and its content (a chart spec or ready SVG).
public struct Figure: Sendable, Equatable {
  /// Figure label, unique within the chapter, e.g. `fig-f1-per-class`. Element ids inside the
  /// SVG are prefixed with `<chapter slug>-<id>` so several inline SVGs on a page never collide.
  public var id: String
  /// Caption shown under the figure.
  public var caption: String
  /// What to draw.
  public var content: FigureContent
  /// Links to the tables holding the figure's numbers (anchors on the page); shown after the caption.
  public var dataLinks: [PageLink]

  /// Creates a figure.
  public init(id: String, caption: String, content: FigureContent, dataLinks: [PageLink] = []) {
    self.id = id
    self.caption = caption
    self.content = content
    self.dataLinks = dataLinks
  }
}

/// A link within the report: target (`#anchor` or `page.html#anchor`) and text.
public struct PageLink: Sendable, Equatable, Hashable {
  public var href: String
  public var label: String

  public init(href: String, label: String) {
    self.href = href
    self.label = label
  }
}

/// The content of a figure.
public enum FigureContent: Sendable, Equatable {
  /// A chart drawn by `ChartRenderer` (preferred).
  case chart(ChartSpec)
  /// An `<svg>` element tree built by the caller with the markup writer.
  case svg(Element)
  /// Ready SVG markup (e.g. read from a file); checked with `XMLCheck` before embedding and
  /// replaced by an escaped warning if it is not well-formed.
  case trustedSVG(String)
}
