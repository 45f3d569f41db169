import DUNESupport
import Traffic

/// Settings of the chain emulator.
public struct ChainEmulatorConfig: Codable, Sendable, Equatable {
  /// Register array length (slots) per switch; the slot is CRC16(flow) mod `slots`.
  public var slots: Int
  /// The controller polls every this many packets and acts on the digests received since its last
  /// poll (flow entries on every switch, registers at the slot zeroed):
  /// `ChainProtocol.controllerActionIndex`.
  public var controllerPeriodPackets: Int
  /// Keep the per-packet outcome arrays in the result.
  public var recordPackets: Bool
  /// Keep, per switch and flow, the feature values the switch used at packet N (tests).
  public var recordFeaturesAtN: Bool
  /// Optional age-based eviction (not in the reference, `data-plane.md` §3.3): a packet that finds
  /// its slot held by another flow idle for more than this many ns re-initialises the slot for its
  /// own flow instead of colliding (needs a per-slot last-seen timestamp register). nil = off.
  public var evictionTimeoutNs: Int64?
  /// When switches announce their flow-level decisions. `.chainMaximum` is the protocol the generated
  /// programs implement; `.inferencePoint` announces at each switch's own N, which lets a flow change
  /// class along a chain whose inference points decrease — kept only to measure what the fix costs.
  public var decisionRule: DecisionRule

  /// When a switch announces its flow-level decision.
  public enum DecisionRule: String, Codable, Sendable {
    /// At the largest inference point up to and including the switch (`ChainProtocol.decisionPoints`).
    case chainMaximum
    /// At the switch's own inference point (not deployable: a flow can change class).
    case inferencePoint
  }

  public init(
    slots: Int = 65_536, controllerPeriodPackets: Int = 64, recordPackets: Bool = true,
    recordFeaturesAtN: Bool = false,
    evictionTimeoutNs: Int64? = nil, decisionRule: DecisionRule = .chainMaximum
  ) {
    self.slots = slots
    self.controllerPeriodPackets = controllerPeriodPackets
    self.recordPackets = recordPackets
    self.recordFeaturesAtN = recordFeaturesAtN
    self.evictionTimeoutNs = evictionTimeoutNs
    self.decisionRule = decisionRule
  }
}

/// Counters of one switch after a replay.
public struct SwitchStats: Codable, Sendable, Equatable {
  public var name: String
  public var modelID: Int
  public var inferencePoint: Int
  /// Packet index at which the switch announces its flow-level decision (`ChainProtocol`).
  public var decisionPoint: Int
  /// Packets on which the sub-model ran (table lookups).
  public var packetsInferred: Int = 0
  /// Local results by type: packet level (count < N or collision), flow level (count ≥ N).
  public var packetLevelResults: Int = 0
  public var flowLevelResults: Int = 0
  public var collisionPackets: Int = 0
  public var collisionFlows: Int = 0
  public var digests: Int = 0
  public var flowEntryHits: Int = 0
  /// Slots taken over from an idle flow (only with `evictionTimeoutNs`).
  public var evictions: Int = 0
  /// Slots still marked used after the replay (flows that never reached N or ended in `Other`).
  public var occupiedSlotsAtEnd: Int = 0
}

/// Aggregated result of one replay.
public struct ChainReport: Codable, Sendable, Equatable {
  public var packets: Int
  public var flows: Int
  public var scoredPackets: Int
  public var scoredFlows: Int
  public var unlabelledPackets: Int
  /// Packets leaving the last switch with class 0 (unknown).
  public var unknownPackets: Int
  /// Strict metrics: unknown counted as an error.
  public var strict: FlowPacketScores
  /// Reference-style metrics (B4): packets with unknown class excluded.
  public var excludingUnknown: FlowPacketScores
  /// Share of scored packets whose final result is packet level.
  public var packetLevelShare: Double
  /// Packets / flows that saw a collision on at least one switch.
  public var collisionPackets: Int
  public var collisionFlows: Int
  public var controllerActions: Int
  public var switches: [SwitchStats]
  /// Global class names, id 1 first.
  public var classNames: [String]
}

/// Per-packet outcome arrays (replay order) and the report.
public struct ChainRun: Sendable {
  public var report: ChainReport
  /// Final global class id per packet (0 = unknown).
  public var packetClass: [UInt8]
  /// Final header flags per packet (`DuneHeader` bits).
  public var packetFlags: [UInt8]
  /// With `recordFeaturesAtN`: per switch, per flow, the model's feature values at packet N in the
  /// training representation (quantised, un-encoded; unused features 0); nil if N was not reached
  /// without collision.
  public var featuresAtN: [[[Double]?]]
}

