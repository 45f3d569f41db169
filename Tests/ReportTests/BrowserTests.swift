import Foundation
import Testing

/// Every committed report page, rendered by headless Chromium at 1280 px: no horizontal overflow,
/// every SVG drawn with a non-zero size, no console message (a script-free page gets one only when
/// the browser rejects something, e.g. an invalid SVG attribute), and a print layout that keeps each
/// figure on one page. The check script is injected into a temporary copy only; the pages stay
/// script-free. Needs Debian's `chromium` (installed by `scripts/bootstrap`).
@Suite(.enabled(if: Chromium.path != nil, "chromium is not installed (scripts/bootstrap installs it)"))
struct BrowserTests {
  static var chromium: String? { Chromium.path }
}

/// Where Debian's Chromium is, if installed.
enum Chromium {
  static let path: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      for name in ["chromium", "chromium-browser"] {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      }
    }
    return nil
  }()
}

extension BrowserTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The folder checked: `results/`, or `DUNE_BROWSER_RESULTS` (e.g. a scratch `dune run --results`
  /// folder, to check pages before they are committed).
  static let resultsFolder: URL =
    ProcessInfo.processInfo.environment["DUNE_BROWSER_RESULTS"].map { URL(fileURLWithPath: $0) }
    ?? repository.appendingPathComponent("results")

  /// `**/*.html` under `resultsFolder`, as absolute paths.
  static func committedPages() -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: resultsFolder.path) else { return [] }
    var pages: [String] = []
    while let name = walker.nextObject() as? String {
      if name.hasSuffix(".html") { pages.append(resultsFolder.appendingPathComponent(name).path) }
    }
    return pages.sorted()
  }

  struct Finding: Decodable {
    var problems: [String]
    var svgs: Int
    var figures: Int
    var printRules: Int
  }

  /// Loads `html` (a page's text) with the harness in Chromium; returns the harness's findings and
  /// the console messages.
  static func check(_ html: String, name: String) throws -> (Finding, console: [String]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dune-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let page = dir.appendingPathComponent("page.html")
    guard let end = html.range(of: "</body>", options: .backwards) else { throw BrowserError("\(name): no </body>") }
    let injected = html.replacingCharacters(in: end, with: "<script>\n" + harness + "\n</script>\n</body>")
    try Data(injected.utf8).write(to: page)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium!)
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
      "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--window-size=1280,1000",
      "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", page.absoluteString,
    ]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes while the browser runs, so neither fills up.
    let errData = ErrorCollector(err.fileHandleForReading)
    let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let stderr = errData.text()
    let console = stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") && $0.contains(page.absoluteString) }
      .map(String.init)
    guard let open = dom.range(of: "<pre id=\"dune-browser-check\">", options: .backwards),
      let close = dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex)
    else {
      throw BrowserError("\(name): the check did not run (exit \(process.terminationStatus)): \(stderr.suffix(600))")
    }
    let json = String(dom[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
    do {
      return (try JSONDecoder().decode(Finding.self, from: Data(json.utf8)), console)
    } catch {
      throw BrowserError("\(name): unreadable check result \(json.prefix(300)): \(error)")
    }
  }

  @Test func committedPagesRenderCleanly() throws {
    let pages = Self.committedPages()
    #expect(pages.count >= 8)
    let results = try parallelChecks(pages) { page in
      let html = try String(contentsOf: URL(fileURLWithPath: page), encoding: .utf8)
      #expect(!html.contains("<script"), "\(page) must stay script-free")
      return try Self.check(html, name: page)
    }
    var figures = 0
    for (page, (finding, console)) in zip(pages, results) {
      #expect(finding.problems.isEmpty, "\(page): \(finding.problems.joined(separator: "; "))")
      #expect(console.isEmpty, "\(page): \(console.joined(separator: "; "))")
      #expect(finding.printRules > 0, "\(page): no print rules applied")
      figures += finding.figures
    }
    #expect(figures > 10)
  }

  /// The checks themselves fail on a page that overflows, draws an empty SVG, logs to the console
  /// and has a figure taller than a printed page.
  @Test func theChecksCatchBrokenPages() throws {
    let bad = """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8" /><title>bad</title>
      <style>@media print { figure { color: black; } }</style></head><body>
      <div style="width: 1600px">too wide</div>
      <figure id="tall"><svg xmlns="http://www.w3.org/2000/svg" width="300" height="2000"><rect x="0" y="0" width="-1" height="3" /></svg></figure>
      <svg xmlns="http://www.w3.org/2000/svg" id="empty" width="0" height="0"></svg>
      </body></html>
      """
    let (finding, console) = try Self.check(bad, name: "bad")
    let text = finding.problems.joined(separator: "\n")
    #expect(text.contains("horizontal overflow"))
    #expect(text.contains("svg empty drawn at 0×0"))
    #expect(text.contains("print: figure tall is"))
    #expect(text.contains("print: figure tall may be split"))
    #expect(console.contains { $0.contains("negative value") })
  }

  static let harness = #"""
    // Injected by BrowserTests into a temporary copy of a report page (never into the pages themselves).
    // After load it checks the page as a reader's browser lays it out and writes the findings as JSON
    // into a <pre> with the id dune-browser-check, which the test reads from Chromium's --dump-dom output.
    window.addEventListener('load', () => {
      const problems = [];
      // Everything a reader can unfold is checked unfolded.
      document.querySelectorAll('details').forEach(d => { d.open = true; });
      const root = document.documentElement;
      if (root.scrollWidth > window.innerWidth + 1) {
        // Name the widest element that sticks out, to make the failure actionable.
        let culprit = '';
        let widest = 0;
        document.querySelectorAll('body *').forEach(e => {
          const r = e.getBoundingClientRect();
          if (r.right > window.innerWidth + 1 && r.width > widest && !e.closest('.table-wrap')) {
            widest = r.width;
            culprit = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : '');
          }
        });
        problems.push(`horizontal overflow at ${window.innerWidth} px: page is ${root.scrollWidth} px wide (${culprit})`);
      }
      const svgs = [...document.querySelectorAll('svg')].filter(s => !s.parentElement.closest('svg'));
      svgs.forEach((s, i) => {
        const r = s.getBoundingClientRect();
        if (!(r.width > 0 && r.height > 0)) problems.push(`svg ${s.id || i} drawn at ${r.width}×${r.height}`);
        const shapes = s.querySelectorAll('rect, path, line, circle, text, polyline, polygon').length;
        if (shapes === 0) problems.push(`svg ${s.id || i} has nothing to draw`);
      });
      // Print layout: apply the @media print rules to the screen, lay the page out at the width of an
      // A4 page with 1 cm margins, and require every figure to fit one page and to refuse breaks.
      const pageWidth = Math.floor((210 - 20) / 25.4 * 96);
      const pageHeight = Math.floor((297 - 20) / 25.4 * 96);
      const sheet = document.createElement('style');
      let printRules = 0;
      for (const s of document.styleSheets) {
        for (const rule of s.cssRules) {
          if (rule.media && [...rule.media].includes('print')) {
            for (const inner of rule.cssRules) { sheet.append(inner.cssText + '\n'); printRules++; }
          }
        }
      }
      document.head.append(sheet);
      document.body.style.width = pageWidth + 'px';
      document.querySelectorAll('figure').forEach((f, i) => {
        const r = f.getBoundingClientRect();
        const style = getComputedStyle(f);
        if (r.height > pageHeight) problems.push(`print: figure ${f.id || i} is ${Math.round(r.height)} px tall, a page holds ${pageHeight}`);
        if (r.width > pageWidth + 1) problems.push(`print: figure ${f.id || i} is ${Math.round(r.width)} px wide, a page holds ${pageWidth}`);
        if (style.breakInside !== 'avoid' && style.pageBreakInside !== 'avoid') problems.push(`print: figure ${f.id || i} may be split across pages`);
      });
      const out = document.createElement('pre');
      out.id = 'dune-browser-check';
      out.textContent = JSON.stringify({ problems, svgs: svgs.length, figures: document.querySelectorAll('figure').length, printRules });
      document.body.append(out);
    });
    """#
}

struct BrowserError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// Drains a pipe on a background thread.
final class ErrorCollector: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)
  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }
  func text() -> String {
    done.wait()
    return String(decoding: data, as: UTF8.self)
  }
}

/// `body` over `items`, two at a time (Chromium is heavy on two cores), in order.
func parallelChecks<T: Sendable>(_ items: [String], _ body: @escaping @Sendable (String) throws -> T) throws -> [T] {
  let lock = NSLock()
  nonisolated(unsafe) var results = [Result<T, any Error>?](repeating: nil, count: items.count)
  DispatchQueue.concurrentPerform(iterations: items.count) { i in
    let r = Result { try body(items[i]) }
    lock.withLock { results[i] = r }
  }
  return try results.map { try $0!.get() }
}
