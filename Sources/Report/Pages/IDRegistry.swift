/// Hands out element ids unique within one page: a repeated base gets `-2`, `-3`, … appended.
struct IDRegistry {
  private var used: Set<String> = []

  mutating func unique(_ base: String) -> String {
    var candidate = base
    var n = 2
    while used.contains(candidate) {
      candidate = "\(base)-\(n)"
      n += 1
    }
    used.insert(candidate)
    return candidate
  }
}