/// One sub-model placed on a switch of the chain.
public struct ChainStage: Sendable {
  public var compiled: CompiledSubModel
  public init(_ compiled: CompiledSubModel) { self.compiled = compiled }
}

/// Replays captures through an ordered chain of switches with bmv2 semantics (`data-plane.md`
/// §3–§6, §10.4): CRC16 slot / CRC32 identity registers, stateful features (first packet
/// initialises), packet-level results before N, the flow-level class computed at N and cached, announced
/// (flow-level type, digest) from the switch's decision point on (`ChainProtocol.decisionPoints`), the
/// shim header with first-decision-wins, `Other` passing on, digests and a controller that installs the
/// flow's class on every switch and frees the slot at its next poll. Flows are what a switch sees: the
/// plain 5-tuple of the merged traffic (`Replay.keyOfFlow`). Protocol: §5.3 (recommended) with the
/// decision point; the DUNE-bmv2 typing variant is not implemented.
public struct ChainEmulator: Sendable {
  public let stages: [ChainStage]
  public let config: ChainEmulatorConfig
  let plans: [SwitchFeaturePlan]
  /// Per switch: the packet index at which it announces its flow-level decision.
  public let decisionPoints: [Int]

  /// Checks the chain: model ids 1..n in order, offsets consistent, features computable.
  public init(stages: [ChainStage], config: ChainEmulatorConfig = ChainEmulatorConfig()) throws {
    guard !stages.isEmpty else { throw UsageError("the chain has no sub-model") }
    guard config.slots >= 1 && config.slots <= 1 << 24 else { throw UsageError("slots must be in 1...2^24") }
    guard config.controllerPeriodPackets >= 1 else { throw UsageError("controller period must be ≥ 1 packet") }
    var offset = 0
    var plans: [SwitchFeaturePlan] = []
    for (i, s) in stages.enumerated() {
      let c = s.compiled
      guard c.modelID == i + 1 else {
        throw UsageError("sub-model \(c.name): model id \(c.modelID), chain position \(i + 1)")
      }
      guard c.classMap.offset == offset else {
        throw UsageError("sub-model \(c.name): class offset \(c.classMap.offset), expected \(offset)")
      }
      guard c.inferencePoint >= 1 && c.inferencePoint <= 255 else { throw UsageError("N must be in 1...255") }
      offset += c.classMap.ownClasses.count
      plans.append(try SwitchFeaturePlan(features: c.features, used: Set(c.featureTables.map(\.featureIndex))))
    }
    guard offset <= 255 else { throw UsageError("more than 255 global classes") }
    self.stages = stages
    self.config = config
    self.plans = plans
    let ns = stages.map(\.compiled.inferencePoint)
    decisionPoints = config.decisionRule == .chainMaximum ? ChainProtocol.decisionPoints(inferencePoints: ns) : ns
  }

  /// Global class names of the chain (id 1 first).
  public var classNames: [String] { stages.flatMap { $0.compiled.classMap.ownClasses } }

