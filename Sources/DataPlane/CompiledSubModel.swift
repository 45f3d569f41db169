/// The complete match-action intermediate representation of one sub-model (`data-plane.md` §2).
///
/// Produced by `TableCompiler`, consumed by the table-lookup evaluator, the chain emulator, the
/// resource model and the P4 emitters. Everything an emitter needs is here: key widths, per-tree
/// code slices and their codeword positions, ternary value/mask pairs, voting entries, class-ID
/// mapping, inference point and register needs. Pipeline order on the switch:
///
/// ```
/// featureTables (range, one per used feature) → codeword per tree
/// → codeTables (ternary, one per tree) → per-tree local class
/// → votingTable (exact, T > 1) → local class → classMap → global class
/// ```
///
/// Conventions: node ids are those of the `DecisionTree`; bit positions count from the least
/// significant bit (LSB = 0); every `BitString` prints most significant bit first.
public struct CompiledSubModel: Codable, Sendable, Equatable {
  /// Human-readable name (e.g. the model file stem).
  public var name: String
  /// Chain position k (1-based; `MODEL_ID` in the header). 1 for a monolithic model.
  public var modelID: Int
  /// Inference point N_k: the packet index at which flow-level features are used.
  public var inferencePoint: Int
  /// The encoding of every model feature, in model feature order (index = tree feature index).
  public var features: [FeatureEncoding]
  /// One range table per feature used by at least one split, in model feature order.
  public var featureTables: [FeatureTable]
  /// One ternary code table per tree, in tree order.
  public var codeTables: [CodeTable]
  /// The voting table (exact on the T per-tree classes); `nil` when T = 1.
  public var votingTable: VotingTable?
  /// Local → global class mapping with the chain offset.
  public var classMap: ClassMap
  /// Per-flow registers this sub-model needs on its switch (§3.2).
  public var registers: [RegisterSpec]
  /// Model features a switch cannot compute (division: means); the tables still compile, but the
  /// emulator refuses the model and the P4 emitter must too.
  public var nonComputableFeatures: [String]

  public init(
    name: String, modelID: Int, inferencePoint: Int, features: [FeatureEncoding], featureTables: [FeatureTable],
    codeTables: [CodeTable], votingTable: VotingTable?, classMap: ClassMap, registers: [RegisterSpec],
    nonComputableFeatures: [String]
  ) {
    self.name = name
    self.modelID = modelID
    self.inferencePoint = inferencePoint
    self.features = features
    self.featureTables = featureTables
    self.codeTables = codeTables
    self.votingTable = votingTable
    self.classMap = classMap
    self.registers = registers
    self.nonComputableFeatures = nonComputableFeatures
  }

  /// Number of trees T.
  public var treeCount: Int { codeTables.count }
  /// Total leaves whose region became empty after integer conversion/quantisation (never match).
  public var unreachableLeafCount: Int { codeTables.reduce(0) { $0 + $1.unreachableLeaves.count } }
  /// Whether any used feature is flow-level (then per-flow feature registers are needed).
  public var usesFlowFeatures: Bool { featureTables.contains { features[$0.featureIndex].kind == .flowLevel } }
}

/// Where a split landed after integer conversion.
public enum SplitPlacement: String, Codable, Sendable, Equatable {
  /// 0 ≤ k ≤ MAX_f − 1: the feature table has a range boundary after k.
  case inDomain
  /// k ≥ MAX_f: every key value goes left; the bit is 0 in every row.
  case constantLeft
  /// k < 0: every key value goes right; the bit is 1 in every row.
  case constantRight
}

/// One split of one tree on one feature, with its real and compiled thresholds.
public struct CompiledSplit: Codable, Sendable, Equatable {
  /// Node id in the tree.
  public var node: Int
  /// The trained threshold θ (`x ≤ θ` goes left).
  public var threshold: Double
  /// The compiled integer threshold k (left iff key ≤ k).
  public var k: Int64
  public var placement: SplitPlacement
}

/// The slice of one tree's codeword written by one feature table (`data-plane.md` §2.3–2.4).
///
/// The action of the feature table has one parameter per slice (`code_t`, `width` bits). Bit
/// `width − 1 − j` of the slice (MSB first) is split `splits[j]`; splits are in ascending k, ties
/// by node id. In the tree's codeword the slice occupies bits `[lsb, lsb + width)`.
public struct CodeSlice: Codable, Sendable, Equatable {
  public var tree: Int
  public var featureIndex: Int
  public var width: Int
  /// Position of the slice's least significant bit inside the tree's codeword.
  public var lsb: Int
  public var splits: [CompiledSplit]
}

/// A range feature table: rows partition [0, MAX_f]; each row writes one code per slice.
public struct FeatureTable: Codable, Sendable, Equatable {
  /// Index into the model's feature list.
  public var featureIndex: Int
  public var featureName: String
  /// Key width w_f in bits (after quantisation).
  public var keyWidth: Int
  /// One slice per tree that splits on this feature, in tree order (= action parameters `code_t`).
  public var slices: [CodeSlice]
  /// Rows in ascending key order; `rows[i].codes[j]` is the code for `slices[j]`.
  public var rows: [RangeRow]

  /// True when the table has a single full-domain row (only constant splits): an emitter installs
  /// the row's codes as the default action instead of a don't-care range entry (§8.2).
  public var isConstant: Bool { rows.count == 1 }
  /// Total action-data bits per entry: Σ_t s_{t,f}.
  public var actionDataWidth: Int { slices.reduce(0) { $0 + $1.width } }
}

