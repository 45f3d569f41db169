import DUNESupport
import DataPlane

/// The interpreter of the compiled program: statements, table applies, registers, hashes and
/// expressions over the flat state, with the tree interpreter's semantics (values truncated to
/// their widths, comparisons numeric across widths, arithmetic at the left operand's width).
extension P4Machine {
  mutating func exec(block b: Int, args: Int) throws {
    let r = code.blocks[b]
    for k in r { try exec(code.items[k], args: args) }
  }

  private mutating func exec(_ s: Int, args: Int) throws {
    switch code.stmts[s] {
    case .assign(let lv, let e): try assign(lv, e, args: args)
    case .apply(let t): _ = try apply(t)
    case .applyHit(let t, let hit, let miss): try exec(block: try apply(t) ? hit : miss, args: args)
    case .call(let c): try run(call: c)
    case .ifElse(let c, let yes, let no): try exec(block: try isZero(c, args: args) ? no : yes, args: args)
    case .setValid(let h): validFlags[h] = true
    case .setInvalid(let h): validFlags[h] = false
    case .drop: dropped = true
    case .setEgress(let e): egressPort = try fitting(e, args: args)
    case .digest(let d):
      var rec: [String: UInt64] = [:]
      for (i, k) in code.digestSites[d].enumerated() {
        rec[code.digestNames[i]] = try fitting(code.siteExprs[k], args: args) ?? 0
      }
      digests.append(rec)
    case .hash(let h): try hash(h, args: args)
    case .register(let r): try register(r, args: args)
    case .fail(let m): throw UsageError(code.messages[m])
    }
  }

  private mutating func run(call c: Int) throws {
    let call = code.calls[c]
    if call.fail >= 0 { throw UsageError(code.messages[call.fail]) }
    if call.body >= 0 { try exec(block: call.body, args: call.args) }
  }

  /// Applies table `t`; returns whether an entry hit.
  private mutating func apply(_ t: Int) throws -> Bool {
    let base = code.keyScratch
    var q = base
    let exactOnly = tables[t].exactOnly
    for k in tables[t].keys.indices {
      let e = tables[t].keys[k]
      if exactOnly {
        mem[q] = try fitting(e, args: 0) ?? 0
        q += 1
      } else {
        let n = tables[t].keyWords[k]
        if code.wide[e] {
          let o = try evalWide(e, args: 0)
          let m = code.width[e] > 64 ? Code.words(code.width[e]) : 1
          for i in 0..<n { mem[q + i] = i < m ? mem[o + i] : 0 }
        } else {
          mem[q] = try eval(e, args: 0)
          for i in 1..<max(1, n) { mem[q + i] = 0 }
        }
        q += n
      }
    }
    let hit: Int?
    if exactOnly {
      hit = mem.withUnsafeBufferPointer { tables[t].exact.find($0.baseAddress! + base) }
    } else {
      if tables[t].dirty { rebuild(t) }
      hit = mem.withUnsafeBufferPointer { m in tables[t].flat.first(m.baseAddress! + base) }.map { tables[t].calls[$0] }
    }
    if let c = hit {
      try run(call: c)
      return true
    }
    try run(call: tables[t].defaultCall)
    return false
  }

  // MARK: - Assignment

  /// Evaluates node `e` and stores it into `lv`.
  mutating func assign(_ lv: LValue, _ e: Int, args: Int) throws {
    if code.wide[e] {
      let o = try evalWide(e, args: args)
      try store(lv, wideAt: o, words: Code.words(code.width[e]))
    } else {
      try store(lv, try eval(e, args: args))
    }
  }

  /// Stores a value of at most 64 bits (already truncated to its own width).
  private mutating func store(_ lv: LValue, _ v: UInt64) throws {
    switch lv {
    case .narrow(let off, let mask): mem[off] = v & mask
    case .wide(let off, let n, _):
      mem[off] = v
      for i in 1..<n { mem[off + i] = 0 }
    case .slice(let off, let n, let width, let hi, let lo):
      mem.withUnsafeMutableBufferPointer { m in
        Self.deposit(m.baseAddress! + off, n, lo, min(64, hi - lo + 1), v)
        if hi - lo + 1 > 64 {
          // The value's bits above 64 are zero.
          var c = 64
          while c < hi - lo + 1 {
            Self.deposit(m.baseAddress! + off, n, lo + c, min(64, hi - lo + 1 - c), 0)
            c += 64
          }
        }
        Self.truncate(m.baseAddress! + off, n, width)
      }
    case .undeclared(let m): throw UsageError(code.messages[m])
    }
  }

