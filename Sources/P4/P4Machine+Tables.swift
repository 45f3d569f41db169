/// Lookup structures of the machine's tables, built when entries are inserted so a lookup neither
/// hashes strings nor allocates.
extension P4Machine {
  /// Ternary/range entries as flat word arrays: per entry and key, `words` words of value (or lo)
  /// followed by `words` words of mask (or hi), in lookup order (priority ascending, then insertion
  /// order) — the first matching entry is bmv2's winner.
  struct FlatTable: Sendable {
    var kinds: [P4MatchKind]
    var words: [Int]
    var stride: Int
    var data: [UInt64] = []
    var count = 0

    init(_ t: P4Table) {
      kinds = t.keys.map(\.match)
      words = t.keys.map { max(1, ($0.width + 63) / 64) }
      stride = words.reduce(0) { $0 + 2 * $1 }
    }

    /// Total key words of one lookup (the layout `first` expects).
    var keyWords: Int { words.reduce(0, +) }

    mutating func rebuild(_ entries: [P4Entry]) {
      data = []
      data.reserveCapacity(entries.count * stride)
      for e in entries {
        for (k, m) in e.keys.enumerated() {
          let (a, b): (P4Value, P4Value)
          switch m {
          case .exact(let v): (a, b) = (v, v)
          case .ternary(let v, let mask): (a, b) = (v, mask)
          case .range(let lo, let hi): (a, b) = (lo, hi)
          }
          for i in 0..<words[k] { data.append(i < a.words.count ? a.words[i] : 0) }
          for i in 0..<words[k] { data.append(i < b.words.count ? b.words[i] : 0) }
        }
      }
      count = entries.count
      index()
    }

    /// Index of the first entry matching the key words at `key` (per key, `words[k]` words, keys
    /// concatenated), or nil.
    func first(_ key: UnsafePointer<UInt64>) -> Int? {
      if !bounds.isEmpty {
        // One range key of one word: the elementary interval holding the key.
        let x = key[0]
        var lo = 0
        var hi = bounds.count - 1
        while lo < hi {
          let mid = (lo + hi + 1) >> 1
          if bounds[mid] <= x { lo = mid } else { hi = mid - 1 }
        }
        let w = winners[lo]
        return w < 0 ? nil : Int(w)
      }
      return data.withUnsafeBufferPointer { buf -> Int? in
        guard let d = buf.baseAddress else { return nil }
        if !tree.isEmpty {
          // One ternary key: descend the bit tree, then the first match among the leaf's entries.
          let n = words[0]
          var t = 0
          while true {
            let node = tree[t]
            if node.bit >= 0 {
              t = (key[node.bit >> 6] >> UInt64(node.bit & 63)) & 1 == 0 ? node.zero : node.one
              continue
            }
            outer: for i in node.zero..<node.one {
              let e = Int(leaves[i])
              let p = e * 2 * n
              for j in 0..<n where key[j] & d[p + n + j] != d[p + j] { continue outer }
              return e
            }
            return nil
          }
        }
        var o = 0
        for e in 0..<count {
          if matches(d + o, key) { return e }
          o += stride
        }
        return nil
      }
    }

    // MARK: Indexes of single-key tables (same first match as the linear scan)

    /// Range tables: the starts of the elementary intervals between all bounds, and per interval
    /// the first entry (in lookup order) covering it, or -1.
    private var bounds: [UInt64] = []
    private var winners: [Int32] = []
    /// Ternary tables: a tree splitting on key bits the entries care about. An inner node sends
    /// the key to `zero`/`one`; a leaf (`bit` = -1) lists, in lookup order, every entry that can
    /// match a key reaching it: `leaves[zero..<one]`.
    private var tree: [(bit: Int, zero: Int, one: Int)] = []
    private var leaves: [Int32] = []

    private mutating func index() {
      bounds = []
      winners = []
      tree = []
      leaves = []
      guard kinds.count == 1, count > 0 else { return }
      if kinds[0] == .range && words[0] == 1 {
        indexRanges()
      } else if kinds[0] == .ternary {
        var all = (0..<count).map { Int32($0) }
        var budget = 16 * count + 4096
        var counts = Counts(bits: 64 * words[0])
        _ = split(&all, depth: 0, budget: &budget, &counts)
      }
    }

