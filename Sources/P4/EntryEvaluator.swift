import DUNESupport

/// Classifies samples by executing a program's inference block against runtime entries — the
/// lookups the switch would do: range feature tables → codeword slices → ternary code tables →
/// voting table, whose actions hand out global class ids (`data-plane.md` §10.1).
///
/// It interprets the P4 model itself (table keys, action bodies with their slice writes, default
/// actions, the class-map condition and constants), not the compiled IR, so it checks the program
/// and the entries — typically the entries read back from the emitted bmv2 command file — against
/// the data-plane table-lookup evaluator. Match semantics follow simple_switch: among matching
/// entries the smallest priority wins, ties go to the entry added first.
public struct EntryEvaluator: Sendable {
  public let program: P4Program
  private let machine: P4Machine
  /// `meta.feature<i>` by model feature index i (nil: the feature has no table, so no key).
  private let featureFields: [P4Machine.FieldRef?]
  private let global: P4Machine.FieldRef?
  /// `meta.class<t>` for t below the number of `class<n>` metadata fields.
  private let treeFields: [P4Machine.FieldRef?]

  public init(program: P4Program, entries: P4EntrySet) {
    self.program = program
    let m = P4Machine(program: program, entries: entries, withRegisters: false)
    machine = m
    let treeCount = program.metadata.filter { $0.name.hasPrefix("class") && Int($0.name.dropFirst(5)) != nil }.count
    treeFields = (0..<treeCount).map { m.field("meta.class\($0)") }
    global = m.field("meta.global_class")
    var features: [Int: P4Machine.FieldRef] = [:]
    for f in program.metadata where f.name.hasPrefix("feature") {
      if let i = Int(f.name.dropFirst(7)), i >= 0, "feature\(i)" == f.name { features[i] = m.field("meta." + f.name) }
    }
    featureFields = (0..<((features.keys.max() ?? -1) + 1)).map { features[$0] }
  }

  /// The result of one classification.
  public struct Result: Sendable, Equatable {
    /// The final class: global id, 0 for `Other` and "no hit".
    public var global: Int
    /// Per-tree local classes (`meta.class<t>`).
    public var trees: [Int]
  }

  /// Classifies one sample given its encoded feature keys (`meta.feature<i>` for model feature i).
  public func classify(features: [Int: UInt64]) throws -> Result {
    var m = machine
    return try classify(features.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, on: &m)
  }

  /// Classifies every row of encoded keys (`rows[r][i]`: the key of model feature i), in order.
  ///
  /// The same as `classify(features:)` per row, with one working machine for all of them: the
  /// inference block changes nothing but per-packet state, which `resetPacket` clears.
  public func classifyAll(_ rows: [[Int64]]) throws -> [Result] {
    var m = machine
    var out: [Result] = []
    out.reserveCapacity(rows.count)
    for row in rows {
      out.append(try classify(row.enumerated().map { ($0.offset, UInt64($0.element)) }, on: &m))
    }
    return out
  }

  private func classify(_ features: [(Int, UInt64)], on m: inout P4Machine) throws -> Result {
    m.resetPacket()
    for (i, v) in features where i >= 0 && i < featureFields.count {
      // Features without a table are not keys.
      if let f = featureFields[i] { m.set(f, v) }
    }
    try m.runInference()
    func int(_ f: P4Machine.FieldRef?) -> Int { Int(f.flatMap { m.value($0) } ?? 0) }
    return Result(global: int(global), trees: treeFields.map(int))
  }
}
