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
    }

    /// Index of the first entry matching the key words at `key` (per key, `words[k]` words, keys
    /// concatenated), or nil.
    func first(_ key: UnsafePointer<UInt64>) -> Int? {
      data.withUnsafeBufferPointer { buf -> Int? in
        guard let d = buf.baseAddress else { return nil }
        // The DUNE tables have one key: a range over one word (feature tables) or a ternary
        // match over a codeword of a few words (code tables).
        if kinds.count == 1 {
          let n = words[0]
          if kinds[0] == .range && n == 1 {
            let x = key[0]
            var p = 0
            for e in 0..<count {
              if x >= d[p] && x <= d[p + 1] { return e }
              p += 2
            }
            return nil
          }
          if kinds[0] == .ternary {
            var p = 0
            outer: for e in 0..<count {
              for i in 0..<n where key[i] & d[p + n + i] != d[p + i] {
                p += 2 * n
                continue outer
              }
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
          var geLo = true, leHi = true
          var decidedLo = false, decidedHi = false
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
      var s = keys.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash($0.baseAddress.map { $0 + e * n }, n)) } & mask
      while slots[s] != 0 { s = (s + 1) & mask }
      slots[s] = Int32(e + 1)
    }
  }
}