/// One row of a feature table: inclusive key range and the code of every slice.
public struct RangeRow: Codable, Sendable, Equatable {
  public var low: Int64
  public var high: Int64
  public var codes: [BitString]
}

/// A ternary code table of one tree: one entry per leaf (`data-plane.md` §2.5).
public struct CodeTable: Codable, Sendable, Equatable {
  public var tree: Int
  /// Codeword width S_t (number of split nodes). The key is the whole codeword.
  public var codewordWidth: Int
  /// Codeword layout: the slices of this tree, most significant first (model feature order).
  public var layout: [CodeSlice]
  /// One entry per leaf, in leaf node-id order. All entries share one priority (paths are disjoint).
  public var entries: [CodeEntry]
  /// Leaf node ids whose region is empty after integer conversion (their entries never match).
  public var unreachableLeaves: [Int]
  /// Width of the class action parameter (8).
  public var classWidth: Int
}

/// One ternary entry of a code table: `(codeword & mask) == value` → `set_class_t(localClass)`.
public struct CodeEntry: Codable, Sendable, Equatable {
  public var leaf: Int
  public var value: BitString
  public var mask: BitString
  /// Local class id: argmax of the leaf distribution + 1 (1..K; 0 is "no hit").
  public var localClass: Int
  /// Leaf purity in percent (Flowrest's `cert`), the hook for a confidence gate (§2.7).
  public var certPercent: Int
  /// False when the leaf's region is empty after integer conversion.
  public var reachable: Bool
}

/// How the voting table resolves tuples without a unique plurality winner (`data-plane.md` §2.6).
public enum VoteTieRule: String, Codable, Sendable, Equatable, CaseIterable {
  /// Local `Other` (pass downstream; 0 = unknown for a model without `Other`). DUNE-bmv2 choice.
  case other
  /// The lowest local class among the tied ones (requires entries for tie tuples).
  case lowestClass
  /// Tree 0's class (a default action copying `class_0`).
  case treeZero
}

/// What the voting table does when no entry matches.
///
/// JSON: `{"kind": "constant", "class": 4}` or `{"kind": "copyTree", "tree": 0}`.
public enum VoteDefault: Sendable, Equatable {
  /// Write a constant local class (0 = unknown).
  case constant(Int)
  /// Copy tree `t`'s class.
  case copyTree(Int)
}

extension VoteDefault: Codable {
  private enum CodingKeys: String, CodingKey { case kind, `class`, tree }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    switch try c.decode(String.self, forKey: .kind) {
    case "constant": self = .constant(try c.decode(Int.self, forKey: .class))
    case "copyTree": self = .copyTree(try c.decode(Int.self, forKey: .tree))
    default:
      throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "expected constant or copyTree")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .constant(let v):
      try c.encode("constant", forKey: .kind)
      try c.encode(v, forKey: .class)
    case .copyTree(let t):
      try c.encode("copyTree", forKey: .kind)
      try c.encode(t, forKey: .tree)
    }
  }
}

/// Which tuples the voting table enumerates.
public enum VoteEnumeration: String, Codable, Sendable, Equatable {
  /// Every tuple with a unique plurality winner (plus tie tuples for `lowestClass`).
  case plurality
  /// Strict-majority tuples only (more than T/2 equal votes): the fallback beyond the budget.
  case strictMajority
}

/// The exact voting table on the T per-tree local classes.
public struct VotingTable: Codable, Sendable, Equatable {
  public var treeCount: Int
  /// Width of each per-tree class key (8 bits).
  public var classWidth: Int
  /// K = number of local labels (own classes + Other if present); tree votes lie in 1..K.
  public var labelCount: Int
  public var tieRule: VoteTieRule
  public var enumeration: VoteEnumeration
  /// Entries sorted by key (lexicographic on the vote tuple).
  public var entries: [VoteEntry]
  public var defaultAction: VoteDefault
  /// True when the table reproduces hard voting with `tieRule` on every tuple; false after the
  /// strict-majority fallback (plurality-but-not-majority tuples then take the default action).
  public var exact: Bool
}

/// One voting entry: per-tree classes → final local class.
public struct VoteEntry: Codable, Sendable, Equatable {
  public var votes: [Int]
  public var result: Int
}

/// Local ↔ global class ids of a sub-model in a chain (`data-plane.md` §2.7).
public struct ClassMap: Codable, Sendable, Equatable {
  /// The sub-model's own classes in local order (local id = index + 1), `Other` excluded.
  public var ownClasses: [String]
  /// Whether the model's last class is `Other` (local id ownClasses.count + 1).
  public var hasOther: Bool
  /// offset_k = Σ_{j<k} C_j over the sub-models before this one.
  public var offset: Int

  public init(ownClasses: [String], hasOther: Bool, offset: Int) {
    self.ownClasses = ownClasses
    self.hasOther = hasOther
    self.offset = offset
  }

  /// Local id of `Other`, if any.
  public var localOther: Int? { hasOther ? ownClasses.count + 1 : nil }
  /// Number of local labels K (own classes + Other).
  public var labelCount: Int { ownClasses.count + (hasOther ? 1 : 0) }

  /// Global id of a local id: own classes → offset + local; Other, 0 and anything else → 0.
  @inlinable public func global(_ local: Int) -> Int {
    local >= 1 && local <= ownClasses.count ? offset + local : 0
  }
}

/// One per-flow register array a sub-model needs (`data-plane.md` §3.2).
public struct RegisterSpec: Codable, Sendable, Equatable {
  /// P4 name (e.g. `pkt_count`, `reg_max_packet_length`).
  public var name: String
  /// Cell width in bits.
  public var width: Int
  /// The feature it accumulates, if any.
  public var feature: String?
}
