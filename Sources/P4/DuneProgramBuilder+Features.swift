import DUNESupport
import DataPlane

// Feature keys (packet level on every packet, flow level at N; §2.2, §3.5) and the inference block.

extension DuneProgramBuilder.Builder {
  static func packetSource(_ name: String) -> (expr: P4Expr, width: Int, header: String?)? {
    switch name {
    case "ip.len": return (.ref("hdr.ipv4.total_len"), 16, nil)
    case "ip.ttl": return (.ref("hdr.ipv4.ttl"), 8, nil)
    case "ip.proto": return (.ref("hdr.ipv4.protocol"), 8, nil)
    // Trained in bytes; IHL counts 32-bit words.
    case "ip.hdr_len": return (.binary("<<", .cast(16, .ref("hdr.ipv4.ihl")), .int(2, width: 16)), 16, nil)
    case "srcport": return (.ref("meta.src_port"), 16, nil)
    case "dstport": return (.ref("meta.dst_port"), 16, nil)
    case "tcp.flags.syn": return (.ref("hdr.tcp.syn"), 1, "hdr.tcp")
    case "tcp.flags.ack": return (.ref("hdr.tcp.ack"), 1, "hdr.tcp")
    case "tcp.flags.push": return (.ref("hdr.tcp.psh"), 1, "hdr.tcp")
    case "tcp.flags.fin": return (.ref("hdr.tcp.fin"), 1, "hdr.tcp")
    case "tcp.flags.rst": return (.ref("hdr.tcp.rst"), 1, "hdr.tcp")
    case "tcp.flags.ece": return (.ref("hdr.tcp.ece"), 1, "hdr.tcp")
    case "tcp.window_size_value": return (.ref("hdr.tcp.window"), 16, "hdr.tcp")
    case "tcp.hdr_len": return (.ref("hdr.tcp.data_offset"), 4, "hdr.tcp")
    case "udp.length": return (.ref("hdr.udp.length"), 16, "hdr.udp")
    default: return nil
    }
  }

  /// `key = min(source, MAX)` at the key width (packet-level encoding, §2.2).
  static func clampAssign(_ lhs: String, _ src: P4Expr, srcWidth: Int, keyWidth: Int) -> [P4Stmt] {
    if srcWidth == keyWidth { return [.assign(lhs, src)] }
    if srcWidth < keyWidth { return [.assign(lhs, .cast(keyWidth, src))] }
    let maxKey = (UInt64(1) << UInt64(keyWidth)) - 1
    return [
      .ifElse(
        .binary(">", src, .int(maxKey, width: srcWidth)), [.assign(lhs, .int(maxKey, width: keyWidth))],
        [.assign(lhs, .cast(keyWidth, src))])
    ]
  }

  /// Packet-level feature keys (every packet) and the TCP/UDP-derived inputs of stateful features.
  mutating func packetKeys() throws -> [P4Stmt] {
    var plain: [P4Stmt] = []
    var tcp: [P4Stmt] = []
    var udp: [P4Stmt] = []
    for ft in model.featureTables {
      let enc = model.features[ft.featureIndex]
      guard enc.kind == .packetLevel else { continue }
      guard let src = Self.packetSource(enc.name) else {
        throw UsageError("packet-level feature '\(enc.name)' has no header source in the P4 generator")
      }
      let stmts = Self.clampAssign(
        "meta.feature\(ft.featureIndex)", src.expr, srcWidth: src.width, keyWidth: ft.keyWidth)
      switch src.header {
      case "hdr.tcp": tcp += stmts
      case "hdr.udp": udp += stmts
      default: plain += stmts
      }
    }
    for f in ["syn", "ack", "psh", "fin", "rst", "ece"] where metaNames.contains("in_\(f)") {
      tcp.append(.assign("meta.in_\(f)", .cast(8, .ref("hdr.tcp.\(f)"))))
    }
    if metaNames.contains("in_udp_len") { udp.append(.assign("meta.in_udp_len", .ref("hdr.udp.length"))) }
    // The arrival time is read on every packet, not once the count is known, so the timestamp
    // swaps need nothing the claim does not already wait for.
    if has("last_ts") {
      plain.append(.assign("meta.now_ts", .intrinsic(.timestampNsHigh)))
      plain.append(.assign("meta.now_ts_lo", .cast(32, .intrinsic(.timestampNsLow))))
    }
    // Fields of absent L4 headers keep their zero initialisation (training uses 0 for them).
    if !tcp.isEmpty { plain.append(.ifElse(.isValid("hdr.tcp"), tcp, [])) }
    if !udp.isEmpty { plain.append(.ifElse(.isValid("hdr.udp"), udp, [])) }
    return plain
  }