  /// Stores the `words` words at `o` (a wide node's scratch).
  private mutating func store(_ lv: LValue, wideAt o: Int, words ns: Int) throws {
    switch lv {
    case .narrow(let off, let mask): mem[off] = mem[o] & mask
    case .wide(let off, let n, let width):
      for i in 0..<n { mem[off + i] = i < ns ? mem[o + i] : 0 }
      mem.withUnsafeMutableBufferPointer { Self.truncate($0.baseAddress! + off, n, width) }
    case .slice(let off, let n, let width, let hi, let lo):
      let count = hi - lo + 1
      mem.withUnsafeMutableBufferPointer { m in
        let src = UnsafePointer(m.baseAddress! + o)
        var c = 0
        while c < count {
          let k = min(64, count - c)
          Self.deposit(m.baseAddress! + off, n, lo + c, k, Self.bits(src, ns, c, k))
          c += 64
        }
        Self.truncate(m.baseAddress! + off, n, width)
      }
    case .undeclared(let m): throw UsageError(code.messages[m])
    }
  }

  /// `count` (1...64) bits of the `n`-word value at `p` from bit `lo` (zero beyond its words).
  @inline(__always) static func bits(_ p: UnsafePointer<UInt64>, _ n: Int, _ lo: Int, _ count: Int) -> UInt64 {
    let w = lo >> 6
    let s = lo & 63
    guard w < n else { return 0 }
    var v = p[w] >> UInt64(s)
    if s > 0 && w + 1 < n { v |= p[w + 1] << UInt64(64 - s) }
    return Code.mask(count) & v
  }

  /// Writes the low `k` (1...64) bits of `v` at bit `pos` of the `n`-word value at `p` (bits
  /// beyond its words are dropped).
  @inline(__always) static func deposit(_ p: UnsafeMutablePointer<UInt64>, _ n: Int, _ pos: Int, _ k: Int, _ v: UInt64)
  {
    guard k > 0 else { return }
    let m = Code.mask(k)
    let bits = v & m
    let w = pos >> 6
    let s = pos & 63
    guard w < n else { return }
    p[w] = (p[w] & ~(m << UInt64(s))) | (bits << UInt64(s))
    if s > 0 && s + k > 64 && w + 1 < n {
      let hm = m >> UInt64(64 - s)
      p[w + 1] = (p[w + 1] & ~hm) | (bits >> UInt64(64 - s))
    }
  }

  /// Clears the bits at and above `width` of the `n`-word value at `p`.
  @inline(__always) static func truncate(_ p: UnsafeMutablePointer<UInt64>, _ n: Int, _ width: Int) {
    for i in 0..<n {
      let lo = i * 64
      if lo >= width { p[i] = 0 } else if width - lo < 64 { p[i] &= Code.mask(width - lo) }
    }
  }

  // MARK: - Hashes and registers

  private mutating func hash(_ h: Int, args: Int) throws {
    hashBytes.removeAll(keepingCapacity: true)
    var acc: UInt64 = 0
    var pending = 0
    for k in code.hashes[h].inputs {
      let e = code.siteExprs[k]
      let w = code.width[e]
      // Serialised most significant bit first, as the targets feed the field list to the CRC.
      if code.wide[e] {
        let o = try evalWide(e, args: args)
        var top = w
        while top > 0 {
          let k = (top - 1) % 64 + 1
          let word = mem[o + (top - 1) / 64]
          push(word, k, &acc, &pending)
          top -= k
        }
      } else {
        push(try eval(e, args: args), max(0, w), &acc, &pending)
      }
    }
    let site = code.hashes[h]
    if site.fail >= 0 { throw UsageError(code.messages[site.fail]) }
    let value: UInt64 = site.crc32 ? UInt64(CRC.crc32(hashBytes)) : UInt64(CRC.crc16(hashBytes))
    try store(site.output, value & Code.mask(site.width))
  }

  /// Appends the low `w` (0...64) bits of `v`, most significant first, to `hashBytes`.
  @inline(__always) private mutating func push(_ v: UInt64, _ w: Int, _ acc: inout UInt64, _ pending: inout Int) {
    var rem = w
    while rem > 0 {
      let take = min(rem, 8 - pending)
      let bits = (v >> UInt64(rem - take)) & Code.mask(take)
      acc = acc << UInt64(take) | bits
      pending += take
      rem -= take
      if pending == 8 {
        hashBytes.append(UInt8(truncatingIfNeeded: acc))
        acc = 0
        pending = 0
      }
    }
  }

