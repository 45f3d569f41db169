/// One parsed chapter: front matter, prose and step blocks in source order.
public struct Chapter: Sendable {
  /// Path relative to the project root, as printed in diagnostics (`chapters/01-intro.md`).
  public var path: String
  /// File name without extension (`01-intro`): names the chapter's results folder and page.
  public var name: String
  /// Front-matter `title`, else the first level-1 heading, else `name`.
  public var title: String
  /// Parameter defaults declared under front-matter `params:`.
  public var parameters: [String: Value]
  /// The whole front matter (an empty mapping when absent).
  public var frontMatter: Value
  /// Prose and steps in source order.
  public var blocks: [ChapterBlock]

  public init(
    path: String, name: String, title: String, parameters: [String: Value], frontMatter: Value, blocks: [ChapterBlock]
  ) {
    self.path = path
    self.name = name
    self.title = title
    self.parameters = parameters
    self.frontMatter = frontMatter
    self.blocks = blocks
  }

  /// The step blocks, in order.
  public var steps: [StepBlock] {
    blocks.compactMap { if case .step(let s) = $0 { return s } else { return nil } }
  }
}

/// A top-level piece of a chapter.
public enum ChapterBlock: Sendable {
  /// Prose already rendered to XHTML-compatible HTML, with the position of its first node.
  case prose(html: String, position: SourcePosition)
  /// An executable step.
  case step(StepBlock)
}
