import DUNESupport
import Foundation
import Literate
import Store

extension Runner {
  /// Re-publishes `results/` (files, manifest, pages) from the cache and the store without running any step.
  public func render(environment: [String: String], waitForLock: Bool = false) throws {
    let lock = try ProjectLock(path: project.stateDirectory.appendingPathComponent("lock").path, wait: waitForLock)
    defer { lock.release() }
    let plan = try Planner.plan(chapters: try project.loadChapters(), registry: registry, projectRoot: project.root)
    let store = try MetricsStore(path: project.databasePath)
    let hasher = FileHasher(memoPath: project.stateDirectory.appendingPathComponent("file-hashes.json").path)
    defer { hasher.save() }
    let publisher = Publisher(project: project, cache: StepCache(project: project), hasher: hasher)
    let entries = publisher.currentEntries(plan)
    _ = try publisher.publishFiles(plan: plan, entries: entries)
    try publisher.renderReport(
      plan: plan, entries: entries, store: store, code: registry.code, environment: environment)
  }
}
