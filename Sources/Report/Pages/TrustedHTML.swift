/// Markup produced by a trusted renderer (the runner's cmark-gfm prose renderer), to embed verbatim.
///
/// Contract: the text must be a well-formed XHTML *fragment* — balanced tags, void elements
/// self-closed (`<br />`, `<hr />`, `<img … />`), attribute values quoted, only the five XML
/// entities (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`) or numeric character references.
/// cmark-gfm's HTML renderer produces this for Markdown prose (it self-closes void elements),
/// except for the minimised `data-footnote*` attributes of footnotes, which
/// `TrustedHTML(cmarkGFM:)` repairs — so build prose with that initialiser. Raw HTML typed by a
/// chapter author may break the contract, so the page renderer checks every fragment with
/// `XMLCheck` and, if it is not well-formed or contains active content (scripts, event handlers,
/// `javascript:` links), shows it escaped as plain text under a visible warning instead of
/// breaking the page.
public struct TrustedHTML: Sendable, Equatable, Hashable {
  /// The XHTML fragment.
  public var markup: String
  /// Wraps an XHTML fragment.
  public init(_ markup: String) { self.markup = markup }
}
