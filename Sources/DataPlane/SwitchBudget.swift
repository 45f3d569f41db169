import Forest

/// Per-switch resource limits the resource model checks against (`data-plane.md` §7.4).
public struct SwitchBudget: Codable, Sendable, Equatable {
  public var stages: Int
  public var tcamBlocks: Int
  public var sramBlocks: Int
  public var tcamBlocksPerStage: Int
  public var sramBlocksPerStage: Int
  /// TCAM block geometry (rows × bits).
  public var tcamRows: Int
  public var tcamWidth: Int
  /// SRAM block geometry (rows × bits).
  public var sramRows: Int
  public var sramWidth: Int
  /// Stateful ALUs (register actions) per stage.
  public var registerActionsPerStage: Int
  /// Widest ternary key one stage's crossbar accepts (66 bytes ≈ 528 bits).
  public var maxTernaryKeyBits: Int
  /// Register array length (flow slots) and flow-class table size.
  public var registerSlots: Int
  public var flowTableEntries: Int

  public init(
    stages: Int, tcamBlocks: Int, sramBlocks: Int, tcamBlocksPerStage: Int, sramBlocksPerStage: Int, tcamRows: Int,
    tcamWidth: Int, sramRows: Int, sramWidth: Int, registerActionsPerStage: Int, maxTernaryKeyBits: Int,
    registerSlots: Int, flowTableEntries: Int
  ) {
    self.stages = stages
    self.tcamBlocks = tcamBlocks
    self.sramBlocks = sramBlocks
    self.tcamBlocksPerStage = tcamBlocksPerStage
    self.sramBlocksPerStage = sramBlocksPerStage
    self.tcamRows = tcamRows
    self.tcamWidth = tcamWidth
    self.sramRows = sramRows
    self.sramWidth = sramWidth
    self.registerActionsPerStage = registerActionsPerStage
    self.maxTernaryKeyBits = maxTernaryKeyBits
    self.registerSlots = registerSlots
    self.flowTableEntries = flowTableEntries
  }

  /// Tofino-1, one pipe: 12 stages, 288 TCAM blocks (512 × 44; `ReferenceTCAMModel.capacity`),
  /// 960 SRAM blocks (1 024 × 128),
  /// 4 stateful ALUs per stage, 528-bit ternary keys, 65 536 register slots and flow entries.
  public static let tofino1 = SwitchBudget(
    stages: 12, tcamBlocks: ReferenceTCAMModel.capacity, sramBlocks: 960, tcamBlocksPerStage: 24,
    sramBlocksPerStage: 80, tcamRows: 512,
    tcamWidth: 44, sramRows: 1024, sramWidth: 128, registerActionsPerStage: 4, maxTernaryKeyBits: 528,
    registerSlots: 65_536, flowTableEntries: 65_536)
}

extension SwitchBudget {
  /// Widest range-match key the Tofino compiler places (5 PHV nibbles); wider keys fail to place,
  /// so the generator refuses them and chapter 04's selection skips models that need them.
  public static let tofinoRangeKeyBits = 20
}
