import DUNESupport

/// Classifies samples by executing a program's inference block against runtime entries — the
/// lookups the switch would do: range feature tables → codeword slices → ternary code tables →
/// voting table → class-ID mapping (`data-plane.md` §10.1).
///
/// It interprets the P4 model itself (table keys, action bodies with their slice writes, default
/// actions, the class-map condition and constants), not the compiled IR, so it checks the program
/// and the entries — typically the entries read back from the emitted bmv2 command file — against
/// the data-plane table-lookup evaluator. Match semantics follow simple_switch: among matching
/// entries the smallest priority wins, ties go to the entry added first.
public struct EntryEvaluator: Sendable {
  public let program: P4Program
  private let machine: P4Machine
  private let treeCount: Int

  public init(program: P4Program, entries: P4EntrySet) {
    self.program = program
    machine = P4Machine(program: program, entries: entries, withRegisters: false)
    treeCount = program.metadata.filter { $0.name.hasPrefix("class") && Int($0.name.dropFirst(5)) != nil }.count
  }

  /// The result of one classification.
  public struct Result: Sendable, Equatable {
    public var local: Int
    public var global: Int
    /// Per-tree local classes (`meta.class<t>`).
    public var trees: [Int]
  }

  /// Classifies one sample given its encoded feature keys (`meta.feature<i>` for model feature i).
  public func classify(features: [Int: UInt64]) throws -> Result {
    var m = machine
    m.resetPacket()
    for (i, v) in features {
      let path = "meta.feature\(i)"
      guard let w = m.widths[path] else { continue }  // features without a table are not keys
      m.state[path] = P4Value(v, width: w)
    }
    try m.run(program.inferenceBlock)
    func int(_ p: String) -> Int { Int(m.state[p]?.uint64 ?? 0) }
    return Result(
      local: int("meta.local_class"), global: int("meta.global_class"), trees: (0..<treeCount).map { int("meta.class\($0)") })
  }
}
