import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Text a hostile user could put anywhere: markup, entities, quotes, a CDATA end, control bytes, CRLF.
let hostile =
  "<script>alert('x&y')</script> \"dq\" 'sq' ]]> &amp; \u{1}\u{8}\u{B}\u{C}\u{1F}\u{7F}\u{85} tab\tcr\r\nend"
  + " é✓"

/// How `hostile` must read after parsing: controls (C0, DEL, C1) replaced by U+FFFD, CRLF as LF.
let hostileVisible =
  "<script>alert('x&y')</script> \"dq\" 'sq' ]]> &amp; \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} tab\tcr\nend"
  + " é✓"

/// All character data and attribute values of an XML document, as the parser decodes them.
struct ParsedText {
  var characters = ""
  var attributeValues: [String] = []
  var elementNames: [String] = []
}

func parsedText(_ xml: String) -> ParsedText {
  final class Delegate: NSObject, XMLParserDelegate {
    var out = ParsedText()
    func parser(_ parser: XMLParser, foundCharacters string: String) { out.characters += string }
    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      out.elementNames.append(elementName)
      out.attributeValues += attributeDict.keys.sorted().map { attributeDict[$0]! }
      out.characters += "\u{0}"  // element boundaries must not join text from separate nodes
    }
  }
  let d = Delegate()
  let p = XMLParser(data: Data(xml.utf8))
  p.delegate = d
  _ = p.parse()
  return d.out
}

/// The repository's `Tests/ReportTests` folder.
let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

/// Compares `actual` with the committed fixture `Fixtures/<name>`; `DUNE_RECORD=1` rewrites it.
func assertGolden(
  _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let url = testsFolder.appendingPathComponent("Fixtures").appendingPathComponent(name)
  if ProcessInfo.processInfo.environment["DUNE_RECORD"] == "1" {
    try Data(actual.utf8).write(to: url)
    return
  }
  guard let data = FileManager.default.contents(atPath: url.path) else {
    Issue.record(
      "missing golden file \(name); run with DUNE_RECORD=1 to create it",
      sourceLocation: sourceLocation)
    return
  }
  let expected = String(decoding: data, as: UTF8.self)
  if expected != actual {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let i = (0..<min(e.count, a.count)).first(where: { e[$0] != a[$0] }) ?? min(e.count, a.count)
    Issue.record(
      "golden \(name) differs at line \(i + 1):\n expected: \(i < e.count ? String(e[i]) : "<end>")\n actual:   \(i < a.count ? String(a[i]) : "<end>")\n(DUNE_RECORD=1 re-records)",
      sourceLocation: sourceLocation)
  }
}

/// CPU seconds consumed by the calling thread (immune to other threads' and processes' load).
func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
