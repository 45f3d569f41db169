import DUNESupport
import Foundation
import Literate
import Report
import Store

/// Chapters + cache entries + the latest run's records → the Report module's page model.
enum ReportBuilder {
  /// Builds the report model. Without `runDetails`, pages describe the results only: a successful step
  /// is "done" and no execution time is shown, so a fresh clone that recomputes everything writes the
  /// same bytes as a run served from the cache (timings stay in the store: `dune metrics`).
  static func site(
    plan: Plan, entries: [Int: CacheEntry], run: RunRecord?, executions: [StepExecutionRecord],
    code: CodeFingerprints = .none, generatedAt: Int64?, runDetails: Bool = false
  ) -> ReportSite {
    var byStep: [String: StepExecutionRecord] = [:]
    for e in executions { byStep["\(e.chapter)/\(e.step)"] = e }
    let runFailed = executions.contains { $0.status == "failed" }

    var pages: [ChapterPage] = []
    var provenanceSteps: [StepProvenance] = []
    var answer: Answer?
    var stepIndex = 0
    for chapter in plan.chapters {
      var blocks: [Block] = []
      var keyMetrics: [KeyMetric] = []
      var fallbackMetrics: [KeyMetric] = []
      for block in chapter.blocks {
        switch block {
        case .prose(let html, _):
          blocks.append(.prose(TrustedHTML(html)))
        case .step(let stepBlock):
          let planned = plan.steps[stepIndex]
          stepIndex += 1
          let entry = entries[planned.index]
          let execution = byStep[planned.label]
          let view = stepView(
            chapter: chapter, block: stepBlock, kind: planned.kind, entry: entry, execution: execution,
            runFailed: runFailed, runDetails: runDetails)
          blocks.append(.step(view))
          if let output = entry?.output, planned.kind.name == "summary" {
            if output.values["answer"] == .bool(true) {
              answer = self.answer(output, step: planned, plan: plan, entries: entries)
            } else {
              keyMetrics += SummaryItem.items(output).map { KeyMetric($0.label, cell($0)) }
            }
          }
          for m in entry?.output.metrics ?? [] where m.labels.isEmpty && fallbackMetrics.count < 3 {
            fallbackMetrics.append(KeyMetric("\(stepBlock.id): \(m.name)", .measure(m.value, unit: m.unit)))
          }
          if entry != nil || execution != nil {
            provenanceSteps.append(
              StepProvenance(
                chapter: chapter.name, stepID: stepBlock.id, cacheKey: entry?.key ?? execution?.key ?? "",
                seconds: runDetails ? entry?.seconds ?? execution?.duration : nil,
                status: runDetails
                  ? statusWord(execution, entry: entry) : reproducibleStatusWord(execution, entry: entry)))
          }
        }
      }
      pages.append(
        ChapterPage(
          slug: chapter.name, title: chapter.title, sourcePath: chapter.path, blocks: blocks,
          keyMetrics: Array((keyMetrics.isEmpty ? fallbackMetrics : keyMetrics).prefix(3))))
    }

    var commit = run?.gitCommit ?? "unknown"
    var dirty = false
    if commit.hasSuffix("+dirty") {
      commit.removeLast("+dirty".count)
      dirty = true
    }
    let provenance = Provenance(
      gitCommit: commit, dirty: dirty,
      toolVersions: code.modules.isEmpty ? [] : [KeyValue("code (all modules)", code.combined)],
      parameters: parameterList(run: run, plan: plan), steps: provenanceSteps, generatedAt: generatedAt)
    let title = plan.chapters.first?.frontMatter.value(at: ["report-title"])?.stringValue ?? "DUNE results"
    return ReportSite(title: title, answer: answer, chapters: pages, provenance: provenance)
  }

