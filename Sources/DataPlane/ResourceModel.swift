import Forest

/// The kind of memory a table or register lives in.
public enum MemoryKind: String, Codable, Sendable, Equatable {
  case range, ternary, exact, register
}

/// Resources of one table or register array (`data-plane.md` §9.1, §9.3).
public struct TableResource: Codable, Sendable, Equatable {
  public var name: String
  public var kind: MemoryKind
  public var entries: Int
  public var keyBits: Int
  public var actionDataBits: Int
  /// Logical bits: ternary/range entries × key × 2 (value + mask); exact entries × (key + data);
  /// registers slots × width.
  public var logicalBits: Int
  /// Tofino-1 TCAM blocks (§9.3; a multi-field ternary key counted in whole crossbar bytes per field).
  public var tcamBlocks: Int
  /// Tofino-1 SRAM blocks as the compiler allocates them (§9.3 calibrated), map RAM excluded; for
  /// range/ternary tables the match-result block plus action data wider than 32 bits.
  public var sramBlocks: Int
}

/// A budget item a sub-model (or a switch) exceeds.
public struct BudgetViolation: Codable, Sendable, Equatable, CustomStringConvertible {
  public var resource: String
  public var needed: Int
  public var available: Int
  public var description: String { "\(resource): needs \(needed), budget \(available)" }
}

/// Whether a design fits a switch: typed, never silently accepted.
public enum FitResult: Codable, Sendable, Equatable {
  case fits
  case exceeds([BudgetViolation])

  public var fits: Bool { if case .fits = self { return true } else { return false } }
}

/// Resource estimate of one compiled sub-model against a switch budget.
public struct ResourceEstimate: Codable, Sendable, Equatable {
  public var name: String
  public var tables: [TableResource]
  /// The DUNE selection model (§9.2): blocks and share of 288.
  public var referenceTCAMBlocks: Int
  public var referenceTCAMShare: Double
  public var tcamBlocks: Int
  public var sramBlocks: Int
  /// Estimated pipeline stages (`ResourceModel.compilerStages`, calibrated on the Tofino compiler).
  public var stages: Int
  public var registerBitsPerSlot: Int
  public var widestTernaryKey: Int
  public var fit: FitResult

  /// These resources against the limits of `budget` (TCAM and SRAM blocks, stages, the widest
  /// ternary key). Block geometry is `budget`'s too, so only budgets that change limits (not block
  /// sizes) may be checked this way; `ResourceModel.estimate` sets `fit` with it.
  public func fit(under budget: SwitchBudget) -> FitResult {
    var violations: [BudgetViolation] = []
    if tcamBlocks > budget.tcamBlocks {
      violations.append(BudgetViolation(resource: "TCAM blocks", needed: tcamBlocks, available: budget.tcamBlocks))
    }
    if sramBlocks > budget.sramBlocks {
      violations.append(BudgetViolation(resource: "SRAM blocks", needed: sramBlocks, available: budget.sramBlocks))
    }
    if stages > budget.stages {
      violations.append(BudgetViolation(resource: "stages", needed: stages, available: budget.stages))
    }
    if widestTernaryKey > budget.maxTernaryKeyBits {
      violations.append(
        BudgetViolation(resource: "ternary key bits", needed: widestTernaryKey, available: budget.maxTernaryKeyBits))
    }
    return violations.isEmpty ? .fits : .exceeds(violations)
  }

  /// The model's match-action entries (feature, code and voting tables) — what the generated
  /// entry files install. Excludes the flow-class table's capacity (filled by the controller at
  /// run time) and register cells.
  public var modelEntries: Int {
    tables.filter { $0.kind != .register && $0.name != "flow_class" }.reduce(0) { $0 + $1.entries }
  }
}

/// Resource estimation of compiled sub-models (`data-plane.md` §9).
///
/// Entry counts and logical bits are exact for the compiled tables; TCAM/SRAM blocks and stages are
/// the refined Tofino-1 estimate of §9.3 (not compiler output; bmv2 has no memory model).
public enum ResourceModel {
  /// ⌈a / b⌉ for positive b.
  @inlinable static func ceilDiv(_ a: Int, _ b: Int) -> Int { a <= 0 ? 0 : (a + b - 1) / b }

