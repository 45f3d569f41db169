import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One well-formedness problem found by `XMLCheck`: where it is and libxml2's error code.
public struct XMLIssue: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// 1-based line of the problem.
  public var line: Int
  /// 1-based column of the problem (as reported by the parser).
  public var column: Int
  /// The parser's error code (libxml2 numbering on Linux: 76 tag mismatch, 5 premature end,
  /// 26 undeclared entity, 42 duplicate attribute, …).
  public var code: Int
  /// The parser's message; on Linux often just `(null)`, so prefer the code.
  public var message: String

  /// Creates an issue.
  public init(line: Int, column: Int, code: Int, message: String) {
    self.line = line
    self.column = column
    self.code = code
    self.message = message
  }

  /// `line:column: XML error <code>: <message>`.
  public var description: String { "\(line):\(column): XML error \(code): \(message)" }
}

/// XML well-formedness checks for every page and SVG the project emits (tests use it everywhere).
///
/// Uses Foundation's `XMLParser` with a delegate that collects *every* `parseErrorOccurred`:
/// on Linux `parse()` can return `true` for malformed input such as `<a><b></a>`, and
/// `XMLDocument` silently repairs it (runner spec §7.2), so only the collected errors count.
public enum XMLCheck {
  /// The problems of a complete document (an XHTML page with `<!DOCTYPE html>`, or an SVG file);
  /// empty when well-formed.
  public static func wellFormed(_ text: String) -> [XMLIssue] {
    run(text, prefixColumns: 0).issues
  }

  /// The problems of a markup fragment (prose, an inline SVG): checked inside a wrapper element.
  /// Positions refer to the fragment itself.
  public static func wellFormedFragment(_ text: String) -> [XMLIssue] {
    runFragment(text).issues
  }

  /// A fragment's issues and its active or external content (scripts, frames, event handlers,
  /// `javascript:` links, resources fetched from a server); used to refuse such trusted markup.
  static func inspectFragment(_ text: String) -> (issues: [XMLIssue], unsafe: [String]) {
    let r = runFragment(text)
    return (r.issues, r.unsafe)
  }

  private static let wrapperOpen = "<dune-fragment>"

  private static func runFragment(_ text: String) -> Collector {
    let c = run(wrapperOpen + text + "</dune-fragment>", prefixColumns: wrapperOpen.utf8.count)
    return c
  }

  // libxml2's global state is not documented as safe for concurrent first use; checks are cheap,
  // so they are serialised.
  private static let lock = NSLock()

  private static func run(_ text: String, prefixColumns: Int) -> Collector {
    let collector = Collector(prefixColumns: prefixColumns)
    let parser = XMLParser(data: Data(text.utf8))
    parser.shouldResolveExternalEntities = false
    parser.shouldProcessNamespaces = false
    parser.delegate = collector
    lock.lock()
    let ok = parser.parse()
    lock.unlock()
    if collector.issues.isEmpty && collector.elements == 0 {
      // An empty or text-only input parses without a callback on some platforms; XML needs a root.
      collector.issues.append(XMLIssue(line: 1, column: 1, code: 4, message: "no root element"))
    }
    if !ok && collector.issues.isEmpty {
      // A failure without a delegate callback still counts; report the parser's own error.
      let err = parser.parserError as NSError?
      collector.issues.append(
        XMLIssue(
          line: parser.lineNumber, column: parser.columnNumber, code: err?.code ?? -1,
          message: err?.localizedDescription ?? "parse failed"))
    }
    return collector
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var issues: [XMLIssue] = []
    var unsafe: [String] = []
    var elements = 0
    let prefixColumns: Int

    init(prefixColumns: Int) { self.prefixColumns = prefixColumns }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
      let e = parseError as NSError
      var column = parser.columnNumber
      if parser.lineNumber == 1 { column = max(1, column - prefixColumns) }
      issues.append(
        XMLIssue(
          line: parser.lineNumber, column: column, code: e.code,
          message: "\(e.localizedDescription)"))
    }

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      elements += 1
      let name = elementName.lowercased()
      if Self.forbiddenElements.contains(name) { unsafe.append("<\(elementName)>") }
      for (key, value) in attributeDict.sorted(by: { $0.key < $1.key }) {
        let k = key.lowercased()
        if k.hasPrefix("on") { unsafe.append("\(elementName) \(key)=") }
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if (k == "href" || k == "src" || k == "xlink:href") && v.hasPrefix("javascript:") {
          unsafe.append("\(elementName) \(key)=javascript:")
        }
        // Reports must read offline: anything the browser would fetch from a server is refused
        // (plain links stay allowed: following one is the reader's choice).
        let fetched =
          ["src", "srcset", "data", "poster", "background"].contains(k)
          || (k == "href" || k == "xlink:href") && Self.fetchingElements.contains(name)
        if fetched && (v.contains("://") || v.hasPrefix("//")) {
          unsafe.append("\(elementName) \(key)=\(value) (external resource)")
        }
        if k == "style" && v.contains("url(") { unsafe.append("\(elementName) style=url(…)") }
      }
    }

    /// Elements whose `href` loads a resource rather than being a link.
    static let fetchingElements: Set<String> = ["image", "use", "feimage", "link"]

    static let forbiddenElements: Set<String> = [
      "script", "iframe", "object", "embed", "frame", "frameset", "base", "link", "meta", "style",
      "foreignobject",
    ]
  }
}
