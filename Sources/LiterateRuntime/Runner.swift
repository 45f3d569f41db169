import DUNESupport
import Foundation
import Literate
import Store

/// Runs chapters: plan, restore fresh steps from the cache, execute the others in order, record the
/// run in the store, publish `results/` and render the report.
///
/// The library entry point for `dune run`; tests call it with their own `StepRegistry`.
public struct Runner {
  public var project: Project
  public var registry: StepRegistry
  public var observer: RunObserver?

  public init(project: Project, registry: StepRegistry, observer: RunObserver? = nil) {
    self.project = project
    self.registry = registry
    self.observer = observer
  }

  /// Plans and runs. Planning errors throw `Diagnostics`; a failing step is reported in
  /// `RunSummary.failure` after the store and report have been written.
  public func run(_ options: RunOptions) throws -> RunSummary {
    let lock =
      options.dryRun
      ? nil
      : try ProjectLock(path: project.stateDirectory.appendingPathComponent("lock").path, wait: options.waitForLock)
    defer { lock?.release() }

    let chapters = try project.loadChapters()
    let plan = try Planner.plan(
      chapters: chapters, registry: registry, overrides: options.overrides, selection: options.selection,
      projectRoot: project.root)
    let cache = StepCache(project: project)
    let hasher = FileHasher(memoPath: project.stateDirectory.appendingPathComponent("file-hashes.json").path)
    defer { if !options.dryRun { hasher.save() } }

    var store: MetricsStore?
    var runID: Int64?
    let commit = options.gitCommit ?? GitInfo.commit(in: project.root)
    if !options.dryRun {
      store = try MetricsStore(path: project.databasePath)
      runID = try store!.beginRun(
        started: Self.wallClock(), parameters: Value.object(plan.parameters.mapValues { .object($0) }).canonicalJSON,
        gitCommit: commit)
    }

    let targets = Set(plan.targets)
    var entries: [Int: CacheEntry] = [:]
    var pending: Set<Int> = []  // dry run: steps that would execute
    var outcomes: [StepOutcome] = []
    var failure: LocatedError?

    stepLoop: for index in plan.closure {
      let step = plan.steps[index]
      observer?.stepStarted(step)
      func finish(_ o: StepOutcome) {
        outcomes.append(o)
        observer?.stepFinished(step, outcome: o)
      }
      func outcome(_ status: StepOutcome.Status, _ reasons: [String], key: String?, seconds: Double = 0) -> StepOutcome
      {
        StepOutcome(
          label: step.label, chapter: step.chapter.name, step: step.block.id, kind: step.block.kind, status: status,
          reasons: reasons, key: key, seconds: seconds)
      }
      let lastKey = cache.recordedKey(chapter: step.chapter.name, step: step.block.id)

      // Dry run: a step reading a step that would run cannot know its key yet.
      if let blocked = step.upstream.sorted(by: { $0.key < $1.key }).first(where: { pending.contains($0.value) }) {
        pending.insert(index)
        finish(outcome(lastKey == nil ? .missing : .stale, ["upstream step '\(blocked.key)' will run"], key: nil))
        continue
      }

      // Resolve references and inputs, then the key.
      let resolved: (arguments: Value, components: KeyComponents)
      do {
        resolved = try resolve(step, plan: plan, entries: entries, cache: cache, hasher: hasher)
      } catch let e as LocatedError {
        failure = e
        finish(outcome(.failed, [e.message], key: nil))
        try recordFailure(store, runID, step, key: "", message: e.message)
        break stepLoop
      }
      let key = resolved.components.key
      let forced = (options.force && targets.contains(index)) || !step.block.cacheEnabled
      if !forced, let entry = cache.load(key) {
        entries[index] = entry
        if lastKey != key, !options.dryRun {
          try cache.saveRecord(
            StepRecord(key: key, components: resolved.components), chapter: step.chapter.name, step: step.block.id)
        }
        try store.map {
          try record(
            $0, runID!, step, entry: entry, status: entry.expectedError == nil ? "cached" : "expected-error", seconds: 0
          )
        }
        finish(outcome(.fresh, [], key: key))
        continue
      }

      let lastRecord = lastKey == nil ? nil : cache.record(chapter: step.chapter.name, step: step.block.id)
      let reasons = explain(
        forced: forced, options: options, step: step, components: resolved.components, last: lastRecord)
      if options.dryRun {
        pending.insert(index)
        finish(outcome(lastKey == nil ? .missing : .stale, reasons, key: key))
        continue
      }

      // Execute.
      let result = execute(
        step, arguments: resolved.arguments, components: resolved.components, cache: cache,
        execution: options.execution)
      switch result {
      case .success(let entry):
        entries[index] = entry
        try cache.saveRecord(
          StepRecord(key: key, components: resolved.components), chapter: step.chapter.name, step: step.block.id)
        let status = entry.expectedError == nil ? "ran" : "expected-error"
        try record(store!, runID!, step, entry: entry, status: status, seconds: entry.seconds)
        finish(outcome(entry.expectedError == nil ? .ran : .expectedError, reasons, key: key, seconds: entry.seconds))
      case .failure(let error, let seconds):
        failure = error
        try recordFailure(store, runID, step, key: key, message: error.message, seconds: seconds)
        finish(outcome(.failed, [error.message], key: key, seconds: seconds))
        break stepLoop
      }
    }

    if !options.dryRun, let store, let runID {
      let publisher = Publisher(project: project, cache: cache, hasher: hasher)
      let current = publisher.currentEntries(plan, known: entries)
      let artifacts = try publisher.publishFiles(plan: plan, entries: current)
      try store.record(run: runID, artifacts: artifacts)
      try publisher.renderReport(
        plan: plan, entries: current, store: store, code: registry.code, environment: options.environment)
    }
    return RunSummary(outcomes: outcomes, failure: failure, runID: runID)
  }

