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
    var stepIndex = 0
    for chapter in plan.chapters {
      var blocks: [Block] = []
      var keyMetrics: [KeyMetric] = []
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
            chapter: chapter, block: stepBlock, entry: entry, execution: execution, runFailed: runFailed,
            runDetails: runDetails)
          blocks.append(.step(view))
          for m in entry?.output.metrics ?? [] where keyMetrics.count < 3 {
            keyMetrics.append(KeyMetric("\(stepBlock.id): \(m.name)", cell(m.value)))
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
          slug: chapter.name, title: chapter.title, sourcePath: chapter.path, blocks: blocks, keyMetrics: keyMetrics))
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
    return ReportSite(title: title, chapters: pages, provenance: provenance)
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
    chapter: Chapter, block: StepBlock, entry: CacheEntry?, execution: StepExecutionRecord?, runFailed: Bool,
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
    if let entry {
      let output = entry.output
      if !output.values.isEmpty {
        tables.append(
          MetricsTable(
            title: "Outputs", columns: ["name", "value"],
            rows: output.values.keys.sorted().map { [.text($0), .text(abbreviate(output.values[$0]!.displayText))] }))
      }
      if !output.metrics.isEmpty {
        tables.append(
          MetricsTable(
            title: "Metrics", columns: ["metric", "labels", "value", "unit"],
            rows: output.metrics.map { m in
              [
                .text(m.name), .text(m.labels.keys.sorted().map { "\($0)=\(m.labels[$0]!)" }.joined(separator: ", ")),
                cell(m.value), .text(m.unit),
              ]
            }))
      }
      for t in output.tables {
        tables.append(MetricsTable(title: t.caption, columns: t.columns, rows: t.rows.map { $0.map { .text($0) } }))
      }
      if !output.notes.isEmpty {
        tables.append(MetricsTable(title: "Notes", columns: ["note"], rows: output.notes.map { [.text($0)] }))
      }
      figures = output.figures.map {
        Report.Figure(id: "\(block.id)-\($0.id)", caption: $0.caption, content: .trustedSVG($0.svg))
      }
      files = entry.files.map {
        FileLink(path: "\(chapter.name)/\(block.id)/\($0.name)", label: $0.name, sizeBytes: $0.size)
      }
    }
    return StepView(
      id: block.id, kind: block.kind, status: status, arguments: arguments, tables: tables, figures: figures,
      files: files, durationSeconds: runDetails ? entry?.seconds : nil)
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

  private static func cell(_ v: Double) -> Cell {
    if v == v.rounded(), abs(v) < 1e15 { return .integer(Int(v)) }
    return .number(v, decimals: 4)
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