  /// The overview page's answer from a `summary` step with `answer: true`: its numbers, and the
  /// figures and tables it names (`<step id>/<figure or table id>`), taken from those steps' current
  /// results (the nearest earlier step with that id).
  static func answer(_ output: StepOutput, step: PlannedStep, plan: Plan, entries: [Int: CacheEntry]) -> Answer {
    func source(_ reference: String) -> (entry: CacheEntry, id: String)? {
      let parts = reference.split(separator: "/").map(String.init)
      guard parts.count == 2,
        let target = plan.steps[..<step.index].last(where: { $0.block.id == parts[0] }),
        let entry = entries[target.index]
      else { return nil }
      return (entry, parts[1])
    }
    func names(_ key: String) -> [String] {
      guard case .array(let list)? = output.values[key] else { return [] }
      return list.compactMap(\.stringValue)
    }
    var figures: [Report.Figure] = []
    for name in names("figures") {
      guard let (entry, id) = source(name), let f = entry.output.figures.first(where: { $0.id == id }) else { continue }
      figures.append(
        Report.Figure(
          id: "\(entry.step)-\(f.id)", caption: f.caption, content: .trustedSVG(f.svg),
          dataLinks: [
            PageLink(
              href: "\(entry.chapter).html#" + ChartRenderer.sanitizedID("\(entry.chapter)-\(entry.step)-\(f.id)"),
              label: "the figure in its chapter")
          ]))
    }
    var tables: [MetricsTable] = []
    for name in names("tables") {
      guard let (entry, id) = source(name), let t = entry.output.tables.first(where: { $0.id == id }) else { continue }
      tables.append(MetricsTable(title: t.caption, columns: t.columns, rows: cells(t), id: "answer-\(id)"))
    }
    return Answer(
      title: output.values["title"]?.stringValue ?? "The answer",
      items: SummaryItem.items(output).map { KeyMetric($0.label, cell($0)) }, tables: tables, figures: figures,
      source: PageLink(
        href: "\(step.chapter.name).html#" + ChartRenderer.sanitizedID("\(step.chapter.name)-\(step.block.id)"),
        label: "chapter \(step.chapter.name)"))
  }

  /// `statusWord` without the difference between executed now and restored from the cache.
  private static func reproducibleStatusWord(_ e: StepExecutionRecord?, entry: CacheEntry?) -> String {
    let word = statusWord(e, entry: entry)
    return word == "ran" || word == "fresh" ? "done" : word
  }

  private static func statusWord(_ e: StepExecutionRecord?, entry: CacheEntry?) -> String {
    switch e?.status {
    case "cached"?: return "fresh"
    case let s?: return s
    case nil: return entry == nil ? "not run" : "fresh"
    }
  }

  private static func stepView(
    chapter: Chapter, block: StepBlock, kind: AnyStepKind?, entry: CacheEntry?, execution: StepExecutionRecord?,
    runFailed: Bool,
    runDetails: Bool
  ) -> StepView {
    let location = SourceLocation(file: chapter.path, line: block.position.line, column: block.position.column)
    let status: StepStatus
    switch execution?.status {
    case "failed"?: status = .failed(StepFailure(message: execution!.error, location: location))
    case "expected-error"?: status = .expectedFailure(StepFailure(message: execution!.error, location: location))
    case "ran"?: status = runDetails ? .ran : .done
    case "cached"?: status = runDetails ? .fresh : .done
    default:
      if entry != nil, runFailed {
        status = .skipped(reason: "an earlier step failed; showing this step's previous result")
      } else if let entry {
        status =
          entry.expectedError.map { .expectedFailure(StepFailure(message: $0, location: location)) }
          ?? (runDetails ? .fresh : .done)
      } else {
        status = .skipped(reason: runFailed ? "an earlier step failed" : "not run yet")
      }
    }

    // Arguments in the order they are written in the block.
    var arguments: [KeyValue] = []
    if case .object(let members) = block.arguments {
      let keys = members.keys.sorted {
        (block.argumentPositions[$0] ?? block.position, $0) < (block.argumentPositions[$1] ?? block.position, $1)
      }
      arguments = keys.enumerated().map { i, key in
        let value = members[key]!
        switch value {
        case .array, .object:
          // Nested values read best as the YAML the author wrote.
          let next = i + 1 < keys.count ? block.argumentPositions[keys[i + 1]] : nil
          if let snippet = yamlSnippet(block, from: block.argumentPositions[key], to: next) {
            return KeyValue(key, snippet)
          }
          return KeyValue(key, value.displayText)
        default:
          return KeyValue(key, value.displayText)
        }
      }
    }

    var tables: [MetricsTable] = []
    var figures: [Report.Figure] = []
    var files: [FileLink] = []
    var notes: [String] = []
    if let entry {
      let view = results(entry.output, kind: kind, chapter: chapter.name, step: block.id)
      tables = view.tables
      figures = view.figures
      notes = entry.output.notes
      files = entry.files.map {
        FileLink(path: "\(chapter.name)/\(block.id)/\($0.name)", label: $0.name, sizeBytes: $0.size)
      }
    }
    return StepView(
      id: block.id, kind: block.kind, status: status, arguments: arguments, tables: tables, figures: figures,
      files: files, notes: notes, durationSeconds: runDetails ? entry?.seconds : nil)
  }

  /// Tables longer than this are folded.
  static let shortTableRows = 12

