import CCmarkGFM
import Foundation

/// A Markdown document reduced to what the runner needs: top-level blocks as immutable Swift values.
///
/// This is the only file that touches cmark-gfm. Each top-level node becomes either a fenced code
/// block (full info string, literal, position) or pre-rendered HTML; no C pointer leaves `parse`.
struct MarkdownDocument: Sendable {
  enum Block: Sendable {
    /// Rendered HTML of one top-level node; `headingLevel` and `plainText` are set for headings.
    case html(String, position: SourcePosition, headingLevel: Int?, plainText: String)
    /// A fenced code block: full info string, content, the fence's position, and its HTML for
    /// when it turns out to be an ordinary listing rather than a step.
    case fencedCode(info: String, literal: String, position: SourcePosition, html: String)
  }

  var blocks: [Block]

  /// cmark options for prose: safe mode (raw HTML is omitted, so output stays well-formed XML),
  /// UTF-8 validation, and CSS `style` instead of the obsolete `align` attribute on table cells.
  /// cmark-gfm's HTML renderer already writes void elements XHTML-style (`<br />`, `<hr />`, `<img … />`).
  static let renderOptions: Int32 =
    CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES

  /// Parses `text` with the GFM table, strikethrough, autolink and task-list extensions attached.
  static func parse(_ text: String) -> MarkdownDocument {
    cmark_gfm_core_extensions_ensure_registered()
    guard let parser = cmark_parser_new(renderOptions) else { return MarkdownDocument(blocks: []) }
    defer { cmark_parser_free(parser) }
    for name in ["table", "strikethrough", "autolink", "tasklist"] {
      if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
    }
    var bytes = Array(text.utf8)
    var fenceLength: Int32 = 0
    var fenceOffset: Int32 = 0
    var fenceChar: CChar = 0
    bytes.withUnsafeMutableBufferPointer { buf in
      buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) {
        cmark_parser_feed(parser, $0, buf.count)
      }
    }
    guard let root = cmark_parser_finish(parser) else { return MarkdownDocument(blocks: []) }
    defer { cmark_node_free(root) }
    let extensions = cmark_parser_get_syntax_extensions(parser)

    var blocks: [Block] = []
    var node = cmark_node_first_child(root)
    while let current = node {
      let position = SourcePosition(
        line: Int(cmark_node_get_start_line(current)), column: Int(cmark_node_get_start_column(current)))
      if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK,
        cmark_node_get_fenced(current, &fenceLength, &fenceOffset, &fenceChar) != 0
      {
        let info = cmark_node_get_fence_info(current).map { String(cString: $0) } ?? ""
        let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
        let html = take(cmark_render_html(current, renderOptions, extensions))
        blocks.append(.fencedCode(info: info, literal: literal, position: position, html: html))
      } else {
        let html = take(cmark_render_html(current, renderOptions, extensions))
        var level: Int?
        var plain = ""
        if cmark_node_get_type(current) == CMARK_NODE_HEADING {
          level = Int(cmark_node_get_heading_level(current))
          plain = take(cmark_render_plaintext(current, renderOptions, 0)).trimmingCharacters(
            in: .whitespacesAndNewlines)
        }
        blocks.append(.html(html, position: position, headingLevel: level, plainText: plain))
      }
      node = cmark_node_next(current)
    }
    return MarkdownDocument(blocks: blocks)
  }

  /// Copies and frees a string cmark allocated.
  private static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    defer { free(pointer) }
    return String(cString: pointer)
  }
}
