import DUNETestSupport
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

/// Committed fixtures of this target (`DUNE_RECORD=1` re-records them).
let fixtures = GoldenFiles("Fixtures")

/// The first of `paths` that is an executable file (an optional external checker), or nil.
func installedTool(_ paths: [String]) -> String? { paths.first { FileManager.default.isExecutableFile(atPath: $0) } }

/// CPU seconds consumed by the calling thread (immune to other threads' and processes' load).
func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