  /// TCAM blocks of a ternary table: ⌈keyBits/width⌉ · ⌈entries/rows⌉.
  public static func ternaryBlocks(keyBits: Int, entries: Int, budget: SwitchBudget = .tofino1) -> Int {
    ceilDiv(keyBits, budget.tcamWidth) * ceilDiv(entries, budget.tcamRows)
  }

  /// TCAM blocks of a range table: ⌈2·w/width⌉ · ⌈R'/rows⌉ (R' ≈ R, see `rangeExpansionBound`).
  public static func rangeBlocks(keyBits: Int, entries: Int, budget: SwitchBudget = .tofino1) -> Int {
    ceilDiv(2 * keyBits, budget.tcamWidth) * ceilDiv(entries, budget.tcamRows)
  }

  /// Upper bound on TCAM rows after nibble range expansion: R·(2·⌈w/4⌉ − 1).
  public static func rangeExpansionBound(keyBits: Int, entries: Int) -> Int {
    entries * (2 * ceilDiv(keyBits, 4) - 1)
  }

  /// SRAM blocks of an exact table: ⌈entries·(key + data + 8) / (rows·width)⌉.
  public static func exactBlocks(keyBits: Int, dataBits: Int, entries: Int, budget: SwitchBudget = .tofino1) -> Int {
    ceilDiv(entries * (keyBits + dataBits + 8), budget.sramRows * budget.sramWidth)
  }

  /// SRAM blocks holding the action data of a TCAM table: ⌈entries·bits / (rows·width)⌉.
  public static func actionDataBlocks(dataBits: Int, entries: Int, budget: SwitchBudget = .tofino1) -> Int {
    ceilDiv(entries * dataBits, budget.sramRows * budget.sramWidth)
  }

  /// SRAM blocks of a TCAM table as the compiler lays it out: one block of match results
  /// (indirection), plus the action data when it is wider than the 32 bits kept beside the result.
  public static func ternarySRAMBlocks(dataBits: Int, entries: Int, budget: SwitchBudget = .tofino1) -> Int {
    1 + (dataBits > 32 ? actionDataBlocks(dataBits: dataBits, entries: entries, budget: budget) : 0)
  }

  /// SRAM blocks of one register array: ⌈slots·w / (rows·width)⌉ (32 bits × 65 536 → 16).
  public static func registerBlocks(width: Int, slots: Int, budget: SwitchBudget = .tofino1) -> Int {
    ceilDiv(slots * width, budget.sramRows * budget.sramWidth)
  }

  /// Stage estimate: 1 (hash + flow table) + ⌈registers/4⌉ + ⌈feature TCAM blocks/24⌉
  /// + Σ_t ⌈S_t/528⌉ + 1 (vote / class map) + 1 (result writes).
  public static func stages(
    registerCount: Int, featureTCAMBlocks: Int, codewordWidths: [Int], budget: SwitchBudget = .tofino1
  ) -> Int {
    1 + ceilDiv(registerCount, budget.registerActionsPerStage)
      + max(1, ceilDiv(featureTCAMBlocks, budget.tcamBlocksPerStage))
      + codewordWidths.reduce(0) { $0 + max(1, ceilDiv($1, budget.maxTernaryKeyBits)) } + 1 + 1
  }

