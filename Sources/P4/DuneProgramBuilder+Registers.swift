import DUNESupport
import DataPlane

// Per-flow state (§3): registers and their update rules, hashes, the digest at N.

extension DuneProgramBuilder.Builder {
  /// How a stateful feature's register is initialised on the first packet and updated later.
  struct Aggregate {
    var input: P4Expr
    var first: P4RegisterOp.Kind
    var later: P4RegisterOp.Kind
    /// The operation at packet 2 when it differs from `later` (IAT min/max start from the first IAT).
    var second: P4RegisterOp.Kind? = nil
    /// Metadata inputs the apply block must compute before the register access.
    var needs: Set<String>
  }

  static func aggregate(_ feature: String) -> Aggregate? {
    let len = P4Expr.ref("hdr.ipv4.total_len")
    let udp = P4Expr.ref("meta.in_udp_len")
    let iat = P4Expr.ref("meta.iat")
    func flag(_ f: String) -> Aggregate {
      let x = P4Expr.ref("meta.in_\(f)")
      return Aggregate(input: x, first: .write(x), later: .addSaturating(x), needs: ["in_\(f)"])
    }
    switch feature {
    case "Min Packet Length": return Aggregate(input: len, first: .write(len), later: .min(len), needs: [])
    case "Max Packet Length": return Aggregate(input: len, first: .write(len), later: .max(len), needs: [])
    case "Packet Length Total": return Aggregate(input: len, first: .write(len), later: .addSaturating(len), needs: [])
    case "UDP Len Min": return Aggregate(input: udp, first: .write(udp), later: .min(udp), needs: ["in_udp_len"])
    case "UDP Len Max": return Aggregate(input: udp, first: .write(udp), later: .max(udp), needs: ["in_udp_len"])
    // No IAT on the first packet: both start at 0 and take the first IAT as is at packet 2.
    case "Flow IAT Min":
      return Aggregate(
        input: iat, first: .write(.int(0, width: 32)), later: .min(iat), second: .write(iat), needs: ["iat"])
    case "Flow IAT Max":
      return Aggregate(
        input: iat, first: .write(.int(0, width: 32)), later: .max(iat), second: .write(iat), needs: ["iat"])
    case "Flow Duration":
      return Aggregate(input: iat, first: .write(.int(0, width: 32)), later: .addSaturating(iat), needs: ["iat"])
    case "SYN Flag Count": return flag("syn")
    case "ACK Flag Count": return flag("ack")
    case "PSH Flag Count": return flag("psh")
    case "FIN Flag Count": return flag("fin")
    case "RST Flag Count": return flag("rst")
    case "ECE Flag Count": return flag("ece")
    default: return nil
    }
  }

  mutating func registers() throws {
    let size = options.registerSize
    for r in model.registers {
      let ops: [P4RegisterOp]
      switch r.name {
      case "flow_state":
        guard r.width == 64 else { throw UsageError("register 'flow_state' is \(r.width) bits, expected 64 (32 + 32)") }
        program.registers.append(
          P4Register(
            name: r.name, width: 32, size: size,
            operations: [P4RegisterOp(name: "claim", kind: .claim(.ref("meta.flow_id")))], pair: true))
        continue
      case "class_cache":
        ops = [
          P4RegisterOp(name: "write", kind: .write(.ref("meta.global_class"))),
          P4RegisterOp(name: "read", kind: .read),
        ]
      case "last_ts":
        meta("now_ts", 32)
        meta("iat_q", 32)
        meta("iat", 32)
        ops = [P4RegisterOp(name: "swap", kind: .swapDifference(.ref("meta.now_ts")))]
      case "last_ts_lo":
        // 16 bits of time in a 32-bit cell: the difference's high half is the borrow.
        meta("now_ts_lo", 32)
        meta("lo_diff", 32)
        ops = [P4RegisterOp(name: "swap", kind: .swapDifference(.ref("meta.now_ts_lo")))]
      default:
        guard let f = r.feature, let agg = Self.aggregate(f) else {
          throw UsageError("register '\(r.name)' has no known update rule (feature \(r.feature ?? "none"))")
        }
        guard RegisterPlan.width(of: f) == r.width else {
          throw UsageError("register '\(r.name)' is \(r.width) bits, expected \(RegisterPlan.width(of: f))")
        }
        for n in agg.needs.sorted() { meta(n, n == "iat" ? 32 : (n == "in_udp_len" ? 16 : 8)) }
        if agg.needs.contains("iat"), !has("last_ts") {
          throw UsageError("register '\(r.name)' needs the last_ts register")
        }
        meta("r_" + r.name, r.width)
        ops =
          [P4RegisterOp(name: "init", kind: agg.first), P4RegisterOp(name: "update", kind: agg.later)]
          + (agg.second.map { [P4RegisterOp(name: "second", kind: $0)] } ?? [])
      }
      program.registers.append(P4Register(name: r.name, width: r.width, size: size, operations: ops))
    }
    if has("last_ts") != has("last_ts_lo") {
      throw UsageError("compiled model has only one of 'last_ts' and 'last_ts_lo'")
    }
    for required in ["flow_state", "class_cache"] where !has(required) {
      throw UsageError("compiled model lacks the '\(required)' register")
    }
  }

  /// Output metadata field of operation `op` of a register.
  func output(_ register: String, op: String) -> String {
    switch register {
    // The cache write returns the class it stores; landing that in `global_class` (the read's
    // output) would make everything reading the class wait one more stage.
    case "class_cache" where op == "write": return "meta.cache_written"
    case "flow_state": return "meta.state_count"
    // A read lands in `global_class` itself, so the header update does not wait for a copy.
    case "class_cache": return "meta.global_class"
    // The high difference d of the split timestamp, straight from the swap.
    case "last_ts": return "meta.iat_q"
    case "last_ts_lo": return "meta.lo_diff"
    default: return "meta.r_" + register
    }
  }

  mutating func hashes() {
    let tuple: [P4Expr] = [
      .ref("hdr.ipv4.src_addr"), .ref("hdr.ipv4.dst_addr"), .ref("meta.src_port"), .ref("meta.dst_port"),
      .ref("hdr.ipv4.protocol"),
    ]
    program.hashes = [
      P4Hash(name: "slot", algorithm: .crc16, width: 16, output: "meta.slot", inputs: tuple),
      P4Hash(name: "flow_id", algorithm: .crc32, width: 32, output: "meta.flow_id", inputs: tuple),
    ]
  }

  mutating func digest() {
    program.digest = P4Digest(
      typeName: "dune_digest_t",
      fields: [
        (P4Field("src_addr", 32), .ref("hdr.ipv4.src_addr")), (P4Field("dst_addr", 32), .ref("hdr.ipv4.dst_addr")),
        (P4Field("src_port", 16), .ref("meta.src_port")), (P4Field("dst_port", 16), .ref("meta.dst_port")),
        (P4Field("protocol", 8), .ref("hdr.ipv4.protocol")), (P4Field("path_id", 16), .ref("hdr.dune.path_id")),
        (P4Field("class_id", 8), .ref("meta.global_class")), (P4Field("slot", 16), .ref("meta.slot")),
        (P4Field("model_id", 8), .ref("hdr.dune.model_id")), (P4Field("pkt_count", 8), .ref("meta.count")),
      ])
  }
}
