import DUNESupport
import DataPlane
import Testing
import Traffic

@testable import P4

/// The compiled `P4Machine` against the tree interpreter it replaced (`TreeP4Machine`): random
/// programs mixing wide codewords (130 and 200 bits) with narrow fields, slices and slice
/// assignments, casts up and down, wrapping and saturating arithmetic, shifts, comparisons across
/// widths, arguments narrower or wider than their declared parameters, hashes, registers, tables of
/// every match kind and the interpreter's error messages — every field, flag, register, digest
/// and error must be the same after every packet.
@Suite struct CompiledMachineTests {
  /// A seeded random program over a fixed set of declarations.
  struct Generator {
    var rng: SplitMix64
    static let meta: [(String, Int)] = [
      ("a", 16), ("b", 32), ("c", 8), ("d", 1), ("e", 64), ("f", 48), ("g", 3), ("slot", 16), ("cw", 130),
      ("cw2", 200), ("o16", 16), ("o32", 32),
    ]
    static let header: [(String, Int)] = [("x", 16), ("y", 8), ("z", 48)]
    var fields: [(path: String, width: Int)] {
      Self.meta.map { ("meta." + $0.0, $0.1) } + Self.header.map { ("hdr.h." + $0.0, $0.1) }
    }

    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func word() -> UInt64 {
      // Small, boundary and arbitrary values.
      switch int(0...3) {
      case 0: return UInt64(int(0...3))
      case 1: return [0xFF, 0xFFFF, 0xFFFF_FFFF, UInt64.max, 0x8000, 0x1_0000][int(0...5)]
      default: return rng.next() >> UInt64(int(0...63))
      }
    }