  /// A step's results as the page shows them: figures (linked to the tables holding their numbers),
  /// the step's own tables, its metrics as tables (unlabelled ones as a summary, labelled ones one row
  /// per label combination and one column per metric), a summary step's key numbers, and the output
  /// values (folded). Anchors are `<chapter>-<step>-<table>`.
  static func results(_ output: StepOutput, kind: AnyStepKind?, chapter: String, step: String)
    -> (tables: [MetricsTable], figures: [Report.Figure])
  {
    let prefix = "\(chapter)-\(step)"
    func figureAnchor(_ id: String) -> String { ChartRenderer.sanitizedID("\(chapter)-\(step)-\(id)") }
    // Which figure draws a metric or a table.
    var drawnBy: [String: StepFigure] = [:]
    for f in output.figures { for name in f.shows where drawnBy[name] == nil { drawnBy[name] = f } }
    func header(_ name: String, unit: String) -> Cell {
      let text = unit.isEmpty || unit == "fraction" ? name : "\(name) (\(unit))"
      if let f = drawnBy[name] { return .link(text + " ↗", href: "#" + figureAnchor(f.id)) }
      return .text(text)
    }

    var tables: [MetricsTable] = []
    var tableOf: [String: String] = [:]  // metric name or step table id → anchor of the table holding it

    if kind?.name == "summary" {
      let items = SummaryItem.items(output)
      if !items.isEmpty {
        tables.append(
          MetricsTable(
            title: output.values["title"]?.stringValue ?? "Key numbers", columns: ["", "value"],
            rows: items.map { [.text($0.label), cell($0)] }, id: "\(prefix)-key-numbers"))
      }
    }

    for t in output.tables {
      let anchor = "\(prefix)-\(t.id)"
      tableOf[t.id] = anchor
      tables.append(
        MetricsTable(
          title: t.caption, header: t.columns.map { header($0, unit: "") }, rows: cells(t), id: anchor,
          folded: t.rows.count > shortTableRows))
    }

    // Metrics grouped by their label names: each group is one table.
    var groups: [[String]: [Metric]] = [:]
    var groupOrder: [[String]] = []
    for m in output.metrics {
      let keys = m.labels.keys.sorted()
      if groups[keys] == nil { groupOrder.append(keys) }
      groups[keys, default: []].append(m)
    }
    for keys in groupOrder {
      let metrics = groups[keys]!
      let anchor = keys.isEmpty ? "\(prefix)-summary" : "\(prefix)-by-\(keys.joined(separator: "-"))"
      if keys.isEmpty {
        for m in metrics { tableOf[m.name] = tableOf[m.name] ?? anchor }
        tables.append(
          MetricsTable(
            title: "Summary", header: [.text("metric"), .text("value")],
            rows: metrics.map { [header($0.name, unit: ""), .measure($0.value, unit: $0.unit)] }, id: anchor,
            folded: metrics.count > shortTableRows))
        continue
      }
      var names: [String] = []
      var units: [String: String] = [:]
      var rowKeys: [[String]] = []
      var cells: [[String]: [String: Double]] = [:]
      for m in metrics {
        if units[m.name] == nil {
          names.append(m.name)
          units[m.name] = m.unit
        }
        let row = keys.map { m.labels[$0]! }
        if cells[row] == nil { rowKeys.append(row) }
        cells[row, default: [:]][m.name] = m.value
      }
      for n in names { tableOf[n] = tableOf[n] ?? anchor }
      tables.append(
        MetricsTable(
          title: "By \(keys.joined(separator: " and "))",
          header: keys.map(Cell.text) + names.map { header($0, unit: units[$0]!) },
          rows: rowKeys.map { row in
            row.map(Cell.text) + names.map { n in cells[row]![n].map { .measure($0, unit: units[n]!) } ?? .empty }
          },
          id: anchor, folded: rowKeys.count > shortTableRows))
    }

    if !output.values.isEmpty {
      let units = Dictionary((kind?.outputs ?? []).map { ($0.name, $0.unit) }, uniquingKeysWith: { a, _ in a })
      tables.append(
        MetricsTable(
          title: "Outputs (values later steps read)", columns: ["name", "value"],
          rows: output.values.keys.sorted().map { name in
            [.text(name), valueCell(output.values[name]!, unit: units[name] ?? "")]
          },
          id: "\(prefix)-outputs", folded: true))
    }

    let figures = output.figures.map { f -> Report.Figure in
      var links: [PageLink] = []
      for name in f.shows {
        guard let anchor = tableOf[name], !links.contains(where: { $0.href == "#" + anchor }) else { continue }
        let title = tables.first { $0.id == anchor }?.title ?? name
        links.append(PageLink(href: "#" + ChartRenderer.sanitizedID(anchor), label: shortTitle(title)))
      }
      return Report.Figure(
        id: "\(step)-\(f.id)", caption: f.caption, content: .trustedSVG(f.svg), dataLinks: links)
    }
    return (tables, figures)
  }

