/// The inter-switch shim header (`data-plane.md` §5.1): its wire layout and flag bits, read by both
/// the emulator and the P4 programs, and the fields the emulator carries.
///
/// The emulator models one path, so of the wire fields it keeps only the last four.
public struct DuneHeader: Sendable, Equatable {
  /// One field of the wire layout.
  public struct WireField: Sendable, Equatable {
    public var name: String
    public var bits: Int
  }

  /// The wire layout (64 bits), in order; the P4 programs declare `dune_h` from it.
  public static let wireFields = [
    WireField(name: "orig_ether_type", bits: 16), WireField(name: "path_id", bits: 16),
    WireField(name: "model_id", bits: 8), WireField(name: "class_id", bits: 8), WireField(name: "flags", bits: 8),
    WireField(name: "pkt_count", bits: 8),
  ]

  /// Chain position of the last sub-model applied (0 = none).
  public var modelID: UInt8 = 0
  /// Global class id; 0 = unknown / `Other` so far.
  public var classID: UInt8 = 0
  public var flags: UInt8 = 0
  /// Packet index of the flow at the deciding switch (saturating).
  public var pktCount: UInt8 = 0

  public init() {}

  /// Bit 7: the result is flow-level (1) or packet-level (0).
  public static let flowLevel: UInt8 = 0x80
  /// Bit 6: a hash collision was seen on the path (sticky).
  public static let collision: UInt8 = 0x40
  /// Bit 5: decided at flow level upstream (flow entry hit or FL decision with a known class).
  public static let decidedFlowLevel: UInt8 = 0x20

  public var isFlowLevel: Bool { flags & Self.flowLevel != 0 }
  public var sawCollision: Bool { flags & Self.collision != 0 }
}
