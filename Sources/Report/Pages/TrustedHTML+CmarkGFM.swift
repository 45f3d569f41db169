import Foundation

extension TrustedHTML {
  /// Wraps HTML from cmark-gfm's renderer, first giving a value to the attributes it writes in
  /// HTML's minimised form (`data-footnotes`, `data-footnote-ref`, `data-footnote-backref`, on
  /// footnote markup), which XML does not allow.
  ///
  /// Only those three names are rewritten, and only inside a tag: cmark escapes `<` and `>` in
  /// text and attribute values, so a match that starts at `<name` cannot be prose.
  public init(cmarkGFM html: String) {
    let range = NSRange(html.startIndex..., in: html)
    let repaired = Self.minimisedAttribute.stringByReplacingMatches(
      in: html, range: range, withTemplate: "$1$2=\"\"")
    self.init(repaired)
  }

  private static let minimisedAttribute: NSRegularExpression = {
    // `(?![-=\w])` keeps `data-footnote-backref-idx="1"` and already-valued attributes intact.
    let pattern =
      #"(<[A-Za-z][^<>]*?\s)(data-footnotes|data-footnote-ref|data-footnote-backref)(?![-=\w])"#
    return try! NSRegularExpression(pattern: pattern)
  }()
}