    mutating func expr(_ depth: Int, _ params: [(String, Int)]) -> (P4Expr, Int) {
      if depth == 0 || chance(0.25) {
        switch int(0...9) {
        case 0...3:
          let f = fields[int(0...(fields.count - 1))]
          return (.ref(f.path), f.width)
        case 4:
          if let p = params.randomElement(using: &rng) { return (.ref(p.0), p.1) }
          return (.constant("K8"), 8)
        case 5: return [(.constant("K8"), 8), (.constant("KW"), 100), (.constant("K16"), 16)][int(0...2)]
        case 6:
          let w = [1, 8, 16, 32, 63, 64, 65, 100, 130][int(0...8)]
          return (.int(word(), width: w), w)
        case 7:
          return [
            (.intrinsic(.ingressPort), 9), (.intrinsic(.timestampNsHigh), 32), (.intrinsic(.timestampNsLow), 16),
          ][
            int(0...2)]
        case 8: return (.isValid(["hdr.h", "h", "hdr.k", "k", "hdr.nope"][int(0...4)]), 1)
        default:
          if chance(0.1) { return chance(0.5) ? (.ref("meta.nope"), 8) : (.constant("NOPE"), 8) }
          let f = fields[int(0...(fields.count - 1))]
          return (.ref(f.path), f.width)
        }
      }
      switch int(0...5) {
      case 0, 1:
        let ops = ["==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "|+|", "&", "|", "<<", ">>"]
        let op = chance(0.02) ? "*" : ops[int(0...(ops.count - 1))]
        var (a, wa) = expr(depth - 1, params)
        var (b, wb) = expr(depth - 1, params)
        let cmp = ["==", "!=", "<", "<=", ">", ">=", "&&", "||"].contains(op)
        if !cmp && wa > 64 && chance(0.9) {
          // Mostly a narrow left operand: arithmetic on a wide one is an error.
          wa = [8, 16, 32, 64][int(0...3)]
          a = .cast(wa, a)
        }
        if !cmp && wb > 64 && chance(0.9) {
          b = .cast([8, 16, 32, 64][int(0...3)], b)
        }
        if op == "<<" || op == ">>", chance(0.7) {
          b = .int(UInt64(int(0...70)), width: 8)
          wb = 8
        }
        _ = wb
        return (.binary(op, a, b), cmp ? 1 : wa)
      case 2:
        let w = [1, 3, 8, 16, 32, 64, 65, 128, 140][int(0...8)]
        return (.cast(w, expr(depth - 1, params).0), w)
      case 3, 4:
        let (a, wa) = expr(depth - 1, params)
        let lo = int(0...(wa - 1))
        let hi = int(lo...(wa - 1))
        return (.slice(a, hi: hi, lo: lo), hi - lo + 1)
      default: return (.not(expr(depth - 1, params).0), 1)
      }
    }

    mutating func lvalue() -> String {
      if chance(0.03) { return "meta.nope" }
      let f = fields[int(0...(fields.count - 1))]
      guard chance(0.5) else { return f.path }
      let lo = int(0...(f.width - 1))
      let hi = int(lo...(f.width - 1))
      return "\(f.path)[\(hi):\(lo)]"
    }

    mutating func statements(_ n: Int, _ params: [(String, Int)], top: Bool) -> [P4Stmt] {
      var out: [P4Stmt] = []
      for _ in 0..<n {
        switch int(0...(top ? 15 : 9)) {
        case 0...5: out.append(.assign(lvalue(), expr(3, params).0))
        case 6:
          out.append(
            .ifElse(expr(2, params).0, statements(2, params, top: false), statements(1, params, top: false)))
        case 7: out.append(chance(0.5) ? .hash("h16") : (chance(0.9) ? .hash("h32") : .hash("odd")))
        case 8:
          let ops = ["write", "swap", "add", "max", "min", "read", "set"]
          out.append(.register("r", op: chance(0.97) ? ops[int(0...6)] : "nope", output: lvalue()))
        case 9: out.append(.setEgress(expr(2, params).0))
        case 10: out.append(.apply(["t_exact", "t_ternary", "t_range", "t_nope"][int(0...(chance(0.95) ? 2 : 3))]))
        case 11:
          out.append(
            .applyHit(
              ["t_exact", "t_ternary", "t_range"][int(0...2)], hit: statements(1, params, top: false),
              miss: statements(1, params, top: false)))
        case 12: out.append(chance(0.9) ? .call("plain") : .call(["act", "NoAction", "nope"][int(0...2)]))
        case 13: out.append(.digest)
        case 14: out.append(chance(0.5) ? .setValid("hdr.h") : .setInvalid(["hdr.h", "k", "hdr.z"][int(0...2)]))
        default: out.append(.drop)
        }
      }
      return out
    }

    mutating func value(_ w: Int) -> P4Value {
      P4Value(words: (0..<((w + 63) / 64)).map { _ in word() }, width: w, style: .decimal)
    }

    /// The program and its entries; `init` sets every field to a random value first.
    mutating func program() -> (P4Program, P4EntrySet) {
      var p = P4Program(name: "fuzz")
      p.metadata = Self.meta.map { P4Field($0.0, $0.1) }
      p.headers = [
        P4Header(typeName: "h_t", instance: "h", fields: Self.header.map { P4Field($0.0, $0.1) }),
        P4Header(typeName: "k_t", instance: "k", fields: [P4Field("w", 32)]),
      ]
      p.constants = [
        P4Constant("K8", width: 8, value: word() & 0xFF), P4Constant("K16", width: 16, value: word() & 0xFFFF),
        P4Constant("KW", width: 100, value: word()),
      ]
      p.hashes = [
        P4Hash(
          name: "h16", algorithm: .crc16, width: 16, output: "meta.slot", inputs: [.ref("meta.b"), .ref("meta.a")]),
        P4Hash(
          name: "h32", algorithm: .crc32, width: 32, output: lvalue(),
          inputs: [.ref("meta.f"), .ref("meta.c"), .ref("meta.cw2"), .slice(.ref("meta.cw"), hi: 109, lo: 102)]),
        P4Hash(name: "odd", algorithm: .crc16, width: 16, output: "meta.o16", inputs: [.ref("meta.g")]),
      ]
      let e = expr(2, [])
      p.registers = [
        P4Register(
          name: "r", width: 16, size: 8,
          operations: [
            P4RegisterOp(name: "write", kind: .write(e.0)), P4RegisterOp(name: "swap", kind: .swap(.ref("meta.b"))),
            P4RegisterOp(name: "add", kind: .addSaturating(.ref("meta.a"))),
            P4RegisterOp(name: "max", kind: .max(.ref("meta.cw"))),
            P4RegisterOp(name: "min", kind: .min(.ref("meta.c"))),
            P4RegisterOp(name: "read", kind: .read), P4RegisterOp(name: "set", kind: .readThenSet(0x1_2345)),
          ])
      ]
      p.digest = P4Digest(
        typeName: "d_t", fields: [(P4Field("a", 16), .ref("meta.a")), (P4Field("w", 136), .ref("meta.cw"))])
      let params = [("p", 16), ("q", 130)]
      p.actions = [
        P4Action(name: "act", params: params.map { P4Field($0.0, $0.1) }, body: statements(4, params, top: false)),
        P4Action(name: "plain", body: statements(3, [], top: false)),
      ]
      p.tables = [
        P4Table(
          name: "t_exact", keys: [P4Key(field: "meta.c", match: .exact, width: 8, name: "c")],
          actions: ["act", "plain", "NoAction"], defaultAction: P4ActionCall("act", [value(16), value(130)]), size: 16),
        P4Table(
          name: "t_ternary", keys: [P4Key(field: "meta.cw", match: .ternary, width: 130, name: "cw")],
          actions: ["act", "NoAction"], defaultAction: P4ActionCall("NoAction"), size: 16),
        P4Table(
          name: "t_range",
          keys: [
            P4Key(field: "meta.a", match: .range, width: 16, name: "a"),
            P4Key(field: "meta.d", match: .exact, width: 1, name: "d"),
          ],
          actions: ["act", "plain"], defaultAction: P4ActionCall("plain"), size: 16),
      ]
      // Every field random first (wide ones word by word), then the random block.
      var setup: [P4Stmt] = []
      for f in fields {
        var lo = 0
        while lo < f.width {
          let hi = min(lo + 63, f.width - 1)
          let v = f.path == "meta.c" ? UInt64(int(0...3)) : word()
          setup.append(.assign("\(f.path)[\(hi):\(lo)]", .int(v, width: hi - lo + 1)))
          lo = hi + 1
        }
      }
      p.ingress = setup + statements(10, [], top: true)
      var entries: [P4Entry] = []
      func args() -> [P4Value] {
        // Arguments of the declared widths, narrower or wider (as long as the word count stays).
        [value([16, 12, 20][int(0...2)]), value([130, 129, 150][int(0...2)])]
      }
      for _ in 0..<6 {
        entries.append(
          P4Entry(
            table: "t_exact", action: chance(0.8) ? "act" : "plain",
            keys: [.exact(P4Value(UInt64(int(0...3)), width: 8))], params: []))
        if entries[entries.count - 1].action == "act" { entries[entries.count - 1].params = args() }
        let mask = P4Value(words: [1 << UInt64(int(0...63)), 0, UInt64(int(0...3))], width: 130)
        let v = P4Value(words: (0..<3).map { mask.words[$0] & (chance(0.5) ? word() : 0) }, width: 130)
        entries.append(
          P4Entry(
            table: "t_ternary", action: "act", keys: [.ternary(value: v, mask: mask)], params: args(),
            priority: int(1...3)))
        let lo = UInt64(int(0...0xFFFF))
        let hi = min(0xFFFF, lo + UInt64(int(0...0x4000)))
        entries.append(
          P4Entry(
            table: "t_range", action: chance(0.7) ? "act" : "plain",
            keys: [
              .range(lo: P4Value(lo, width: 16), hi: P4Value(hi, width: 16)),
              .exact(P4Value(UInt64(int(0...1)), width: 1)),
            ],
            params: [], priority: int(1...3)))
        if entries[entries.count - 1].action == "act" { entries[entries.count - 1].params = args() }
      }
      return (p, P4EntrySet(entries: entries))
    }
  }