  // MARK: - Pieces

  /// Substitutes references, hashes declared inputs, and assembles the key components.
  func resolve(
    _ step: PlannedStep, plan: Plan, entries: [Int: CacheEntry], cache: StepCache, hasher: FileHasher
  ) throws -> (arguments: Value, components: KeyComponents) {
    let path = step.chapter.path
    func fail(_ argument: [String], _ message: String) -> LocatedError {
      let p = step.block.position(ofArgument: argument)
      return LocatedError(file: path, line: p.line, column: p.column, "step '\(step.block.id)': \(message)")
    }
    var upstreamHashes: [String: String] = [:]
    for (id, index) in step.upstream {
      guard let entry = entries[index] else { throw fail([], "upstream step '\(id)' has no result") }
      upstreamHashes["\(plan.steps[index].chapter.name)/\(id)"] = entry.outputHash
    }
    let arguments = try References.substitute(step.block.arguments) { reference, argPath -> Value in
      switch reference {
      case .parameter(let name):
        return plan.parameters[step.chapter.name]?[name] ?? .null
      case .step(let id, let output, let subpath):
        guard let entry = step.upstream[id].flatMap({ entries[$0] }) else {
          throw fail(argPath, "upstream step '\(id)' has no result")
        }
        guard let value = entry.output.values[output] else {
          throw fail(argPath, "upstream step '\(id)' did not produce output '\(output)'")
        }
        guard let inner = value.value(at: subpath) else {
          throw fail(argPath, "output '\(output)' of step '\(id)' has no element '\(subpath.joined(separator: "."))'")
        }
        return inner
      case .file(let id, let name):
        guard let entry = step.upstream[id].flatMap({ entries[$0] }) else {
          throw fail(argPath, "upstream step '\(id)' has no result")
        }
        guard entry.files.contains(where: { $0.name == name }) else {
          throw fail(
            argPath, "step '\(id)' wrote no file '\(name)' (files: \(entry.files.map(\.name).joined(separator: ", ")))")
        }
        return .string(project.relative(cache.filesDirectory(entry.key).appendingPathComponent(name).path))
      }
    }
    var inputs: [String: String] = [:]
    for name in step.inputArguments {
      var paths: [(String, [String])] = []
      switch arguments.value(at: [name]) {
      case .string(let s)?: paths = [(s, [name])]
      case .array(let items)?:
        for (i, item) in items.enumerated() {
          guard let s = item.stringValue else { throw fail([name, String(i)], "input file names must be strings") }
          paths.append((s, [name, String(i)]))
        }
      default: continue
      }
      for (p, argPath) in paths {
        let absolute = p.hasPrefix("/") ? p : project.root.appendingPathComponent(p).path
        guard let digest = try hasher.hash(absolute) else {
          guard step.kind.optionalInputArguments.contains(name) else {
            throw fail(argPath, "input file '\(p)' not found")
          }
          inputs[project.relative(absolute)] = "absent"
          continue
        }
        inputs[project.relative(absolute)] = digest
      }
    }
    let components = KeyComponents(
      kind: step.block.kind, arguments: step.block.arguments, upstream: upstreamHashes, inputs: inputs,
      parameters: step.parameters, code: step.code)
    return (arguments, components)
  }

  func explain(forced: Bool, options: RunOptions, step: PlannedStep, components: KeyComponents, last: StepRecord?)
    -> [String]
  {
    if !step.block.cacheEnabled { return ["caching disabled (#| cache: false)"] }
    if forced { return ["forced (--force)"] }
    guard let last else { return ["never run"] }
    let changes = components.changes(since: last.components)
    return changes.isEmpty ? ["cache entry missing or damaged"] : changes
  }

  enum ExecutionResult {
    case success(CacheEntry)
    case failure(LocatedError, seconds: Double)
  }