  /// Replays `replay` and scores the final classes.
  public func run(_ replay: Replay) -> ChainRun {
    var switches = stages.indices.map {
      SwitchRuntime(
        stage: stages[$0], decisionPoint: decisionPoints[$0], plan: plans[$0], slots: config.slots,
        flows: replay.flowCount, flowKeys: replay.keyCount, recordFeatures: config.recordFeaturesAtN,
        evictionTimeoutNs: config.evictionTimeoutNs)
    }
    let n = replay.packets.count
    var outClass = [UInt8](repeating: 0, count: n)
    var outFlags = [UInt8](repeating: 0, count: n)
    var pending: [(due: Int, key: Int, slot: Int, cls: UInt8)] = []
    var pendingHead = 0
    var controllerActions = 0
    var flowCollided = [Bool](repeating: false, count: replay.flowCount)
    let period = config.controllerPeriodPackets
    let progress = ProgressReporting.counter("chain emulation", total: n, unit: "packets")
    defer { progress.finish() }
    replay.packets.withUnsafeBufferPointer { packets in
      for i in 0..<n {
        if i & 0xFFFF == 0xFFFF { progress.advance(by: 0x10000) }
        while pendingHead < pending.count && pending[pendingHead].due <= i {
          let a = pending[pendingHead]
          pendingHead += 1
          controllerActions += 1
          for s in switches.indices {
            if switches[s].flowEntry[a.key] == 0 { switches[s].flowEntry[a.key] = a.cls }
            switches[s].clear(slot: a.slot)
          }
        }
        let f = Int(replay.flowOfPacket[i])
        let key = Int(replay.keyOfFlow[f])
        let slot = Int(replay.flowCRC16[f]) % config.slots
        let id = replay.flowCRC32[f]
        var h = DuneHeader()
        for k in switches.indices {
          if let digest = switches[k].process(
            packet: packets[i], flow: f, key: key, slot: slot, identity: id, position: k, header: &h)
          {
            pending.append((ChainProtocol.controllerActionIndex(digestAt: i, period: period), key, slot, digest))
          }
        }
        if h.sawCollision { flowCollided[f] = true }
        outClass[i] = h.classID
        outFlags[i] = h.flags
      }
    }
    for s in switches.indices {
      switches[s].stats.occupiedSlotsAtEnd = switches[s].used.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    let report = score(
      replay: replay, classes: outClass, flags: outFlags, stats: switches.map(\.stats),
      controllerActions: controllerActions,
      flowCollided: flowCollided)
    return ChainRun(
      report: report, packetClass: config.recordPackets ? outClass : [],
      packetFlags: config.recordPackets ? outFlags : [],
      featuresAtN: switches.map(\.featuresAtN))
  }

  /// Scores final classes: strict and unknown-excluded, FL (1/L) and PL (1) weights.
  func score(
    replay: Replay, classes: [UInt8], flags: [UInt8], stats: [SwitchStats], controllerActions: Int, flowCollided: [Bool]
  ) -> ChainReport {
    let names = classNames
    var idOf: [String: Int] = [:]
    for (i, c) in names.enumerated() where idOf[c] == nil { idOf[c] = i + 1 }
    // Labels outside the chain's classes get ids after the chain's (always errors).
    var extra = Set<String>()
    for l in replay.flowLabel { if let l, idOf[l] == nil { extra.insert(l) } }
    var nameOf: [Int: String] = [:]
    for (c, i) in idOf { nameOf[i] = c }
    for (j, l) in extra.sorted().enumerated() {
      idOf[l] = names.count + 1 + j
      nameOf[names.count + 1 + j] = l
    }
    let trueOfFlow = replay.flowLabel.map { $0.map { idOf[$0]! } ?? -1 }
    var truth: [Int] = []
    var pred: [Int] = []
    var wFL: [Double] = []
    truth.reserveCapacity(classes.count)
    pred.reserveCapacity(classes.count)
    wFL.reserveCapacity(classes.count)
    var unknown = 0
    var unlabelled = 0
    var plCount = 0
    var collisionPackets = 0
    var flowScored = [Bool](repeating: false, count: replay.flowCount)
    for i in classes.indices {
      let f = Int(replay.flowOfPacket[i])
      if flags[i] & DuneHeader.collision != 0 { collisionPackets += 1 }
      let t = trueOfFlow[f]
      guard t >= 0 else {
        unlabelled += 1
        continue
      }
      flowScored[f] = true
      truth.append(t)
      pred.append(Int(classes[i]))
      wFL.append(1 / Double(replay.flowLength[f]))
      if classes[i] == 0 { unknown += 1 }
      if flags[i] & DuneHeader.flowLevel == 0 { plCount += 1 }
    }
    let scoredFlows = flowScored.reduce(0) { $0 + ($1 ? 1 : 0) }
    let labels = Set(truth).sorted()
    let ones = [Double](repeating: 1, count: truth.count)
    let strict = FlowPacketScores(
      flowLevel: .score(truth: truth, predicted: pred, weights: wFL, labels: labels, names: nameOf),
      packetLevel: .score(truth: truth, predicted: pred, weights: ones, labels: labels, names: nameOf))
    let keep = pred.indices.filter { pred[$0] != 0 }
    let tK = keep.map { truth[$0] }
    let pK = keep.map { pred[$0] }
    let wK = keep.map { wFL[$0] }
    // The reference keeps only packets with a known class and scores the labels left (B4).
    let keptLabels = Set(tK).sorted()
    let excluded = FlowPacketScores(
      flowLevel: .score(truth: tK, predicted: pK, weights: wK, labels: keptLabels, names: nameOf),
      packetLevel: .score(
        truth: tK, predicted: pK, weights: [Double](repeating: 1, count: tK.count), labels: keptLabels, names: nameOf))
    return ChainReport(
      packets: classes.count, flows: replay.flowCount, scoredPackets: truth.count, scoredFlows: scoredFlows,
      unlabelledPackets: unlabelled, unknownPackets: unknown, strict: strict, excludingUnknown: excluded,
      packetLevelShare: truth.isEmpty ? 0 : Double(plCount) / Double(truth.count), collisionPackets: collisionPackets,
      collisionFlows: flowCollided.reduce(0) { $0 + ($1 ? 1 : 0) }, controllerActions: controllerActions,
      switches: stats, classNames: names)
  }
}

/// The mutable state of one switch during a replay: registers, flow-class table, evaluator.
struct SwitchRuntime {
  let compiled: CompiledSubModel
  let plan: SwitchFeaturePlan
  let n: Int
  /// Decision point: flow-level results are announced (type, digest) from this packet on.
  let m: Int
  let classMap: ClassMap
  var evaluator: TableLookupEvaluator
  var keys: [Int64]
  let stride: Int
  // Registers, one cell per slot.
  var used: [Bool]
  var flowID: [UInt32]
  var count: [UInt8]
  var classCache: [UInt8]
  var lastTs: [Int64]
  var regs: [Int64]
  /// Flow-class table (exact on the switch's flow key, the 5-tuple; 0 = no entry), filled by the controller.
  var flowEntry: [UInt8]
  var collidedFlow: [Bool]
  var stats: SwitchStats
  // Per model feature, flattened from the encodings (no String copies on the hot path).
  let keyMax: [Int64]
  let keyDelta: [Int64]
  let sourceCap: [Int64]
  let keyShift: [Int64]
  let recordFeatures: Bool
  var featuresAtN: [[Double]?]
  let evictionTimeoutNs: Int64?
  /// Last time a packet of the occupying flow touched the slot (eviction only).
  var lastSeen: [Int64]

