/// Sorts `(code << 32 | payload)` keys by their code: the per-node sort of the split search.
///
/// LSD radix sort (stable) on the bytes of `code − lowestCode` actually used, so a node whose codes
/// span fewer than 256 values needs one pass; insertion sort for tiny ranges. Codes are dense ranks,
/// so the pass count is small.
enum RadixSort {
  static func sort(
    _ keys: UnsafeMutablePointer<UInt64>, temp: UnsafeMutablePointer<UInt64>, count m: Int, lowestCode: UInt32 = 0,
    highestCode: UInt32
  ) {
    if m < 64 {
      insertion(keys, m)
      return
    }
    var passes = 0
    var c = highestCode - lowestCode
    while c > 0 {
      passes += 1
      c >>= 8
    }
    let lo = UInt64(lowestCode)
    var src = keys
    var dst = temp
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { hb in
      let h = hb.baseAddress!
      for p in 0..<passes {
        let shift = UInt64(8 * p)
        h.update(repeating: 0, count: 256)
        for i in 0..<m { h[Int(((src[i] >> 32) - lo) >> shift & 0xFF)] += 1 }
        var sum = 0
        for b in 0..<256 {
          let x = h[b]
          h[b] = sum
          sum += x
        }
        for i in 0..<m {
          let key = src[i]
          let b = Int(((key >> 32) - lo) >> shift & 0xFF)
          dst[h[b]] = key
          h[b] += 1
        }
        swap(&src, &dst)
      }
    }
    if src != keys { keys.update(from: src, count: m) }
  }

  static func insertion(_ keys: UnsafeMutablePointer<UInt64>, _ m: Int) {
    guard m > 1 else { return }
    for i in 1..<m {
      let x = keys[i]
      let code = x >> 32
      var j = i - 1
      while j >= 0 && keys[j] >> 32 > code {
        keys[j + 1] = keys[j]
        j -= 1
      }
      keys[j + 1] = x
    }
  }
}
