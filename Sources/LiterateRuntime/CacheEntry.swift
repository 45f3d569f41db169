import Literate

/// A committed step result: `.dune/cache/<key>/entry.json` plus the files under `files/`.
public struct CacheEntry: Sendable, Codable, Equatable {
  public var key: String
  public var chapter: String
  public var step: String
  public var kind: String
  public var components: KeyComponents
  public var output: StepOutput
  /// Files the step wrote, sorted by name.
  public var files: [FileRecord]
  /// SHA-256 over the output values and file hashes: what downstream keys see.
  public var outputHash: String
  /// Seconds the step took when it ran.
  public var seconds: Double
  /// The error message when the step failed as its `#| expect-error:` declared.
  public var expectedError: String?
}

/// One output file: path inside the step's folder, SHA-256 and size.
public struct FileRecord: Sendable, Codable, Equatable, Hashable {
  public var name: String
  public var sha256: String
  public var size: Int
}

/// The last successful key of a step (by chapter and id) and its components, for explanations.
public struct StepRecord: Sendable, Codable, Equatable {
  public var key: String
  public var components: KeyComponents
}
