import DUNESupport

/// Where the generator gets the decoded packets of a capture: the real capture reader, or (tests)
/// packets held in memory. The callback sees IPv4 TCP/UDP packets in capture order.
public struct PacketSource: Sendable {
  /// Counters of one capture read (frames met, packets decoded, frames skipped by reason).
  public struct Counts: Sendable, Equatable {
    public var framesRead = 0
    public var decoded = 0
    public var skipped: [String: Int] = [:]
    public init(framesRead: Int = 0, decoded: Int = 0, skipped: [String: Int] = [:]) {
      self.framesRead = framesRead
      self.decoded = decoded
      self.skipped = skipped
    }
  }

  /// Streams the packets of the capture at `path` into `body`; throws a `LocatedError` on a bad file.
  public let stream: @Sendable (_ path: String, _ body: (Packet) -> Void) throws -> Counts

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
