/// Classifies samples by table lookups only, exactly as a switch evaluates the compiled entries.
///
/// encode (shared `FeatureEncoding`) → range feature tables (inclusive bounds) → per-tree codewords
/// → ternary code tables (`(codeword & mask) == value`; entries share one priority, first match)
/// → exact voting table or its default action (`data-plane.md` §10.1). No tree is traversed.
/// The evaluator keeps scratch buffers, so it is a value used from one thread at a time.
public struct TableLookupEvaluator: Sendable {
  public let compiled: CompiledSubModel

  // Feature tables, flattened.
  private let tableFeature: [Int]
  private let tableMax: [Int64]
  /// Per table: row upper bounds (ascending); rows partition [0, MAX_f].
  private let rowHigh: [[Int64]]
  /// Per table, per row: codeword contributions (tree, word, bits) to OR in.
  private let rowOps: [[[(tree: Int, word: Int, bits: UInt64)]]]
  // Code tables, flattened with a stride of `words[t]`.
  private let words: [Int]
  private let codewordBase: [Int]
  private let entryMask: [[UInt64]]
  private let entryValue: [[UInt64]]
  private let entryClass: [[Int]]
  private let entryLeaf: [[Int]]
  // Voting.
  private let votes: [UInt64: Int]
  private let voteDefault: VoteDefault
  private var codeword: [UInt64]
  private var treeClass: [Int]

  public init(_ compiled: CompiledSubModel) {
    self.compiled = compiled
    words = compiled.codeTables.map { max(1, ($0.codewordWidth + 63) / 64) }
    var base: [Int] = []
    var acc = 0
    for w in words {
      base.append(acc)
      acc += w
    }
    codewordBase = base
    codeword = [UInt64](repeating: 0, count: acc)
    treeClass = [Int](repeating: 0, count: compiled.codeTables.count)
    tableFeature = compiled.featureTables.map(\.featureIndex)
    tableMax = compiled.featureTables.map { compiled.features[$0.featureIndex].maxValue }
    rowHigh = compiled.featureTables.map { $0.rows.map(\.high) }
    rowOps = compiled.featureTables.map { table in
      table.rows.map { row in
        var ops: [(tree: Int, word: Int, bits: UInt64)] = []
        for (j, slice) in table.slices.enumerated() {
          var shifted = BitString(width: compiled.codeTables[slice.tree].codewordWidth)
          shifted.insert(row.codes[j], atLSB: slice.lsb)
          for (w, bits) in shifted.words.enumerated() where bits != 0 { ops.append((slice.tree, w, bits)) }
        }
        return ops
      }
    }
    entryMask = compiled.codeTables.map { ct in ct.entries.flatMap { Self.padded($0.mask.words, ct.codewordWidth) } }
    entryValue = compiled.codeTables.map { ct in ct.entries.flatMap { Self.padded($0.value.words, ct.codewordWidth) } }
    entryClass = compiled.codeTables.map { $0.entries.map(\.localClass) }
    entryLeaf = compiled.codeTables.map { $0.entries.map(\.leaf) }
    var table: [UInt64: Int] = [:]
    if let v = compiled.votingTable {
      precondition(v.treeCount <= 8, "the evaluator packs at most 8 votes into a key")
      for e in v.entries { table[Self.pack(e.votes)] = e.result }
      voteDefault = v.defaultAction
    } else {
      voteDefault = .constant(0)
    }
    votes = table
  }

  private static func padded(_ w: [UInt64], _ width: Int) -> [UInt64] {
    let n = max(1, (width + 63) / 64)
    return Array(w.prefix(n)) + [UInt64](repeating: 0, count: max(0, n - w.count))
  }

  @inline(__always) private static func pack(_ v: [Int]) -> UInt64 {
    var k: UInt64 = 0
    for c in v { k = (k << 8) | UInt64(c & 0xff) }
    return k
  }

  /// Encoded keys of a training-representation sample (−1 = unavailable), in model feature order.
  public func encode(_ x: (Int) -> Double) -> [Int64] {
    compiled.features.indices.map { compiled.features[$0].encode(x($0)) }
  }

  /// The final local class (1..K; 0 = unknown) for encoded keys in model feature order.
  /// Keys above MAX_f are clamped like a saturated metadata field.
  public mutating func localClass(keys: UnsafeBufferPointer<Int64>) -> Int {
    lookupTrees(keys)
    return vote()
  }

  /// `localClass(keys:)` for an array.
  public mutating func localClass(keys: [Int64]) -> Int {
    keys.withUnsafeBufferPointer { localClass(keys: $0) }
  }

  /// Full lookup trace: per-tree matched leaf (−1 when no entry matched), per-tree class, final class.
  public mutating func trace(keys: [Int64]) -> (leaves: [Int], treeClasses: [Int], local: Int) {
    var leaves: [Int] = []
    keys.withUnsafeBufferPointer { lookupTrees($0, leaves: &leaves) }
    let local = vote()
    return (leaves, treeClass, local)
  }

  private mutating func lookupTrees(_ keys: UnsafeBufferPointer<Int64>) {
    var none: [Int]? = nil
    lookupTrees(keys, leavesOut: &none)
  }

  private mutating func lookupTrees(_ keys: UnsafeBufferPointer<Int64>, leaves: inout [Int]) {
    var out: [Int]? = []
    lookupTrees(keys, leavesOut: &out)
    leaves = out ?? []
  }

  private mutating func lookupTrees(_ keys: UnsafeBufferPointer<Int64>, leavesOut: inout [Int]?) {
    for i in codeword.indices { codeword[i] = 0 }
    for t in tableFeature.indices {
      var key = keys[tableFeature[t]]
      if key < 0 { key = 0 }
      if key > tableMax[t] { key = tableMax[t] }
      // Binary search: first row whose upper bound ≥ key.
      let highs = rowHigh[t]
      var lo = 0, hi = highs.count - 1
      while lo < hi {
        let mid = (lo + hi) >> 1
        if highs[mid] >= key { hi = mid } else { lo = mid + 1 }
      }
      for op in rowOps[t][lo] { codeword[codewordBase[op.tree] + op.word] |= op.bits }
    }
    for t in words.indices {
      let w = words[t], base = codewordBase[t]
      let masks = entryMask[t], values = entryValue[t]
      var hit = -1
      var e = 0
      let n = entryClass[t].count
      if w == 1 {
        let cw = codeword[base]
        while e < n {
          if cw & masks[e] == values[e] {
            hit = e
            break
          }
          e += 1
        }
      } else {
        outer: while e < n {
          for i in 0..<w where codeword[base + i] & masks[e * w + i] != values[e * w + i] {
            e += 1
            continue outer
          }
          hit = e
          break
        }
      }
      treeClass[t] = hit >= 0 ? entryClass[t][hit] : 0
      leavesOut?.append(hit >= 0 ? entryLeaf[t][hit] : -1)
    }
  }

  private func vote() -> Int {
    if treeClass.count == 1 { return treeClass[0] }
    var k: UInt64 = 0
    for c in treeClass { k = (k << 8) | UInt64(c & 0xff) }
    if let r = votes[k] { return r }
    switch voteDefault {
    case .constant(let c): return c
    case .copyTree(let t): return treeClass[t]
    }
  }
}
