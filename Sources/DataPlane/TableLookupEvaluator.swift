/// Classifies samples by table lookups only, exactly as a switch evaluates the compiled entries.
///
/// encode (shared `FeatureEncoding`) → range feature tables (inclusive bounds) → per-tree codewords
/// → ternary code tables (`(codeword & mask) == value`; entries share one priority, first match)
/// → exact voting table or its default action (`data-plane.md` §10.1). No tree is traversed.
/// Tables are flattened into contiguous arrays for speed; the evaluator keeps scratch buffers, so
/// it is a value used from one thread at a time.
public struct TableLookupEvaluator: Sendable {
  public let compiled: CompiledSubModel

  // Feature tables: table t has rows rowBase[t] ..< rowBase[t + 1].
  private let tableFeature: [Int]
  private let tableMax: [Int64]
  private let rowBase: [Int]
  /// Row upper bounds (ascending per table); rows partition [0, MAX_f].
  private let rowHigh: [Int64]
  /// Row r ORs ops opBase[r] ..< opBase[r + 1] into the codewords: (flat word index, bits).
  private let opBase: [Int]
  private let opWord: [Int]
  private let opBits: [UInt64]
  // Code tables: tree t has `words[t]` codeword words at codewordBase[t], entries entryBase[t] ..<
  // entryBase[t + 1], masks/values with a stride of words[t] starting at maskBase[t].
  private let words: [Int]
  private let codewordBase: [Int]
  private let entryBase: [Int]
  private let maskBase: [Int]
  private let entryMask: [UInt64]
  private let entryValue: [UInt64]
  private let entryClass: [Int]
  private let entryLeaf: [Int]
  // Voting: a dense table over (K + 1)^T tuples when small (−1 = no entry), else a dictionary.
  private let voteRadix: Int
  private let voteDense: [Int16]
  private let voteSparse: [UInt64: Int]
  private let voteDefault: VoteDefault
  private var codeword: [UInt64]
  private var treeClass: [Int]

  public init(_ compiled: CompiledSubModel) {
    self.compiled = compiled
    words = compiled.codeTables.map { max(1, ($0.codewordWidth + 63) / 64) }
    var cwBase: [Int] = []
    var acc = 0
    for w in words {
      cwBase.append(acc)
      acc += w
    }
    codewordBase = cwBase
    codeword = [UInt64](repeating: 0, count: acc)
    treeClass = [Int](repeating: 0, count: compiled.codeTables.count)
    tableFeature = compiled.featureTables.map(\.featureIndex)
    tableMax = compiled.featureTables.map { compiled.features[$0.featureIndex].maxValue }
    var rb: [Int] = [0]
    var highs: [Int64] = []
    var ob: [Int] = [0]
    var ow: [Int] = []
    var obits: [UInt64] = []
    for table in compiled.featureTables {
      for row in table.rows {
        highs.append(row.high)
        for (j, slice) in table.slices.enumerated() {
          var shifted = BitString(width: compiled.codeTables[slice.tree].codewordWidth)
          shifted.insert(row.codes[j], atLSB: slice.lsb)
          for (w, bits) in shifted.words.enumerated() where bits != 0 {
            ow.append(cwBase[slice.tree] + w)
            obits.append(bits)
          }
        }
        ob.append(ow.count)
      }
      rb.append(highs.count)
    }
    rowBase = rb
    rowHigh = highs
    opBase = ob
    opWord = ow
    opBits = obits
    var eb: [Int] = [0]
    var mb: [Int] = []
    var masks: [UInt64] = []
    var values: [UInt64] = []
    var cls: [Int] = []
    var leaves: [Int] = []
    for (t, ct) in compiled.codeTables.enumerated() {
      mb.append(masks.count)
      for e in ct.entries {
        masks += Self.padded(e.mask.words, words[t])
        values += Self.padded(e.value.words, words[t])
        cls.append(e.localClass)
        leaves.append(e.leaf)
      }
      eb.append(cls.count)
    }
    entryBase = eb
    maskBase = mb
    entryMask = masks
    entryValue = values
    entryClass = cls
    entryLeaf = leaves
    var dense: [Int16] = []
    var sparse: [UInt64: Int] = [:]
    var radix = 0
    if let v = compiled.votingTable {
      radix = v.labelCount + 1
      var size = 1
      for _ in 0..<v.treeCount where size <= 1 << 20 { size *= radix }
      if size <= 1 << 20 {
        dense = [Int16](repeating: -1, count: size)
        for e in v.entries { dense[e.votes.reduce(0) { $0 * radix + $1 }] = Int16(e.result) }
      } else {
        precondition(v.treeCount <= 8, "the evaluator packs at most 8 votes into a key")
        for e in v.entries { sparse[Self.pack(e.votes)] = e.result }
      }
      voteDefault = v.defaultAction
    } else {
      voteDefault = .constant(0)
    }
    voteRadix = radix
    voteDense = dense
    voteSparse = sparse
  }

