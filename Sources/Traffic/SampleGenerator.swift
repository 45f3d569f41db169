import DUNESupport
import Foundation

/// Step 1 of the pipeline: captures → labelled packets → hybrid sample tables per split and N,
/// plus the per-flow packet counts (`dune-reference.md` §2).
///
/// Captures are independent: they are processed in parallel on all cores and their rows are
/// concatenated in capture byte order (train/test each), so the output does not depend on the
/// number of threads. A capture that fails to read is skipped and reported (or fatal with `strict`).
public enum SampleGenerator {
  /// Options of one generation run.
  public struct Options: Sendable {
    /// The N values to build (each ≥ 2; all built in one pass per capture).
    public var inferencePoints: [Int]
    /// A bad capture aborts the run instead of being skipped.
    public var strict: Bool
    /// Worker threads (nil = all cores). The output is identical for any value.
    public var threads: Int?
    /// Options with defaults: skip bad captures, all cores.
    public init(inferencePoints: [Int], strict: Bool = false, threads: Int? = nil) {
      self.inferencePoints = inferencePoints
      self.strict = strict
      self.threads = threads
    }
  }

  /// The tables of one run: per split, per N; flow counts per split; the report.
  public struct Output: Sendable {
    /// Sample tables by split (`train`, `test`) and N.
    public var tables: [String: [Int: SampleTable]]
    /// Flow lengths by split.
    public var flowCounts: [String: FlowCounts]
    /// Counters of the run.
    public var report: SampleReport
  }

  /// One unit of work: one capture read for one split.
  struct Job: Sendable {
    var file: String
    var folder: String
    var split: String
    /// True for the first split a capture is read for (its frames are counted once).
    var countsFrames: Bool
  }

  /// What a job produced.
  struct JobResult: Sendable {
    var rows: [SampleRows]
    var flows: [(flowID: String, packetCount: Int, label: String)]
    var counts: PacketSource.Counts
    var dropped: [DropReason: Int]
    var used: Int
    var error: LocatedError?
  }

  /// Runs the generation for `useCase` on the captures under `dataFolder`.
  public static func run(
    useCase: UseCase, dataFolder: String, options: Options, source: PacketSource
  ) throws -> Output {
    let ns = Array(Set(options.inferencePoints)).sorted()
    guard let first = ns.first, first >= 2 else { throw UsageError("inference points must be ≥ 2") }
    let files = try CaptureFiles.list(useCase: useCase, dataFolder: dataFolder)
    let splitsOf = CaptureFiles.splits(of: files, rule: useCase.split, capturesFolder: useCase.capturesFolder)
    let folders = files.map { CaptureFiles.topFolder($0, capturesFolder: useCase.capturesFolder) }
    var labellers: [String: PacketLabeller] = [:]
    for s in UseCase.splitNames {
      labellers[s] = try PacketLabeller.make(
        useCase: useCase, split: s, dataFolder: dataFolder, folders: Array(Set(folders)).sorted())
    }
    var jobs: [Job] = []
    for (i, f) in files.enumerated() {
      for (k, s) in splitsOf[i].enumerated() {
        jobs.append(Job(file: f, folder: folders[i], split: s, countsFrames: k == 0))
      }
    }
    let jobList = jobs
    let labellersFrozen = labellers
    let threads = max(1, options.threads ?? defaultThreadCount)
    let all = parallelMap(count: jobList.count, threads: threads) { j in
      let job = jobList[j]
      return process(job, dataFolder: dataFolder, ns: ns, labeller: labellersFrozen[job.split]!, source: source)
    }
    if options.strict, let e = all.compactMap({ $0.error }).first { throw e }

    var tables: [String: [Int: SampleTable]] = [:]
    var flowCounts: [String: FlowCounts] = [:]
    var report = SampleReport(useCase: useCase.name, dataFolder: dataFolder, inferencePoints: ns)
    report.files.total = files.count
    for s in UseCase.splitNames {
      var rows = ns.map { _ in SampleRows() }
      var fc = FlowCounts()
      var splitReport = SampleReport.Split()
      for (j, job) in jobs.enumerated() where job.split == s {
        let r = all[j]
        if job.countsFrames {
          report.packets.framesRead += r.counts.framesRead
          report.packets.decoded += r.counts.decoded
          for (k, v) in r.counts.skipped { report.packets.skipped[k, default: 0] += v }
        }
        if let e = r.error {
          if job.countsFrames { report.badFiles.append(.init(file: job.file, error: e.description)) }
          continue
        }
        splitReport.files += 1
        report.packets.used += r.used
        for (k, v) in r.dropped { report.packets.skipped[k.rawValue, default: 0] += v }
        for i in ns.indices { rows[i].append(r.rows[i]) }
        for f in r.flows {
          fc.add(file: job.file, flowID: f.flowID, packetCount: f.packetCount, label: f.label)
          splitReport.flowsPerClass[f.label, default: 0] += 1
          splitReport.flows += 1
        }
        splitReport.packets += r.used
      }
      var perN: [Int: SampleTable] = [:]
      for (i, n) in ns.enumerated() {
        var byClass: [String: Int] = [:]
        for l in rows[i].labels { byClass[l, default: 0] += 1 }
        splitReport.rows[String(n)] = .init(total: rows[i].count, perClass: byClass)
        perN[n] = rows[i].table()
      }
      tables[s] = perN
      flowCounts[s] = fc
      report.splits[s] = splitReport
    }
    report.files.processed = files.count - report.badFiles.count
    report.files.skipped = report.badFiles.count
    return Output(tables: tables, flowCounts: flowCounts, report: report)
  }

  static func process(
    _ job: Job, dataFolder: String, ns: [Int], labeller: PacketLabeller, source: PacketSource
  ) -> JobResult {
    var builder = HybridSampleBuilder(inferencePoints: ns, file: job.file)
    var dropped: [DropReason: Int] = [:]
    var used = 0
    let folder = job.folder
    do {
      let counts = try source.stream(joinPath(dataFolder, job.file)) { p in
        switch labeller.label(p, folder: folder) {
        case .label(let l):
          used += 1
          builder.add(p, label: l)
        case .drop(let why):
          dropped[why, default: 0] += 1
        }
      }
      return JobResult(
        rows: ns.map { builder.rows(n: $0) }, flows: builder.flowLengths, counts: counts, dropped: dropped,
        used: used, error: nil)
    } catch {
      let located = (error as? LocatedError) ?? LocatedError(file: joinPath(dataFolder, job.file), "\(error)")
      return JobResult(rows: [], flows: [], counts: .init(), dropped: [:], used: 0, error: located)
    }
  }
}