  /// A step table's cells: numbers written as text become right-aligned numbers: percentages (a
  /// column whose header has `%`) with 2 decimals, whole numbers with thousands separators, other
  /// numbers with the decimals they were written with (at most 6).
  static func cells(_ t: StepTable) -> [[Cell]] {
    let percent = t.columns.map { $0.contains("%") }
    return t.rows.map { row in
      row.enumerated().map { k, text in
        guard let x = Double(text), x.isFinite, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
          return .text(text)
        }
        if k < percent.count && percent[k] { return .measure(x, unit: "%") }
        guard let point = text.firstIndex(of: ".") else { return .measure(x, unit: "") }
        return .number(x, decimals: min(6, text.distance(from: point, to: text.endIndex) - 1))
      }
    }
  }

  /// A table's caption cut to its first clause (before `:`, `(` or `.`), for link text.
  static func shortTitle(_ caption: String) -> String {
    let cut = caption.prefix { $0 != ":" && $0 != "(" && $0 != "." }.trimmingCharacters(in: .whitespaces)
    let text = cut.isEmpty ? caption : cut
    return text.count <= 60 ? text : String(text.prefix(59)) + "…"
  }

  /// A summary item's value as a cell.
  static func cell(_ item: SummaryItem) -> Cell { valueCell(item.value, unit: item.unit) }

  /// A value as a cell: numbers by unit (full precision in the tooltip), other values as short text
  /// with their numbers rounded (full precision stays in the cache and the step's files).
  static func valueCell(_ v: Value, unit: String) -> Cell {
    if let x = v.number { return .measure(x, unit: unit) }
    if case .null = v { return .empty }
    return .text(abbreviate(rounded(v).displayText))
  }

  /// `v` with every floating-point number rounded to 4 decimals, for display.
  static func rounded(_ v: Value) -> Value {
    switch v {
    case .double(let d) where d.isFinite: return .double((d * 10_000).rounded() / 10_000)
    case .array(let items): return .array(items.map(rounded))
    case .object(let members): return .object(members.mapValues(rounded))
    default: return v
    }
  }

  /// The body lines of a top-level argument (after `key:`), from its key up to the next key.
  private static func yamlSnippet(_ block: StepBlock, from: SourcePosition?, to: SourcePosition?) -> String? {
    guard let from else { return nil }
    let lines = block.source.components(separatedBy: "\n")
    let first = from.line - block.position.line - 1
    let end = to.map { $0.line - block.position.line - 1 } ?? lines.count
    guard first >= 0, first < lines.count, end > first else { return nil }
    var chunk = Array(lines[first..<min(end, lines.count)])
    guard let colon = chunk[0].firstIndex(of: ":") else { return nil }
    chunk[0] = String(chunk[0][chunk[0].index(after: colon)...])
    while let last = chunk.last, last.trimmingCharacters(in: .whitespaces).isEmpty { chunk.removeLast() }
    if chunk.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { chunk.removeFirst() }
    let indent =
      chunk.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
    let text = chunk.map { String($0.dropFirst(min(indent, $0.prefix(while: { $0 == " " }).count))) }.joined(
      separator: "\n")
    return text.isEmpty ? nil : text
  }

  private static func abbreviate(_ s: String) -> String {
    s.count <= 200 ? s : String(s.prefix(197)) + "…"
  }

  /// The run's resolved parameters; a name with different values per chapter is shown per chapter.
  private static func parameterList(run: RunRecord?, plan: Plan) -> [KeyValue] {
    var perChapter = plan.parameters
    if let text = run?.parameters, let value = try? Value.parseJSON(Data(text.utf8)), case .object(let o) = value {
      perChapter = o.compactMapValues { if case .object(let p) = $0 { return p } else { return nil } }
    }
    var values: [String: Set<Value>] = [:]
    for (_, params) in perChapter { for (k, v) in params { values[k, default: []].insert(v) } }
    var out: [KeyValue] = []
    for name in values.keys.sorted() {
      if values[name]!.count == 1 {
        out.append(KeyValue(name, values[name]!.first!.displayText))
      } else {
        for chapter in perChapter.keys.sorted() {
          if let v = perChapter[chapter]?[name] { out.append(KeyValue("\(chapter): \(name)", v.displayText)) }
        }
      }
    }
    return out
  }
}