    private mutating func indexRanges() {
      var points: Set<UInt64> = [0]
      for e in 0..<count {
        let (lo, hi) = (data[2 * e], data[2 * e + 1])
        guard lo <= hi else { continue }
        points.insert(lo)
        if hi < .max { points.insert(hi + 1) }
      }
      let starts = points.sorted()
      var win = [Int32](repeating: -1, count: starts.count)
      // next[i]: the first interval ≥ i not yet won (path-compressed), so each is painted once.
      var next = Array(0...starts.count)
      func find(_ i: Int) -> Int {
        var r = i
        while next[r] != r { r = next[r] }
        var j = i
        while next[j] != r {
          let n = next[j]
          next[j] = r
          j = n
        }
        return r
      }
      func position(_ v: UInt64) -> Int {
        var lo = 0
        var hi = starts.count
        while lo < hi {
          let mid = (lo + hi) >> 1
          if starts[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
      }
      for e in 0..<count {
        let (lo, hi) = (data[2 * e], data[2 * e + 1])
        guard lo <= hi else { continue }
        let end = hi == .max ? starts.count : position(hi + 1)
        var i = find(position(lo))
        while i < end {
          win[i] = Int32(e)
          next[i] = i + 1
          i = find(i + 1)
        }
      }
      bounds = starts
      winners = win
    }

    /// Per key bit: how many entries of a list care about it and how many of those want a 1;
    /// `touched` lists the bits to score and to clear again.
    private struct Counts {
      var cared: [Int]
      var set: [Int]
      var touched: [Int] = []
      init(bits: Int) {
        cared = [Int](repeating: 0, count: bits)
        set = cared
      }
    }

    /// Builds the node for `list` (entry numbers in lookup order); returns its index.
    private mutating func split(_ list: inout [Int32], depth: Int, budget: inout Int, _ counts: inout Counts) -> Int {
      let n = words[0]
      let me = tree.count
      tree.append((-1, 0, 0))
      var best = -1
      var bestScore = 0
      if list.count > 8 && depth < 48 && budget > 0 {
        // The bit is chosen on an evenly spread sample of the list (any bit keeps the tree
        // exact; the sample keeps building cheap for big tables, and spread — lists are in
        // lookup order, neighbours share a subtree — keeps it balanced).
        let step = max(1, list.count / 64)
        for at in Swift.stride(from: 0, to: list.count, by: step) {
          let p = Int(list[at]) * 2 * n
          for j in 0..<n {
            var m = data[p + n + j]
            while m != 0 {
              let b = m.trailingZeroBitCount
              m &= m - 1
              let bit = 64 * j + b
              if counts.cared[bit] == 0 { counts.touched.append(bit) }
              counts.cared[bit] += 1
              if (data[p + j] >> UInt64(b)) & 1 == 1 { counts.set[bit] += 1 }
            }
          }
        }
        for b in counts.touched {
          let score = min(counts.set[b], counts.cared[b] - counts.set[b])
          // Lowest bit among equal scores: one tree for one entry list.
          if score > bestScore || (score == bestScore && score > 0 && b < best) {
            (best, bestScore) = (b, score)
          }
          counts.cared[b] = 0
          counts.set[b] = 0
        }
        counts.touched.removeAll(keepingCapacity: true)
      }
      guard best >= 0 else { return leaf(me, list) }
      var zeroList: [Int32] = []
      var oneList: [Int32] = []
      for e in list {
        let p = Int(e) * 2 * n
        let j = best >> 6
        let bit = UInt64(best & 63)
        if (data[p + n + j] >> bit) & 1 == 0 {
          zeroList.append(e)
          oneList.append(e)
        } else if (data[p + j] >> bit) & 1 == 0 {
          zeroList.append(e)
        } else {
          oneList.append(e)
        }
      }
      // No progress when one side keeps every entry (the rest do not care about the bit).
      guard zeroList.count < list.count, oneList.count < list.count else { return leaf(me, list) }
      budget -= zeroList.count + oneList.count - list.count
      list = []
      let z = split(&zeroList, depth: depth + 1, budget: &budget, &counts)
      let o = split(&oneList, depth: depth + 1, budget: &budget, &counts)
      tree[me] = (best, z, o)
      return me
    }

    private mutating func leaf(_ me: Int, _ list: [Int32]) -> Int {
      tree[me] = (-1, leaves.count, leaves.count + list.count)
      leaves += list
      return me
    }

    /// The general multi-key match of one entry at `d`.
    private func matches(_ d: UnsafePointer<UInt64>, _ key: UnsafePointer<UInt64>) -> Bool {
      var p = 0
      var q = 0
      for k in 0..<kinds.count {
        let n = words[k]
        switch kinds[k] {
        case .ternary:
          for i in 0..<n where key[q + i] & d[p + n + i] != d[p + i] { return false }
        case .range:
          // Multi-word compare, most significant word first.
          var geLo = true
          var leHi = true
          var decidedLo = false
          var decidedHi = false
          for i in (0..<n).reversed() {
            let x = key[q + i]
            if !decidedLo && x != d[p + i] {
              geLo = x > d[p + i]
              decidedLo = true
            }
            if !decidedHi && x != d[p + n + i] {
              leHi = x < d[p + n + i]
              decidedHi = true
            }
          }
          if !(geLo && leHi) { return false }
        case .exact:
          for i in 0..<n where key[q + i] != d[p + i] { return false }
        }
        p += 2 * n
        q += n
      }
      return true
    }
  }

  /// Exact-only tables: the first entry of every key tuple, in an open-addressing hash table over
  /// flat key words (no array per key, no string).
  struct ExactIndex: Sendable {
    /// Words per key tuple (one per key: the value when it fits in 64 bits, else 0).
    let n: Int
    private var keys: [UInt64] = []
    private(set) var values: [Int] = []
    /// Entry number + 1 per slot (0 = empty); a power-of-two count.
    private var slots: [Int32] = [Int32](repeating: 0, count: 16)

    init(keys: Int) { n = keys }

    private static func hash(_ k: UnsafePointer<UInt64>?, _ n: Int) -> UInt64 {
      var h: UInt64 = 0x9E37_79B9_7F4A_7C15
      for i in 0..<n {
        h = (h ^ k![i]) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
      }
      return h ^ (h >> 32)
    }

    /// The value stored for the key tuple at `k`, or nil.
    func find(_ k: UnsafePointer<UInt64>) -> Int? {
      let mask = slots.count - 1
      var s = Int(truncatingIfNeeded: Self.hash(k, n)) & mask
      return keys.withUnsafeBufferPointer { kb -> Int? in
        slots.withUnsafeBufferPointer { sb -> Int? in
          while true {
            let e = Int(sb[s])
            if e == 0 { return nil }
            let base = (e - 1) * n
            var same = true
            for i in 0..<n where kb[base + i] != k[i] {
              same = false
              break
            }
            if same { return values[e - 1] }
            s = (s + 1) & mask
          }
        }
      }
    }

    /// Stores `value` for `key` unless the tuple is already present (the first entry wins).
    mutating func insertIfAbsent(_ key: [UInt64], _ value: Int) {
      guard key.count == n else { return }
      if n == 0 {
        if !values.isEmpty { return }
      } else if key.withUnsafeBufferPointer({ find($0.baseAddress!) }) != nil {
        return
      }
      keys += key
      values.append(value)
      if values.count * 2 > slots.count {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for e in values.indices { place(e) }
      } else {
        place(values.count - 1)
      }
    }

    private mutating func place(_ e: Int) {
      let mask = slots.count - 1
      var s =
        keys.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash($0.baseAddress.map { $0 + e * n }, n)) } & mask
      while slots[s] != 0 { s = (s + 1) & mask }
      slots[s] = Int32(e + 1)
    }
  }
}