  static func error(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func randomProgramsBehaveLikeTheTreeInterpreter() throws {
    var g = Generator(rng: SplitMix64(seed: 2026))
    var errors = 0
    var hits = 0
    for round in 0..<300 {
      let (program, entries) = g.program()
      var old = TreeP4Machine(program: program, entries: entries, withRegisters: true)
      var new = P4Machine(program: program, entries: entries, withRegisters: true)
      for packet in 0..<3 {
        old.resetPacket()
        new.resetPacket()
        let ts = g.word()
        let port = UInt64(g.int(0...600))
        (old.timestampNs, old.ingressPort) = (ts, port)
        (new.timestampNs, new.ingressPort) = (ts, port)
        let eo = Self.error { try old.run(program.ingress) }
        let en = Self.error { try new.run(program.ingress) }
        let at = "round \(round) packet \(packet)"
        #expect(eo == en, "\(at)")
        if eo != nil { errors += 1 }
        for (path, w) in old.widths {
          let a = old.state[path] ?? P4Value(0, width: w)
          let b = new.state[path]!
          #expect(a.words == b.words && b.width == w, "\(at): \(path) \(a) vs \(b)")
        }
        #expect(old.valid == new.valid, "\(at)")
        #expect(old.egressPort == new.egressPort, "\(at)")
        #expect(old.dropped == new.dropped, "\(at)")
        #expect(old.digests == new.digests, "\(at)")
        #expect(old.registers == new.registers, "\(at)")
        if old.registers["r"]!.contains(where: { $0 != 0 }) { hits += 1 }
      }
    }
    // The programs get far enough to matter: most packets finish, registers are written.
    print("compiled machine vs tree interpreter: 900 packets, \(errors) errors, \(hits) with a register written")
    #expect(errors < 600 && hits > 80)
  }

  @Test func replayMatchesTheTreeInterpreterSwitchBySwitch() throws {
    let classes = (0..<6).map { "k\($0 / 2)\($0 % 2 == 0 ? "a" : "b")" }
    let captures = SyntheticTraffic(classes: classes, flowsPerCapture: 60, maxFlowLength: 12, seed: 31).generate()
    let replay = Replay(captures: captures)
    let features = ["ip.len", "dstport", "tcp.flags.syn", "Max Packet Length", "Flow IAT Max", "ACK Flag Count"]
    let compiled = try ProgramReplayTests.chain(
      features: features, seed: 31, plan: [(1, 2), (3, 3)], packets: replay.packets)
    // 16 slots: collisions and controller resets happen.
    let built = try compiled.map {
      try DuneProgramBuilder.build($0, name: "s\($0.modelID)", options: P4BuildOptions(registerSize: 16))
    }
    var old = built.map { TreeP4Machine(program: $0.program, entries: $0.entries, withRegisters: true) }
    var new = built.map { P4Machine(program: $0.program, entries: $0.entries, withRegisters: true) }
    var pending: [[String: UInt64]] = []
    var digests = 0
    for (i, p) in replay.packets.enumerated() {
      var wire = ProgramReplay.wire(p)
      for s in built.indices {
        old[s].resetPacket()
        new[s].resetPacket()
        old[s].timestampNs = UInt64(p.timestampNs)
        new[s].timestampNs = UInt64(p.timestampNs)
        try old[s].parse(wire)
        try new[s].parse(wire)
        try old[s].run(built[s].program.ingress)
        try new[s].runIngress()
        #expect(old[s].digests == new[s].digests, "packet \(i) switch \(s)")
        #expect(old[s].egressPort == new[s].egressPort)
        let a = old[s].deparse()
        let b = new[s].deparse()
        #expect(a.map(\.instance) == b.map(\.instance) && a.map(\.fields) == b.map(\.fields), "packet \(i) switch \(s)")
        pending += old[s].digests
        wire = a
      }
      // The controller at once: a flow entry and a register reset per digest, on every switch.
      for d in pending {
        for s in built.indices {
          let keys: [P4Match] = ["src_addr", "dst_addr", "src_port", "dst_port", "protocol"].enumerated().map {
            .exact(P4Value(d[$0.element] ?? 0, width: [32, 32, 16, 16, 8][$0.offset]))
          }
          let e = P4Entry(
            table: "flow_class", action: "set_flow_class", keys: keys, params: [P4Value(d["class_id"] ?? 0, width: 8)])
          old[s].insert(e)
          new[s].insert(e)
          let slot = Int(d["slot"] ?? 0)
          for name in Array(old[s].registers.keys) where slot < old[s].registers[name]!.count {
            old[s].registers[name]![slot] = 0
          }
          new[s].clearRegisters(at: slot)
        }
      }
      digests += pending.count
      pending = []
      for s in built.indices { #expect(old[s].registers == new[s].registers, "packet \(i) switch \(s)") }
    }
    #expect(replay.packets.count > 200 && digests > 0)
  }

  /// The indexes of single-key range and ternary tables (interval search, bit tree) return the
  /// first matching entry in lookup order, like the linear scan, also when entries overlap.
  @Test func tableIndexesFindTheFirstMatch() {
    var rng = SplitMix64(seed: 8)
    for round in 0..<60 {
      let ternary = round % 2 == 0
      let width = ternary ? [20, 64, 130, 300][round / 2 % 4] : 16
      let n = Int.random(in: 1...300, using: &rng)
      let words = (width + 63) / 64
      func random() -> P4Value {
        P4Value(words: (0..<words).map { _ in rng.next() }, width: width)
      }
      var entries: [P4Entry] = []
      for _ in 0..<n {
        if ternary {
          // Sparse masks (tree paths) and a few wide don't-cares; values inside the mask.
          let mask = P4Value(
            words: (0..<words).map { _ in Bool.random(using: &rng) ? rng.next() & rng.next() & rng.next() : 0 },
            width: width)
          let v = random()
          let value = P4Value(words: zip(v.words, mask.words).map { $0 & $1 }, width: width)
          entries.append(
            P4Entry(table: "t", action: "NoAction", keys: [.ternary(value: value, mask: mask)], params: []))
        } else {
          let lo = UInt64.random(in: 0...0xFFFF, using: &rng)
          let hi = min(0xFFFF, lo + UInt64.random(in: 0...0x3000, using: &rng))
          entries.append(
            P4Entry(
              table: "t", action: "NoAction", keys: [.range(lo: P4Value(lo, width: 16), hi: P4Value(hi, width: 16))],
              params: []))
        }
      }
      let table = P4Table(
        name: "t", keys: [P4Key(field: "k", match: ternary ? .ternary : .range, width: width, name: "k")],
        actions: ["NoAction"], defaultAction: P4ActionCall("NoAction"), size: n)
      var flat = P4Machine.FlatTable(table)
      flat.rebuild(entries)
      for probe in 0..<300 {
        // Keys that hit some entry (its value with random don't-care bits) and random keys.
        var key: P4Value
        let e = entries[Int.random(in: 0...(n - 1), using: &rng)]
        switch e.keys[0] {
        case .ternary(let v, let m) where probe % 2 == 0:
          let r = random()
          key = P4Value(words: (0..<words).map { v.words[$0] | (r.words[$0] & ~m.words[$0]) }, width: width)
        case .range(let lo, let hi) where probe % 2 == 0:
          key = P4Value(UInt64.random(in: lo.uint64!...hi.uint64!, using: &rng), width: 16)
        default: key = ternary ? random() : P4Value(UInt64.random(in: 0...0xFFFF, using: &rng), width: 16)
        }
        let expected = entries.firstIndex { $0.keys[0].matches(key) }
        let got = key.words.withUnsafeBufferPointer { flat.first($0.baseAddress!) }
        #expect(got == expected, "round \(round) probe \(probe)")
      }
    }
  }

  @Test func fastWireEqualsTheNamedWire() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<200 {
      let proto: UInt8 = [6, 17, 1][Int.random(in: 0...2, using: &rng)]
      let p = Packet(
        timestampNs: 0, srcIP: UInt32.random(in: 0...UInt32.max, using: &rng), dstIP: 7, proto: proto,
        srcPort: UInt16.random(in: 0...UInt16.max, using: &rng), dstPort: 80, ipLength: 60,
        ipHeaderLength: UInt8(4 * Int.random(in: 5...15, using: &rng)), ttl: 9,
        tcpFlags: UInt8.random(in: 0...255, using: &rng),
        tcpWindow: 3, tcpHeaderWords: 5)
      let w = ProgramReplay.wire(p)
      var headers = ["ethernet", "ipv4"] + (0..<(Int(p.ipHeaderLength) / 4 - 5)).reversed().map { "ipv4_opt_\($0)" }
      if proto == 6 { headers.append("tcp") } else if proto == 17 { headers.append("udp") }
      #expect(w.map(\.instance) == headers)
      #expect(w[1].fields["src_addr"] == UInt64(p.srcIP) && w[1].fields["ihl"] == UInt64(p.ipHeaderLength / 4))
      if proto == 6 {
        #expect(
          w.last!.fields["syn"] == UInt64(p.tcpFlags >> 1 & 1) && w.last!.fields["cwr"] == UInt64(p.tcpFlags >> 7))
      }
    }
  }
}