  private mutating func register(_ r: Int, args: Int) throws {
    let site = code.registerSites[r]
    guard hasRegisters else { throw UsageError(code.messages[site.missing]) }
    let info = code.registers[site.register]
    let slot = code.slotField.flatMap { value($0) } ?? 0
    guard slot < UInt64(info.size) else { return }
    let at = registerBase[site.register] + Int(slot)
    let mask = Code.mask(info.width)
    let old = cells[at]
    var new = old
    var out = old
    func v() throws -> UInt64 { (try fitting(site.expr, args: args) ?? 0) & mask }
    switch site.kind {
    case .readThenSet(let c): new = c & mask
    case .read: break
    case .write:
      new = try v()
      out = new
    case .swap: new = try v()
    case .swapDifference:
      new = try v()
      out = (new &- old) & mask
    case .addSaturating:
      let (sum, o) = old.addingReportingOverflow(try v())
      new = o ? mask : min(sum, mask)
      out = new
    case .max:
      new = max(old, try v())
      out = new
    case .min:
      new = min(old, try v())
      out = new
    case .claim(let half):
      let halfMask = Code.mask(half)
      let id = try v() & halfMask
      let count = old & halfMask
      if count == 0 || old >> UInt64(half) == id {
        let next = count == halfMask ? count : count + 1
        new = id << UInt64(half) | next
        out = next
      } else {
        out = 0
      }
    }
    cells[at] = new
    try store(site.output, out)
  }

  // MARK: - Expressions

  /// The value of node `e` when it fits in 64 bits (`P4Value.uint64`).
  mutating func fitting(_ e: Int, args: Int) throws -> UInt64? {
    guard code.wide[e] else { return try eval(e, args: args) }
    let o = try evalWide(e, args: args)
    for i in 1..<Code.words(code.width[e]) where mem[o + i] != 0 { return nil }
    return mem[o]
  }

  /// The low word of node `e`.
  @inline(__always) private mutating func low(_ e: Int, args: Int) throws -> UInt64 {
    code.wide[e] ? mem[try evalWide(e, args: args)] : try eval(e, args: args)
  }

  @inline(__always) private mutating func isZero(_ e: Int, args: Int) throws -> Bool {
    guard code.wide[e] else { return try eval(e, args: args) == 0 }
    let o = try evalWide(e, args: args)
    for i in 0..<Code.words(code.width[e]) where mem[o + i] != 0 { return false }
    return true
  }

  /// Numeric order of two nodes (width-independent).
  private mutating func compare(_ x: Int, _ y: Int, args: Int) throws -> Int {
    if !code.wide[x] && !code.wide[y] {
      let u = try eval(x, args: args)
      let v = try eval(y, args: args)
      return u == v ? 0 : (u < v ? -1 : 1)
    }
    var u: UInt64 = 0
    var v: UInt64 = 0
    var ox = -1
    var oy = -1
    if code.wide[x] { ox = try evalWide(x, args: args) } else { u = try eval(x, args: args) }
    if code.wide[y] { oy = try evalWide(y, args: args) } else { v = try eval(y, args: args) }
    let nx = ox >= 0 ? Code.words(code.width[x]) : 1
    let ny = oy >= 0 ? Code.words(code.width[y]) : 1
    for i in (0..<max(nx, ny)).reversed() {
      let a = i < nx ? (ox >= 0 ? mem[ox + i] : u) : 0
      let b = i < ny ? (oy >= 0 ? mem[oy + i] : v) : 0
      if a != b { return a < b ? -1 : 1 }
    }
    return 0
  }

