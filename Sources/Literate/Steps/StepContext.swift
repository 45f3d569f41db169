import DUNESupport
import Foundation

/// What a running step may touch: the project root (to read inputs) and its own output folder.
public struct StepContext: Sendable {
  /// The project root; input paths in arguments are relative to it.
  public var projectRoot: URL
  /// An empty folder for the files this step writes; it becomes part of the cache entry on success.
  public var outputDirectory: URL
  /// The chapter and step being run (for messages and element ids).
  public var chapter: String
  public var stepID: String
  /// Where the step may run its heavy work (`-P executor=slurm`, `-P slurm-…`): settings that choose
  /// the machines, never the results, and so are not part of the cache key.
  public var execution: [String: String]

  public init(
    projectRoot: URL, outputDirectory: URL, chapter: String, stepID: String, execution: [String: String] = [:]
  ) {
    self.projectRoot = projectRoot
    self.outputDirectory = outputDirectory
    self.chapter = chapter
    self.stepID = stepID
    self.execution = execution
  }

  /// The absolute path of a project-relative (or already absolute) path.
  public func resolve(_ path: String) -> String {
    path.hasPrefix("/") ? path : projectRoot.appendingPathComponent(path).path
  }

  /// Writes `data` as output file `name` (may contain `/`), atomically.
  public func write(_ data: Data, to name: String) throws {
    guard !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
      throw StepError("output file name '\(name)' must be a relative path inside the step's folder")
    }
    try AtomicFile.write(data, to: outputDirectory.appendingPathComponent(name).path)
  }

  /// Writes UTF-8 `text` as output file `name`.
  public func write(_ text: String, to name: String) throws { try write(Data(text.utf8), to: name) }
}