  init(
    stage: ChainStage, decisionPoint: Int, plan: SwitchFeaturePlan, slots: Int, flows: Int, flowKeys: Int,
    recordFeatures: Bool, evictionTimeoutNs: Int64? = nil
  ) {
    self.recordFeatures = recordFeatures
    self.evictionTimeoutNs = evictionTimeoutNs
    lastSeen = evictionTimeoutNs != nil ? [Int64](repeating: 0, count: slots) : []
    featuresAtN = recordFeatures ? [[Double]?](repeating: nil, count: flows) : []
    compiled = stage.compiled
    self.plan = plan
    n = compiled.inferencePoint
    m = decisionPoint
    classMap = compiled.classMap
    evaluator = TableLookupEvaluator(compiled)
    keys = [Int64](repeating: 0, count: compiled.features.count)
    stride = plan.stateful.count
    used = [Bool](repeating: false, count: slots)
    flowID = [UInt32](repeating: 0, count: slots)
    count = [UInt8](repeating: 0, count: slots)
    classCache = [UInt8](repeating: 0, count: slots)
    lastTs = plan.usesTime ? [Int64](repeating: 0, count: slots) : []
    regs = [Int64](repeating: 0, count: slots * stride)
    flowEntry = [UInt8](repeating: 0, count: flowKeys)
    collidedFlow = [Bool](repeating: false, count: flows)
    stats = SwitchStats(
      name: compiled.name, modelID: compiled.modelID, inferencePoint: compiled.inferencePoint,
      decisionPoint: decisionPoint)
    keyMax = compiled.features.map(\.maxValue)
    keyDelta = compiled.features.map(\.delta)
    sourceCap = compiled.features.map { (Int64(1) << Int64($0.sourceWidth)) - 1 }
    keyShift = compiled.features.map { Int64($0.quantisationShift) }
  }

  /// The controller's register reset at `slot`.
  mutating func clear(slot: Int) {
    used[slot] = false
    flowID[slot] = 0
    count[slot] = 0
    classCache[slot] = 0
    if !lastTs.isEmpty { lastTs[slot] = 0 }
    if !lastSeen.isEmpty { lastSeen[slot] = 0 }
    for j in 0..<stride { regs[slot * stride + j] = 0 }
  }

