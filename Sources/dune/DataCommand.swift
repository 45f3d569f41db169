import ArgumentParser
import DUNESupport
import Foundation
import Traffic

/// `dune data …`: step 1 of the pipeline (hybrid samples) and the synthetic dataset.
struct DataCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Generate hybrid packet/flow samples from captures, or the synthetic dataset.",
    subcommands: [DataSamples.self, DataSynth.self, DataUseCase.self])
}

/// `dune data samples`: captures → `<usecase>_<split>_<N>.csv` and `<usecase>_<split>_flow_counts.csv`.
struct DataSamples: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "samples",
    abstract: "Write the hybrid sample tables (one per split and N) and the per-flow packet counts.")

  @Option(
    name: .customLong("use-case"),
    help: "Built-in use case (synthetic, iot-sentinel, unsw, ton-iot) or a use-case JSON file.")
  var useCase = "synthetic"

  @Option(help: "Data folder (default: the use case's own, or the generated synthetic dataset).")
  var data: String?

  @Option(help: "Inference points, comma-separated (default: the use case's).")
  var n: String?

  @Option(help: "Output folder.")
  var out: String

  @Flag(help: "Print a JSON summary on standard output.")
  var json = false

  @Flag(help: "Fail on the first unreadable capture instead of skipping it.")
  var strict = false

  @Option(help: "Worker threads (default: all cores; the output does not depend on it).")
  var threads: Int?

  func run() async throws {
    try await reportingErrors {
      let start = Date()
      let uc = try UseCase.resolve(useCase)
      let ns = try n.map(Self.parseInferencePoints) ?? uc.inferencePoints
      let folder = try Self.dataFolder(for: uc, explicit: data)
      let output = try SampleGenerator.run(
        useCase: uc, dataFolder: folder,
        options: .init(inferencePoints: ns, strict: strict, threads: threads), source: .captures)
      var files: [(String, Data)] = []
      for s in UseCase.splitNames {
        for nv in output.report.inferencePoints {
          files.append(("\(uc.name)_\(s)_\(nv).csv", Data(output.tables[s]![nv]!.csvBytes())))
        }
        files.append(("\(uc.name)_\(s)_flow_counts.csv", Data(output.flowCounts[s]!.csvText().utf8)))
      }
      try AtomicFileSet.write(files.map { (joinPath(out, $0.0), $0.1) })
      var report = output.report
      report.seconds = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
      for b in report.badFiles { FileHandle.standardError.write(Data("warning: skipped \(b.error)\n".utf8)) }
      if json {
        printOut(String(decoding: try DeterministicJSON.data(report), as: UTF8.self))
      } else {
        for s in UseCase.splitNames {
          let sr = report.splits[s]!
          let rows = report.inferencePoints.map { "N=\($0): \(sr.rows[String($0)]!.total) rows" }.joined(
            separator: ", ")
          printOut("\(s): \(sr.files) files, \(sr.packets) packets, \(sr.flows) flows; \(rows)")
        }
        printOut("wrote \(files.count) files to \(out) in \(report.seconds!) s")
      }
    }
  }

  /// `2,3,4` → [2, 3, 4]; every value must be an integer ≥ 2.
  static func parseInferencePoints(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let ns = parts.compactMap { Int($0) }
    guard !ns.isEmpty, ns.count == parts.count, ns.allSatisfy({ $0 >= 2 }) else {
      throw UsageError("--n expects comma-separated integers ≥ 2, got '\(text)'")
    }
    return ns
  }

  /// The data folder: `--data`, else the (generated) synthetic dataset, else the folder named by the
  /// use case's environment variable, else the use case's own default.
  static func dataFolder(for uc: UseCase, explicit: String?) throws -> String {
    if let explicit { return explicit }
    if let p = uc.synthetic { return try SyntheticDataset.ensure(p) }
    if let d = uc.environmentDataFolder(ProcessInfo.processInfo.environment) ?? uc.dataFolder { return d }
    throw UsageError(uc.missingDataMessage)
  }
}

/// `dune data synth`: writes the synthetic dataset.
struct DataSynth: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth", abstract: "Write the synthetic smart-home dataset (pcaps + MAC list).")

  @Option(help: "Output folder.")
  var out: String

  @Option(help: "Number of device classes.")
  var classes = SyntheticParameters().classes

  @Option(help: "Generator seed.")
  var seed = SyntheticParameters().seed

  @Option(help: "Sessions-per-capture multiplier.")
  var scale = SyntheticParameters().scale

  func run() async throws {
    try await reportingErrors {
      let p = SyntheticParameters(classes: classes, seed: seed, scale: scale)
      try SyntheticDataset.write(p, to: out)
      printOut("wrote \(p.classes * SyntheticDataset.capturesPerClass) captures of \(p.classes) classes to \(out)")
    }
  }
}

/// `dune data use-case NAME|PATH`: prints the resolved use case as JSON (a template for new ones).
struct DataUseCase: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "use-case", abstract: "Print a use case (built-in name or JSON file) as JSON.")

  @Argument(help: "Built-in use case name or JSON file.")
  var nameOrPath: String

  func run() async throws {
    try await reportingErrors {
      let uc = try UseCase.resolve(nameOrPath)
      FileHandle.standardOutput.write(Data(uc.jsonText().utf8))
    }
  }
}

/// `a/b` with one separator.
private func joinPath(_ a: String, _ b: String) -> String {
  if b.hasPrefix("/") || a.isEmpty { return b }
  return a.hasSuffix("/") ? a + b : a + "/" + b
}