  /// Runs one step in a staging folder; commits the entry only on success (or on the declared error).
  func execute(
    _ step: PlannedStep, arguments: Value, components: KeyComponents, cache: StepCache,
    execution: [String: String] = [:]
  ) -> ExecutionResult {
    let key = components.key
    let file = step.chapter.path
    func located(_ argument: [String], _ message: String) -> LocatedError {
      let p = step.block.position(ofArgument: argument)
      return LocatedError(
        file: file, line: p.line, column: p.column, "step '\(step.block.id)' (\(step.block.kind)) failed: \(message)")
    }
    let staging: URL
    do { staging = try cache.makeStaging(key) } catch let e as LocatedError { return .failure(e, seconds: 0) } catch {
      return .failure(located([], "\(error)"), seconds: 0)
    }
    let context = StepContext(
      projectRoot: project.root, outputDirectory: staging.appendingPathComponent("files"), chapter: step.chapter.name,
      stepID: step.block.id, execution: execution)
    let clock = ContinuousClock()
    let start = clock.now
    var output = StepOutput()
    var expectedError: String?
    var thrown: (message: String, argument: [String])?
    do {
      // Library code reports long work (grid points, clusters, packets) to the observer's status line.
      output = try ProgressReporting.$sink.withValue(observer as? any ProgressSink) {
        try step.kind.run(arguments, in: context)
      }
    } catch let e as StepError {
      thrown = (e.message, e.argument)
    } catch let e as ArgumentError {
      thrown = (e.message, e.path)
    } catch {
      thrown = ("\(error)", [])
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

    func discard(_ e: LocatedError) -> ExecutionResult {
      try? FileManager.default.removeItem(at: staging)
      return .failure(e, seconds: seconds)
    }
    switch (thrown, step.block.expectedError) {
    case (let t?, let expected?):
      guard expected.isEmpty || t.message.contains(expected) else {
        return discard(located(t.argument, "\(t.message) (expected an error containing '\(expected)')"))
      }
      expectedError = t.message
      output = StepOutput()
      try? FileManager.default.removeItem(at: staging.appendingPathComponent("files"))
      try? FileManager.default.createDirectory(
        at: staging.appendingPathComponent("files"), withIntermediateDirectories: true)
    case (let t?, nil):
      return discard(located(t.argument, t.message))
    case (nil, let expected?):
      return discard(
        located([], "expected an error\(expected.isEmpty ? "" : " containing '\(expected)'"), but the step succeeded"))
    case (nil, nil):
      // Downstream steps must see exactly what a later run restores from entry.json (JSON writes 26.0 as 26).
      do {
        output = try JSONDecoder().decode(StepOutput.self, from: StepCache.encode(output))
      } catch {
        return discard(located([], "outputs cannot be stored as JSON: \(error)"))
      }
      for declared in step.kind.outputs {
        guard let v = output.values[declared.name] else {
          return discard(located([], "did not produce declared output '\(declared.name)'"))
        }
        if !Self.matches(v, declared.type) {
          return discard(
            located([], "output '\(declared.name)' should be \(declared.type.rawValue), got \(v.typeDescription)"))
        }
      }
    }
    do {
      let files = try cache.scanFiles(in: staging)
      let manifest = Value.object([
        "values": .object(output.values),
        "files": .object(Dictionary(uniqueKeysWithValues: files.map { ($0.name, Value.string($0.sha256)) })),
      ])
      let entry = CacheEntry(
        key: key, chapter: step.chapter.name, step: step.block.id, kind: step.block.kind, components: components,
        output: output, files: files, outputHash: SHA256.hex(manifest.canonicalJSON), seconds: seconds,
        expectedError: expectedError)
      try cache.commit(entry, staging: staging)
      return .success(entry)
    } catch let e as LocatedError {
      return discard(e)
    } catch {
      return discard(located([], "cannot store result: \(error)"))
    }
  }

  static func matches(_ v: Value, _ type: ValueType) -> Bool {
    switch (type, v) {
    case (.any, _), (.bool, .bool), (.integer, .int), (.number, .int), (.number, .double), (.string, .string),
      (.list, .array), (.mapping, .object):
      return true
    default:
      return false
    }
  }

  private func record(
    _ store: MetricsStore, _ runID: Int64, _ step: PlannedStep, entry: CacheEntry, status: String, seconds: Double
  ) throws {
    let metrics = entry.output.metrics.map {
      MetricRecord(
        chapter: step.chapter.name, step: step.block.id, name: $0.name, value: $0.value, unit: $0.unit,
        labels: Value.object($0.labels.mapValues { .string($0) }).canonicalJSON)
    }
    try store.record(
      run: runID,
      execution: StepExecutionRecord(
        chapter: step.chapter.name, step: step.block.id, kind: step.block.kind, key: entry.key, status: status,
        started: Self.wallClock(), duration: seconds, error: entry.expectedError ?? ""),
      metrics: metrics)
  }

  private func recordFailure(
    _ store: MetricsStore?, _ runID: Int64?, _ step: PlannedStep, key: String, message: String, seconds: Double = 0
  ) throws {
    guard let store, let runID else { return }
    try store.record(
      run: runID,
      execution: StepExecutionRecord(
        chapter: step.chapter.name, step: step.block.id, kind: step.block.kind, key: key, status: "failed",
        started: Self.wallClock(), duration: seconds, error: message),
      metrics: [])
  }

  /// Wall-clock time for the store only (never written into results or pages), as `YYYY-MM-DDTHH:MM:SSZ`.
  static func wallClock() -> String {
    UTCTimestamp.iso(Int64(Date().timeIntervalSince1970.rounded(.down)))
  }
}