  /// Processes one packet of scoring flow `f` (switch flow key `key`) at chain position `position`
  /// (0-based); returns a digest class if one is sent.
  mutating func process(
    packet p: Packet, flow f: Int, key: Int, slot: Int, identity: UInt32, position: Int, header h: inout DuneHeader
  ) -> UInt8? {
    // 1. Flow entry installed by the controller.
    let entry = flowEntry[key]
    if entry != 0 {
      stats.flowEntryHits += 1
      if h.classID == 0 {
        h.classID = entry
        h.flags |= DuneHeader.flowLevel | DuneHeader.decidedFlowLevel
      }
      return nil
    }
    // 2. Turn check.
    guard Int(h.modelID) == position else { return nil }
    h.modelID = UInt8(position + 1)
    // 3. Decided at flow level upstream.
    if h.flags & DuneHeader.decidedFlowLevel != 0 && h.classID != 0 { return nil }
    // 4. State update.
    var collision = false
    var c = 0
    if let timeout = evictionTimeoutNs, used[slot], flowID[slot] != identity, p.timestampNs - lastSeen[slot] > timeout {
      clear(slot: slot)
      stats.evictions += 1
    }
    if !lastSeen.isEmpty && (!used[slot] || flowID[slot] == identity) { lastSeen[slot] = p.timestampNs }
    if !used[slot] {
      used[slot] = true
      flowID[slot] = identity
      count[slot] = 1
      c = 1
      for (j, s) in plan.stateful.enumerated() { regs[slot * stride + j] = s.initial(p) }
      if plan.usesTime { lastTs[slot] = p.timestampNs }
    } else if flowID[slot] == identity {
      c = Int(count[slot]) + 1
      if c > 255 { c = 255 }
      count[slot] = UInt8(c)
      if c <= n {
        var iat: Int64 = 0
        if plan.usesTime {
          iat = p.timestampNs - lastTs[slot]
          if iat < 0 { iat = 0 }
          if iat > 0xFFFF_FFFF { iat = 0xFFFF_FFFF }
          lastTs[slot] = p.timestampNs
        }
        for (j, s) in plan.stateful.enumerated() {
          regs[slot * stride + j] = s.update(regs[slot * stride + j], p, index: c, iat: iat)
        }
      }
    } else {
      collision = true
      stats.collisionPackets += 1
      if !collidedFlow[f] {
        collidedFlow[f] = true
        stats.collisionFlows += 1
      }
    }
    // 5. Local result (§4): the flow-level class is computed at N and cached; it is announced —
    // flow-level type, digest — from the decision point m ≥ N on, and typed packet level before.
    // The count passes m exactly once per slot occupancy (it only grows, saturating at 255 > m),
    // so the digest needs no "notified" register.
    var local = 0
    var flowLevel = false
    var digest: UInt8? = nil
    if !collision && c > n {
      local = Int(classCache[slot])
      flowLevel = c >= m
    } else {
      let available = !collision && c == n
      fillKeys(p, slot: slot, count: c, available: available)
      local = evaluator.localClass(keys: keys)
      stats.packetsInferred += 1
      flowLevel = available && n == m
      if available {
        if recordFeatures { featuresAtN[f] = rawFeatures(p, slot: slot, count: c) }
        classCache[slot] = UInt8(local)
      }
    }
    if !collision && c == m {
      let g = classMap.global(local)
      if g != 0 {
        stats.digests += 1
        digest = UInt8(g)
      }
    }
    if flowLevel { stats.flowLevelResults += 1 } else { stats.packetLevelResults += 1 }
    let global = UInt8(classMap.global(local))
    // 6. Header update: the first decision along the path wins.
    if h.classID == 0 {
      h.classID = global
      h.flags =
        (h.flags & DuneHeader.collision) | (flowLevel ? DuneHeader.flowLevel : 0)
        | (flowLevel && global != 0 ? DuneHeader.decidedFlowLevel : 0)
      h.pktCount = UInt8(c)
    }
    if collision { h.flags |= DuneHeader.collision }
    return digest
  }

  /// Feature keys as the switch builds them: header fields always, flow features only at N.
  /// Same rule as `FeatureEncoding.encodeAvailable(quantise(v))`, on the flattened arrays.
  mutating func fillKeys(_ p: Packet, slot: Int, count c: Int, available: Bool) {
    for i in plan.sources.indices {
      var v: Int64
      switch plan.sources[i] {
      case .packetField(let field): v = field.value(p)
      case .register(let j):
        guard available else {
          keys[i] = 0
          continue
        }
        v = regs[slot * stride + j]
      case .packetCount:
        guard available else {
          keys[i] = 0
          continue
        }
        v = Int64(c)
      case .unused:
        keys[i] = 0
        continue
      }
      if v > sourceCap[i] { v = sourceCap[i] }
      v = (v >> keyShift[i]) + keyDelta[i]
      keys[i] = v > keyMax[i] ? keyMax[i] : v
    }
  }

  /// The feature values at N in the training representation (quantised, not encoded).
  func rawFeatures(_ p: Packet, slot: Int, count c: Int) -> [Double] {
    plan.sources.indices.map { i -> Double in
      switch plan.sources[i] {
      case .packetField(let field): return Double(field.value(p))
      case .register(let j): return Double(compiled.features[i].quantise(regs[slot * stride + j]))
      case .packetCount: return Double(c)
      case .unused: return 0
      }
    }
  }
}
