/// The inter-switch shim header (`data-plane.md` §5.1), as the emulator carries it.
///
/// Wire layout (64 bits): `orig_ether_type` 16, `path_id` 16, `model_id` 8, `class` 8, `flags` 8,
/// `pkt_count` 8. The emulator models one path, so only the last four fields are kept.
public struct DuneHeader: Sendable, Equatable {
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
