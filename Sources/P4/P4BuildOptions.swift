/// Switch-level settings of a generated program that are not part of the compiled sub-model.
public struct P4BuildOptions: Sendable, Equatable, Codable {
  /// EtherType of the DUNE shim (§5.1): 0x88B5 (IEEE local experimental) by default; DUNE-bmv2
  /// uses 0xD00E.
  public var etherType: UInt16
  /// Entries of the controller-filled flow-class table (exact on the 5-tuple).
  public var flowTableSize: Int
  /// Slots of every per-flow register array (the CRC16 index covers 65 536).
  public var registerSize: Int
  /// Ingress port → path id entries (`port_to_path`, used when the header's path id is 0).
  public var portToPath: [PortPath]
  /// Path id → egress port entries (`path_to_port`).
  public var pathToPort: [PortPath]
  /// Path id written when no `port_to_path` entry matches.
  public var defaultPath: UInt16
  /// Egress port used when no `path_to_port` entry matches.
  public var defaultEgressPort: UInt16
  /// Packet index from which the switch announces its flow-level decision (flow-level type, digest);
  /// nil = its inference point. A chain sets it per switch (`ChainProtocol.decisionPoints`).
  public var decisionPoint: Int?

  /// One forwarding pair.
  public struct PortPath: Sendable, Equatable, Codable {
    public var port: UInt16
    public var path: UInt16
    public init(port: UInt16, path: UInt16) {
      self.port = port
      self.path = path
    }
  }

  public init(
    etherType: UInt16 = 0x88B5, flowTableSize: Int = 65_536, registerSize: Int = 65_536,
    portToPath: [PortPath] = [], pathToPort: [PortPath] = [], defaultPath: UInt16 = 1,
    defaultEgressPort: UInt16 = 1, decisionPoint: Int? = nil
  ) {
    self.etherType = etherType
    self.flowTableSize = flowTableSize
    self.registerSize = registerSize
    self.portToPath = portToPath
    self.pathToPort = pathToPort
    self.defaultPath = defaultPath
    self.defaultEgressPort = defaultEgressPort
    self.decisionPoint = decisionPoint
  }
}