  /// Stages the Tofino compiler places the generated program in: the chain of dependent steps of
  /// `DuneProgramBuilder`'s ingress, counted as `p4c-barefoot` places them.
  ///
  /// Calibrated on the compiler (`dune p4 compile`, every TNA program of the committed synthetic
  /// and iot-sentinel runs, 68 programs, 2026-12-06) where the §9.3 formula (`stages(registerCount:…)`)
  /// read 3 to 5 low: 7 stages for any model (hash and flow table, flow-state claim, code tables,
  /// class cache, path flags, header writes, forwarding), 3 more when a feature has its own register
  /// (register update, feature value, the feature tables after it) — else 1 more for four or more
  /// feature tables, which the compiler spreads over two stages — 1 for the timestamp difference
  /// of time features, 1 for the vote. Chapter 06 reports its error against the compiler per switch.
  public static func compilerStages(
    featureRegisters: Int, timeFeatures: Bool, featureTables: Int, voting: Bool, featureTCAMBlocks: Int = 0,
    codeTCAMBlocks: Int = 0, budget: SwitchBudget = .tofino1
  ) -> Int {
    // Beyond the measured range (≤ 22 TCAM blocks): feature or code tables that need more TCAM
    // than one stage holds spill into further stages.
    let spill =
      max(0, ceilDiv(featureTCAMBlocks, budget.tcamBlocksPerStage) - 1)
      + max(0, ceilDiv(codeTCAMBlocks, budget.tcamBlocksPerStage) - 1)
    return 7 + (featureRegisters > 0 ? 3 : (featureTables >= 4 ? 1 : 0)) + (timeFeatures ? 1 : 0) + (voting ? 1 : 0)
      + spill
  }

  /// The fewest stages `compilerStages` gives a model of `trees` trees: a lower bound that lets a
  /// search skip candidates before compiling them.
  public static func minimumStages(trees: Int) -> Int { 7 + (trees > 1 ? 1 : 0) }

  /// SRAM blocks the Tofino compiler gives an exact-match table: the entries' key and data bits
  /// over the blocks' capacity, in at least 4 and a multiple of 4 blocks (one per cuckoo way; measured: the flow table
  /// 56, a 21-entry vote table 4, `path_to_port` 4).
  public static func exactWayBlocks(keyBits: Int, dataBits: Int, entries: Int, budget: SwitchBudget = .tofino1) -> Int {
    4 * max(1, ceilDiv(ceilDiv(entries * (keyBits + dataBits), budget.sramRows * budget.sramWidth), 4))
  }

  /// TCAM input bits of a multi-field ternary key: every field starts on a byte of the match
  /// crossbar, so a codeword kept as one field per feature costs whole bytes per field.
  public static func crossbarBits(fieldWidths: [Int]) -> Int {
    fieldWidths.reduce(0) { $0 + 8 * ceilDiv($1, 8) }
  }

  /// Blocks the compiler adds beside the model's tables: `path_to_port` (exact, 1 024 entries, in
  /// 4 blocks) and the action data of `port_to_path` (1 block).
  public static let forwardingSRAMBlocks = 5