  /// Flow-level keys at packet N: `(register >> shift) + δ`, saturating (§2.2, §3.5).
  func flowKeys() throws -> [P4Stmt] {
    var out: [P4Stmt] = []
    for ft in model.featureTables {
      let enc = model.features[ft.featureIndex]
      guard enc.kind == .flowLevel else { continue }
      var src: P4Expr
      var srcWidth: Int
      if enc.name == "Packet Count" {
        src = .ref("meta.count")
        srcWidth = 8
      } else {
        guard let r = model.registers.first(where: { $0.feature == enc.name }) else {
          throw UsageError("flow-level feature '\(enc.name)' has no register in the compiled model")
        }
        src = .ref("meta.r_" + r.name)
        srcWidth = r.width
      }
      let shift = enc.quantisationShift
      if shift > 0 && shift < srcWidth {
        // Quantise by slicing off the low bits (`r[W-1:s]` = `r >> s`): a plain field slice, which
        // Tofino reads straight from the PHV container, where a shift would need an extra ALU
        // instruction in front of the saturating add below.
        src = .slice(src, hi: srcWidth - 1, lo: shift)
        srcWidth -= shift
      } else if shift > 0 {
        src = .binary(">>", src, .int(UInt64(shift), width: 8))
      }
      let w = ft.keyWidth
      let lhs = "meta.feature\(ft.featureIndex)"
      // After quantisation the value has srcWidth significant bits ≤ w, so a cast only adds zeros.
      let base: P4Expr = srcWidth == w ? src : .cast(w, src)
      if enc.delta == 1 {
        // + 1 saturating, without `|+|`: p4c-barefoot stops with an internal error when the key
        // lands in a wider container than its width (it could not saturate correctly there). A
        // narrower source cannot reach the maximum; a full-width one is tested by a gateway.
        let plusOne = P4Stmt.assign(lhs, .binary("+", base, .int(1, width: w)))
        let top = UInt64.max >> UInt64(64 - w)
        out.append(
          srcWidth < w
            ? plusOne
            : .ifElse(.binary("==", base, .int(top, width: w)), [.assign(lhs, .int(top, width: w))], [plusOne]))
      } else {
        out.append(.assign(lhs, base))
      }
    }
    return out
  }

  /// Feature tables → code tables → vote → class map (§2); also what the entry evaluator executes.
  func inference() -> [P4Stmt] {
    var s: [P4Stmt] = []
    for ft in model.featureTables { s.append(.apply("feature_\(ft.featureIndex)")) }
    for ct in model.codeTables {
      if ct.codewordWidth > 0 {
        s.append(.apply("code_\(ct.tree)"))
      } else {
        // A single-leaf tree: its class is a constant (the final class when it is the only tree).
        let c = ct.entries.first?.localClass ?? 0
        if model.votingTable == nil {
          s.append(.assign("meta.global_class", .int(UInt64(model.classMap.global(c)), width: 8)))
          continue
        }
        s.append(.assign("meta.class\(ct.tree)", .int(UInt64(c), width: 8)))
        if case .copyTree(ct.tree)? = model.votingTable?.defaultAction {
          s.append(.assign("meta.global_class\(ct.tree)", .int(UInt64(model.classMap.global(c)), width: 8)))
        }
      }
    }
    if model.votingTable != nil { s.append(.apply("vote")) }
    return s
  }
}