  /// Evaluates a node of at most 64 bits.
  mutating func eval(_ e: Int, args: Int) throws -> UInt64 {
    switch code.exprs[e] {
    case .field(let off): return mem[off]
    case .param(let off): return code.args[args + off]
    case .constant(let v): return v
    case .ingressPort: return ingressPort & 0x1FF
    case .timestampHigh: return (timestampNs >> 16) & 0xFFFF_FFFF
    case .timestampLow: return timestampNs & 0xFFFF
    case .isValid(let h): return validFlags[h] ? 1 : 0
    case .cast(let c): return try low(c, args: args) & code.mask[e]
    case .slice(let c, let lo):
      if code.wide[c] {
        let o = try evalWide(c, args: args)
        let n = Code.words(code.width[c])
        let w = code.width[e]
        return mem.withUnsafeBufferPointer { Self.bits($0.baseAddress! + o, n, lo, w) }
      }
      let v = try eval(c, args: args)
      return lo >= 64 ? 0 : (v >> UInt64(lo)) & code.mask[e]
    case .not(let c): return try isZero(c, args: args) ? 1 : 0
    case .compare(let op, let x, let y):
      let r = try compare(x, y, args: args)
      switch op {
      case .eq: return r == 0 ? 1 : 0
      case .ne: return r != 0 ? 1 : 0
      case .lt: return r < 0 ? 1 : 0
      case .le: return r <= 0 ? 1 : 0
      case .gt: return r > 0 ? 1 : 0
      case .ge: return r >= 0 ? 1 : 0
      }
    case .logic(let and, let x, let y):
      let a = try !isZero(x, args: args)
      let b = try !isZero(y, args: args)
      return (and ? a && b : a || b) ? 1 : 0
    case .arith(let op, let x, let y, let wider):
      let u = try eval(x, args: args)
      let v: UInt64
      if wider >= 0 {
        guard let f = try fitting(y, args: args) else { throw UsageError(code.messages[wider]) }
        v = f
      } else {
        v = try eval(y, args: args)
      }
      let mask = code.mask[e]
      switch op {
      case .add: return (u &+ v) & mask
      case .sub: return (u &- v) & mask
      case .addSat:
        let (r, o) = u.addingReportingOverflow(v)
        return o || r > mask ? mask : r
      case .and: return u & v & mask
      case .or: return (u | v) & mask
      case .shl: return v >= 64 ? 0 : (u << v) & mask
      case .shr: return v >= 64 ? 0 : (u >> v) & mask
      }
    case .fail(let m, let a, let b, let wider):
      try failing(m, a, b, wider, args: args)
    case .fieldWide, .paramWide, .constantWide, .castWide, .sliceWide:
      preconditionFailure("wide node evaluated as a word")
    }
  }

  private mutating func failing(_ m: Int, _ a: Int, _ b: Int, _ wider: Int, args: Int) throws -> Never {
    if a >= 0 { _ = try fitting(a, args: args) }
    if b >= 0 {
      let f = try fitting(b, args: args)
      if wider >= 0 && f == nil { throw UsageError(code.messages[wider]) }
    }
    throw UsageError(code.messages[m])
  }

  /// Evaluates a node wider than 64 bits into its scratch words; returns their offset in `mem`.
  mutating func evalWide(_ e: Int, args: Int) throws -> Int {
    let s = code.scratch[e]
    let n = Code.words(code.width[e])
    switch code.exprs[e] {
    case .fieldWide(let off, let m):
      for i in 0..<n { mem[s + i] = i < m ? mem[off + i] : 0 }
    case .paramWide(let off, let m):
      for i in 0..<n { mem[s + i] = i < m ? code.args[args + off + i] : 0 }
    case .constantWide(let off, let m):
      for i in 0..<n { mem[s + i] = i < m ? code.pool[off + i] : 0 }
    case .castWide(let c):
      if code.wide[c] {
        let o = try evalWide(c, args: args)
        let m = Code.words(code.width[c])
        for i in 0..<n { mem[s + i] = i < m ? mem[o + i] : 0 }
      } else {
        mem[s] = try eval(c, args: args)
        for i in 1..<n { mem[s + i] = 0 }
      }
      let w = code.width[e]
      mem.withUnsafeMutableBufferPointer { Self.truncate($0.baseAddress! + s, n, w) }
    case .sliceWide(let c, let lo):
      let w = code.width[e]
      if code.wide[c] {
        let o = try evalWide(c, args: args)
        let m = Code.words(code.width[c])
        mem.withUnsafeMutableBufferPointer { p in
          for i in 0..<n { p[s + i] = Self.bits(p.baseAddress! + o, m, lo + 64 * i, min(64, w - 64 * i)) }
        }
      } else {
        var v = try eval(c, args: args)
        for i in 0..<n {
          mem[s + i] = withUnsafePointer(to: &v) { Self.bits($0, 1, lo + 64 * i, min(64, w - 64 * i)) }
        }
      }
    case .fail(let m, let a, let b, let wider):
      try failing(m, a, b, wider, args: args)
    default:
      preconditionFailure("narrow node evaluated as words")
    }
    return s
  }
}
