import ArgumentParser
import DUNESupport
import Foundation
import Report

/// `dune bench report`: renders the tutorial-sized demo report (7 chapters, 42 figures) repeatedly
/// and prints pages per second, bytes per second and the time of one full site.
struct BenchReport: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Time rendering of the demo report site (index + 7 chapter pages, 42 SVG charts).")

  @Option(help: "How many times to render the whole site.")
  var repeats = 20

  @Flag(help: "Also check every page with XMLCheck (timed separately).")
  var check = false

  func run() async throws {
    try await reportingErrors {
      guard repeats > 0 else { throw UsageError("--repeats must be positive") }
      let site = DemoSite.make()
      let clock = ContinuousClock()
      var pages = 0
      var bytes = 0
      var rendered: [String] = []
      let elapsed = clock.measure {
        for _ in 0..<repeats {
          rendered =
            [ReportRenderer.renderIndex(site)]
            + site.chapters.map { ReportRenderer.renderChapter($0, in: site) }
          pages += rendered.count
          bytes += rendered.reduce(0) { $0 + $1.utf8.count }
        }
      }
      let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      printOut("report: \(pages) pages, \(bytes) bytes in \(NumberFormat.fixed(s, 3)) s")
      printOut(
        "  one site (8 pages, 42 charts): \(NumberFormat.fixed(s / Double(repeats) * 1000, 1)) ms")
      printOut(
        "  \(NumberFormat.fixed(Double(pages) / s, 1)) pages/s, \(NumberFormat.fixed(Double(bytes) / s / 1_048_576, 1)) MiB/s"
      )
      if check {
        var issues = 0
        let t = clock.measure { for page in rendered { issues += XMLCheck.wellFormed(page).count } }
        let ts = Double(t.components.seconds) + Double(t.components.attoseconds) * 1e-18
        printOut("  XMLCheck of one site: \(NumberFormat.fixed(ts * 1000, 1)) ms, \(issues) issues")
      }
    }
  }
}
