import DUNESupport
import Foundation
import Literate
import Report
import Store

/// Publishes the cache's current state: step files to `results/<chapter>/<step>/`, `results/manifest.json`,
/// and the report pages. Everything here is a function of the cache and the store's latest run, so
/// `dune render` after `dune run` rewrites identical bytes.
struct Publisher {
  let project: Project
  let cache: StepCache
  let hasher: FileHasher

  /// The committed entry each step last produced, by plan index; `known` entries (this run's) are reused.
  func currentEntries(_ plan: Plan, known: [Int: CacheEntry] = [:]) -> [Int: CacheEntry] {
    var out: [Int: CacheEntry] = [:]
    for step in plan.steps {
      guard let key = cache.recordedKey(chapter: step.chapter.name, step: step.block.id) else { continue }
      if let entry = known[step.index], entry.key == key {
        out[step.index] = entry
      } else if let entry = cache.load(key) {
        out[step.index] = entry
      }
    }
    return out
  }

  /// Copies changed step files into the results folder and writes the manifest; returns the artifacts.
  func publishFiles(plan: Plan, entries: [Int: CacheEntry]) throws -> [ArtifactRecord] {
    var artifacts: [ArtifactRecord] = []
    var manifest: [String: Value] = [:]
    let fm = FileManager.default
    for step in plan.steps {
      guard let entry = entries[step.index] else { continue }
      let folder = project.resultsDirectory.appendingPathComponent(step.chapter.name).appendingPathComponent(
        step.block.id)
      let wanted = Set(entry.files.map(\.name))
      // Remove files a previous result of this step left behind.
      if let walker = fm.enumerator(atPath: folder.path) {
        while let name = walker.nextObject() as? String {
          var isDirectory: ObjCBool = false
          let path = folder.appendingPathComponent(name).path
          if fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, !wanted.contains(name) {
            try? fm.removeItem(atPath: path)
          }
        }
      }
      for file in entry.files {
        let target = folder.appendingPathComponent(file.name).path
        if try hasher.hash(target) != file.sha256 {
          let source = cache.filesDirectory(entry.key).appendingPathComponent(file.name).path
          guard let data = fm.contents(atPath: source) else {
            throw LocatedError(file: source, "cache file vanished while publishing")
          }
          try AtomicFile.write(data, to: target)
        }
        let relative = "\(step.chapter.name)/\(step.block.id)/\(file.name)"
        artifacts.append(
          ArtifactRecord(path: relative, hash: file.sha256, chapter: step.chapter.name, step: step.block.id))
        manifest[relative] = .object([
          "sha256": .string(file.sha256), "size": .int(file.size),
          "step": .string("\(step.chapter.name)/\(step.block.id)"),
        ])
      }
    }
    try writeIfChanged(
      Value.object(manifest).prettyJSON + "\n",
      to: project.resultsDirectory.appendingPathComponent("manifest.json").path)
    return artifacts
  }

  /// Renders `index.html` and one page per chapter from the cache and the store's latest run.
  func renderReport(
    plan: Plan, entries: [Int: CacheEntry], store: MetricsStore, code: CodeFingerprints, environment: [String: String]
  ) throws {
    let latest = try store.latestRun()
    let executions = try latest.map { try store.executions(run: $0.id) } ?? []
    let site = ReportBuilder.site(
      plan: plan, entries: entries, run: latest, executions: executions, code: code,
      generatedAt: Provenance.sourceDateEpoch(from: environment),
      runDetails: environment["DUNE_REPORT_RUN_DETAILS"] == "1")
    try writeIfChanged(
      ReportRenderer.renderIndex(site), to: project.resultsDirectory.appendingPathComponent("index.html").path)
    for page in site.chapters {
      try writeIfChanged(
        ReportRenderer.renderChapter(page, in: site),
        to: project.resultsDirectory.appendingPathComponent(page.fileName).path)
    }
  }

  /// Atomic write, skipped when the file already holds exactly `text` (keeps mtimes stable).
  private func writeIfChanged(_ text: String, to path: String) throws {
    let data = Data(text.utf8)
    if FileManager.default.contents(atPath: path) == data { return }
    try AtomicFile.write(data, to: path)
  }
}