  private static func padded(_ w: [UInt64], _ n: Int) -> [UInt64] {
    Array(w.prefix(n)) + [UInt64](repeating: 0, count: max(0, n - w.count))
  }

  private static func pack(_ v: [Int]) -> UInt64 {
    var k: UInt64 = 0
    for c in v { k = (k << 8) | UInt64(c & 0xff) }
    return k
  }

  /// Encoded keys of a training-representation sample (−1 = unavailable), in model feature order.
  public func encode(_ x: (Int) -> Double) -> [Int64] {
    compiled.features.indices.map { compiled.features[$0].encode(x($0)) }
  }

  /// The final local class (1..K; 0 = unknown) for encoded keys in model feature order.
  /// Keys outside [0, MAX_f] are clamped like a saturated metadata field.
  public mutating func localClass(keys: UnsafeBufferPointer<Int64>) -> Int {
    var none: [Int]? = nil
    lookupTrees(keys, leavesOut: &none)
    return vote()
  }

  /// `localClass(keys:)` for an array.
  public mutating func localClass(keys: [Int64]) -> Int {
    keys.withUnsafeBufferPointer { localClass(keys: $0) }
  }

  /// Full lookup trace: per-tree matched leaf (−1 when no entry matched), per-tree class, final class.
  public mutating func trace(keys: [Int64]) -> (leaves: [Int], treeClasses: [Int], local: Int) {
    var leaves: [Int]? = []
    keys.withUnsafeBufferPointer { lookupTrees($0, leavesOut: &leaves) }
    let local = vote()
    return (leaves ?? [], treeClass, local)
  }

  private mutating func lookupTrees(_ keys: UnsafeBufferPointer<Int64>, leavesOut: inout [Int]?) {
    codeword.withUnsafeMutableBufferPointer { cw in
      for i in 0..<cw.count { cw[i] = 0 }
      rowHigh.withUnsafeBufferPointer { highs in
        for t in 0..<tableFeature.count {
          var key = keys[tableFeature[t]]
          if key < 0 { key = 0 }
          if key > tableMax[t] { key = tableMax[t] }
          // Binary search: first row whose upper bound ≥ key.
          var lo = rowBase[t]
          var hi = rowBase[t + 1] - 1
          while lo < hi {
            let mid = (lo + hi) >> 1
            if highs[mid] >= key { hi = mid } else { lo = mid + 1 }
          }
          for o in opBase[lo]..<opBase[lo + 1] { cw[opWord[o]] |= opBits[o] }
        }
      }
    }
    entryMask.withUnsafeBufferPointer { masks in
      entryValue.withUnsafeBufferPointer { values in
        for t in 0..<words.count {
          let w = words[t]
          let base = codewordBase[t]
          let first = entryBase[t]
          let end = entryBase[t + 1]
          var m = maskBase[t]
          var hit = -1
          if w == 1 {
            let c = codeword[base]
            for e in first..<end {
              if c & masks[m] == values[m] {
                hit = e
                break
              }
              m += 1
            }
          } else {
            outer: for e in first..<end {
              for i in 0..<w where codeword[base + i] & masks[m + i] != values[m + i] {
                m += w
                continue outer
              }
              hit = e
              break
            }
          }
          treeClass[t] = hit >= 0 ? entryClass[hit] : 0
          leavesOut?.append(hit >= 0 ? entryLeaf[hit] : -1)
        }
      }
    }
  }

  private func vote() -> Int {
    if treeClass.count == 1 { return treeClass[0] }
    var result = -1
    if !voteDense.isEmpty {
      var k = 0
      for c in treeClass {
        // A tree class outside 0..K cannot match any entry (the dense index would alias).
        if c < 0 || c >= voteRadix { return voteDefaultResult() }
        k = k * voteRadix + c
      }
      result = Int(voteDense[k])
    } else {
      var k: UInt64 = 0
      for c in treeClass { k = (k << 8) | UInt64(c & 0xff) }
      result = voteSparse[k] ?? -1
    }
    return result >= 0 ? result : voteDefaultResult()
  }

  private func voteDefaultResult() -> Int {
    switch voteDefault {
    case .constant(let c): return c
    case .copyTree(let t): return treeClass[t]
    }
  }
}
