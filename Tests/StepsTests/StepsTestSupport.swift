import Foundation
import Literate
import LiterateRuntime
import Steps
import Traffic

/// A throwaway project folder with `chapters/` and extra files, run with the default registry.
struct StepsProject {
  let root: URL

  init(_ chapters: [String: String], files: [String: String] = [:]) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-steps-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    for (name, text) in chapters { try write("chapters/\(name)", text) }
    for (name, text) in files { try write(name, text) }
  }

  func write(_ path: String, _ text: String) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func read(_ path: String) -> String? {
    FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  func run(_ options: RunOptions = RunOptions(gitCommit: "test")) throws -> RunSummary {
    try Runner(project: Project(root: root), registry: defaultRegistry).run(options)
  }

  /// The cached output of `chapter/step` as last run.
  func output(_ summary: RunSummary, _ label: String) throws -> StepOutput {
    guard let key = summary.outcomes.first(where: { $0.label == label })?.key else {
      throw TestFailure("no outcome \(label)")
    }
    let data = try Data(contentsOf: root.appendingPathComponent(".dune/cache/\(key)/entry.json"))
    return try JSONDecoder().decode(CacheEntry.self, from: data).output
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// The repository root (this file is Tests/StepsTests/…) and the vendored reference inputs in it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
let referenceFolder = repositoryRoot.appendingPathComponent("paper/inputs")

/// A small synthetic use case (4 classes, a fifth of the sessions) as JSON, for fast end-to-end runs.
func tinySyntheticUseCaseJSON() -> String {
  UseCase.synthetic(SyntheticParameters(classes: 4, seed: 3, scale: 0.25)).jsonText()
}
