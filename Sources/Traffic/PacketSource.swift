import DUNESupport

/// Where the generator gets the decoded packets of a capture: the real capture reader, or (tests)
/// packets held in memory. The callback sees IPv4 TCP/UDP packets in capture order.
public struct PacketSource: Sendable {
  /// Counters of one capture read (frames met, packets decoded, frames skipped by reason).
  public struct Counts: Sendable, Equatable {
    /// Capture records met.
    public var framesRead = 0
    /// IPv4 TCP/UDP packets handed to the callback.
    public var decoded = 0
    /// Records skipped by the reader, by reason name.
    public var skipped: [String: Int] = [:]
    /// Counters from their parts.
    public init(framesRead: Int = 0, decoded: Int = 0, skipped: [String: Int] = [:]) {
      self.framesRead = framesRead
      self.decoded = decoded
      self.skipped = skipped
    }
  }

  /// Streams the packets of the capture at `path` into `body`; throws a `LocatedError` on a bad file.
  public let stream: @Sendable (_ path: String, _ body: (Packet) -> Void) throws -> Counts

  /// A source from its streaming function.
  public init(stream: @escaping @Sendable (_ path: String, _ body: (Packet) -> Void) throws -> Counts) {
    self.stream = stream
  }

  /// Packets given in memory per absolute path (for tests); an unknown path is a located error.
  public static func memory(_ files: [String: [Packet]]) -> PacketSource {
    PacketSource { path, body in
      guard let ps = files[path] else { throw LocatedError(file: path, "no such capture") }
      for p in ps { body(p) }
      return Counts(framesRead: ps.count, decoded: ps.count)
    }
  }
}