  /// Estimates one compiled sub-model and checks it against `budget`.
  public static func estimate(_ m: CompiledSubModel, budget: SwitchBudget = .tofino1) -> ResourceEstimate {
    var tables: [TableResource] = []
    for ft in m.featureTables {
      let r = ft.rows.count
      tables.append(
        TableResource(
          name: "feature_\(ft.featureIndex)", kind: .range, entries: r, keyBits: ft.keyWidth,
          actionDataBits: ft.actionDataWidth, logicalBits: r * ft.keyWidth * 2,
          tcamBlocks: rangeBlocks(keyBits: ft.keyWidth, entries: r, budget: budget),
          sramBlocks: ternarySRAMBlocks(dataBits: ft.actionDataWidth, entries: r, budget: budget)))
    }
    // The crossbar takes whole bytes per codeword field.
    let codeKeyBits = m.codeTables.map { crossbarBits(fieldWidths: $0.layout.map(\.width).filter { $0 > 0 }) }
    for (ct, keyBits) in zip(m.codeTables, codeKeyBits) {
      let l = ct.entries.count
      tables.append(
        TableResource(
          name: "code_\(ct.tree)", kind: .ternary, entries: l, keyBits: ct.codewordWidth, actionDataBits: ct.classWidth,
          logicalBits: l * ct.codewordWidth * 2,
          tcamBlocks: ternaryBlocks(keyBits: keyBits, entries: l, budget: budget),
          sramBlocks: ternarySRAMBlocks(dataBits: ct.classWidth, entries: l, budget: budget)))
    }
    if let v = m.votingTable {
      let key = v.classWidth * v.treeCount
      tables.append(
        TableResource(
          name: "vote", kind: .exact, entries: v.entries.count, keyBits: key, actionDataBits: 8,
          logicalBits: v.entries.count * (key + 8), tcamBlocks: 0,
          sramBlocks: exactWayBlocks(keyBits: key, dataBits: 8, entries: v.entries.count, budget: budget)))
    }
    tables.append(
      TableResource(
        name: "flow_class", kind: .exact, entries: budget.flowTableEntries, keyBits: 104, actionDataBits: 8,
        logicalBits: budget.flowTableEntries * 112, tcamBlocks: 0,
        sramBlocks: exactWayBlocks(keyBits: 104, dataBits: 8, entries: budget.flowTableEntries, budget: budget)))
    for reg in m.registers {
      tables.append(
        TableResource(
          name: reg.name, kind: .register, entries: budget.registerSlots, keyBits: 0, actionDataBits: reg.width,
          logicalBits: budget.registerSlots * reg.width, tcamBlocks: 0,
          // The compiler gives every register array one block more than its cells fill.
          sramBlocks: registerBlocks(width: reg.width, slots: budget.registerSlots, budget: budget) + 1))
    }
    let maxLeaves = m.codeTables.map { $0.entries.count }.max() ?? 0
    let usedBits = m.featureTables.map(\.keyWidth)
    let refBlocks = ReferenceTCAMModel.blocks(trees: m.treeCount, maxLeaves: maxLeaves, featureBits: usedBits)
    let tcam = tables.reduce(0) { $0 + $1.tcamBlocks }
    let sram = tables.reduce(0) { $0 + $1.sramBlocks } + forwardingSRAMBlocks
    let stageCount = compilerStages(
      featureRegisters: m.registers.filter { $0.feature != nil }.count,
      timeFeatures: m.registers.contains { $0.name == "last_ts" }, featureTables: m.featureTables.count,
      voting: m.votingTable != nil,
      featureTCAMBlocks: tables.filter { $0.kind == .range }.reduce(0) { $0 + $1.tcamBlocks },
      codeTCAMBlocks: tables.filter { $0.kind == .ternary }.reduce(0) { $0 + $1.tcamBlocks }, budget: budget)
    let widest = codeKeyBits.max() ?? 0
    var estimate = ResourceEstimate(
      name: m.name, tables: tables, referenceTCAMBlocks: refBlocks,
      referenceTCAMShare: Double(refBlocks) / Double(ReferenceTCAMModel.capacity), tcamBlocks: tcam, sramBlocks: sram,
      stages: stageCount, registerBitsPerSlot: m.registers.reduce(0) { $0 + $1.width }, widestTernaryKey: widest,
      fit: .fits)
    estimate.fit = estimate.fit(under: budget)
    return estimate
  }

  /// Per-switch totals of the sub-models placed on one switch (registers and flow table counted
  /// per sub-model: an upper bound when two sub-models share the per-flow state).
  public static func switchTotals(_ estimates: [ResourceEstimate], budget: SwitchBudget = .tofino1) -> FitResult {
    let tcam = estimates.reduce(0) { $0 + $1.tcamBlocks }
    let sram = estimates.reduce(0) { $0 + $1.sramBlocks }
    let st = estimates.reduce(0) { $0 + $1.stages }
    var v: [BudgetViolation] = []
    if tcam > budget.tcamBlocks {
      v.append(BudgetViolation(resource: "TCAM blocks", needed: tcam, available: budget.tcamBlocks))
    }
    if sram > budget.sramBlocks {
      v.append(BudgetViolation(resource: "SRAM blocks", needed: sram, available: budget.sramBlocks))
    }
    if st > budget.stages { v.append(BudgetViolation(resource: "stages", needed: st, available: budget.stages)) }
    return v.isEmpty ? .fits : .exceeds(v)
  }
}
