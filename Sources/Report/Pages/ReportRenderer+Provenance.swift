import DUNESupport

/// The provenance block at the end of every page.
extension ReportRenderer {
  /// The provenance block; on a chapter page only that chapter's steps are listed.
  static func provenance(_ p: Provenance, chapter: String?, ids: inout IDRegistry) -> Element {
    var facts: [KeyValue] = []
    facts.append(
      KeyValue("sources", (p.gitCommit ?? "unknown") + (p.dirty ? " (uncommitted changes)" : ""))
    )
    facts.append(
      KeyValue(
        "generated",
        p.generatedAt.map { "\(UTCTimestamp.iso($0)) (SOURCE_DATE_EPOCH)" }
          ?? "not recorded (SOURCE_DATE_EPOCH unset)"))
    var children: [Node] = [
      .element(HTML.text("summary", "Provenance")), .element(HTML.kvTable(nil, facts)),
    ]
    if !p.toolVersions.isEmpty {
      children.append(.element(HTML.kvTable("Tool versions", p.toolVersions)))
    }
    if !p.parameters.isEmpty { children.append(.element(HTML.kvTable("Parameters", p.parameters))) }
    let steps = p.steps.filter { chapter == nil || $0.chapter == chapter }
    if !steps.isEmpty {
      let rows = steps.map { s -> [Cell] in
        [
          .text(s.chapter), .text(s.stepID), .text(s.status),
          s.seconds.map { .number($0, decimals: 3) } ?? .empty, .text(s.cacheKey),
        ]
      }
      children.append(
        .element(
          metricsTable(
            MetricsTable(
              title: "Steps", columns: ["Chapter", "Step", "Status", "Seconds", "Cache key"],
              rows: rows))))
    }
    return HTML.el(
      "details", [Attribute("class", "provenance"), Attribute("id", ids.unique("provenance"))],
      children)
  }
}
