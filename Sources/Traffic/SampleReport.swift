/// The summary of one sample-generation run (`dune data samples --json`).
///
/// Packet counters: `framesRead` capture records, `decoded` IPv4 TCP/UDP packets, `used` packets
/// that got a label and went into the samples, `skipped` by reason (capture-level reasons from the
/// reader, labelling reasons from `DropReason`). With the `labelFiles` split a capture is read
/// once per split: frames are counted once, labelling outcomes per split.
public struct SampleReport: Codable, Sendable, Equatable {
  public struct Files: Codable, Sendable, Equatable {
    public var total = 0
    public var processed = 0
    public var skipped = 0
  }
  public struct BadFile: Codable, Sendable, Equatable {
    public var file: String
    public var error: String
  }
  public struct Packets: Codable, Sendable, Equatable {
    public var framesRead = 0
    public var decoded = 0
    public var used = 0
    public var skipped: [String: Int] = [:]
  }
  public struct Rows: Codable, Sendable, Equatable {
    public var total: Int
    public var perClass: [String: Int]
  }
  public struct Split: Codable, Sendable, Equatable {
    public var files = 0
    public var packets = 0
    public var flows = 0
    public var flowsPerClass: [String: Int] = [:]
    /// Keyed by N (as text, for JSON).
    public var rows: [String: Rows] = [:]
  }

  public var useCase: String
  public var dataFolder: String
  public var inferencePoints: [Int]
  public var files = Files()
  public var badFiles: [BadFile] = []
  public var packets = Packets()
  public var splits: [String: Split] = [:]
  /// Wall-clock seconds; set by the CLI, never part of an artifact.
  public var seconds: Double?

  public init(useCase: String, dataFolder: String, inferencePoints: [Int]) {
    self.useCase = useCase
    self.dataFolder = dataFolder
    self.inferencePoints = inferencePoints
  }
}
