/// Emits P4_16 for the Tofino Native Architecture (`tna.p4`, Tofino 1).
///
/// Per-flow state uses `Register<T, I>` plus one `RegisterAction` per operation; the program
/// model guarantees (and `P4Check` verifies) that each register is executed at most once on any
/// path. Hashes are `Hash<bit<W>>(HashAlgorithm_t.CRC16/CRC32)` objects used from small actions;
/// the digest is requested through `digest_type` in ingress and packed in the ingress deparser.
public struct TofinoEmitter: P4Emitter, P4Spelling {
  public init() {}
  public var target: String { "tofino" }

  /// The `digest_type` value that requests the DUNE digest.
  static let digestType = 1

  func intrinsic(_ i: P4Intrinsic) -> String {
    switch i {
    case .ingressPort: return "ig_intr_md.ingress_port"
    case .timestampNsHigh: return "ig_prsr_md.global_tstamp[47:16]"
    case .timestampNsLow: return "ig_prsr_md.global_tstamp[15:0]"
    }
  }

  static func registerAction(_ r: P4Register, _ op: P4RegisterOp) -> String { "\(r.name)_\(op.name)" }

  func target(_ stmt: P4Stmt, _ p: P4Program) -> [String] {
    switch stmt {
    case .hash(let name):
      return ["compute_\(name)();"]
    case .register(let regName, let opName, let output):
      guard let r = p.registers.first(where: { $0.name == regName }),
        let op = r.operations.first(where: { $0.name == opName })
      else { return ["// unknown register operation \(regName).\(opName)"] }
      return ["\(output) = \(Self.registerAction(r, op)).execute(meta.slot);"]
    case .digest:
      return ["ig_dprsr_md.digest_type = DUNE_DIGEST_TYPE;"]
    case .drop:
      return ["ig_dprsr_md.drop_ctl = 3w1;"]
    case .setEgress(let x):
      return ["ig_tm_md.ucast_egress_port = \(P4Syntax.expr(x, self));"]
    default:
      return []
    }
  }

  /// The body of a register action: a small stateful-ALU program (≤ 1 compare, 1 update).
  func registerBody(_ r: P4Register, _ op: P4RegisterOp) -> [String] {
    let e = { (x: P4Expr) in P4Syntax.expr(x, self) }
    switch op.kind {
    case .readThenSet(let c): return ["rv = value;", "value = \(P4Syntax.literal(c, width: r.width));"]
    case .read: return ["rv = value;"]
    case .write(let x): return ["value = \(e(x));", "rv = value;"]
    case .swap(let x): return ["rv = value;", "value = \(e(x));"]
    // The difference comes from the ALU the store leaves free (the output ALU).
    case .swapDifference(let x): return ["rv = \(e(x)) - value;", "value = \(e(x));"]
    case .addSaturating(let x): return ["value = value |+| \(e(x));", "rv = value;"]
    case .max(let x): return ["if (\(e(x)) > value) {", "    value = \(e(x));", "}", "rv = value;"]
    case .min(let x): return ["if (\(e(x)) < value) {", "    value = \(e(x));", "}", "rv = value;"]
    case .claim(let x):
      // One stateful-ALU program: two compares (free slot, same identity), both halves updated,
      // the new count out — claim, identity check and count in a single stage.
      let zero = P4Syntax.literal(0, width: r.width)
      return [
        "if (value.second == \(zero) || value.first == \(e(x))) {",
        "    value.first = \(e(x));",
        "    value.second = value.second |+| \(P4Syntax.literal(1, width: r.width));",
        "    rv = value.second;",
        "} else {",
        "    rv = \(zero);",
        "}",
      ]
    }
  }

  /// The element type of pair register `r`.
  static func pairType(_ r: P4Register) -> String { "\(r.name)_pair_t" }

  public func emit(_ p: P4Program) -> String {
    var o = P4Text()
    P4Syntax.banner(p, &o)
    o.line("#include <core.p4>")
    o.line("#include <tna.p4>")
    o.line()
    P4Syntax.constants(p, &o)
    // `bit<3>`, not `DigestType_t`: that typedef only exists in later tofino.p4 releases (TNA
    // 1.0.1 declares `digest_type` as a plain `bit<3>`); the field type is the same either way.
    if p.digest != nil { o.line("const bit<3> DUNE_DIGEST_TYPE = 3w\(Self.digestType);") }
    o.line()
    P4Syntax.headerTypes(p, &o)
    P4Syntax.metadataStruct(p, &o)
    for r in p.registers where r.pair {
      o.open("struct \(Self.pairType(r))")
      o.line("bit<\(r.width)> first;")
      o.line("bit<\(r.width)> second;")
      o.close()
      o.line()
    }
    o.line("struct egress_headers_t { }")
    o.line()
    o.line("struct egress_metadata_t { }")
    o.line()

    o.open(
      "parser DuneIngressParser(packet_in pkt, out headers_t hdr, out metadata_t meta, "
        + "out ingress_intrinsic_metadata_t ig_intr_md)")
    o.open("state start")
    o.line("pkt.extract(ig_intr_md);")
    // TNA does not zero user metadata: every field the program reads is initialised here.
    P4Syntax.metadataInit(p, &o)
    o.open("transition select(ig_intr_md.resubmit_flag)")
    o.line("1w1: reject;")  // the program never resubmits
    o.line("default: skip_port_metadata;")
    o.close()
    o.close()
    o.open("state skip_port_metadata")
    o.line("pkt.advance(PORT_METADATA_SIZE);")
    o.line("transition \(p.parserStates.first?.name ?? "accept");")
    o.close()
    P4Syntax.parserStates(p, &o, self)
    o.close()
    o.line()

    o.open(
      "control \(p.ingressControl)(inout headers_t hdr, inout metadata_t meta, "
        + "in ingress_intrinsic_metadata_t ig_intr_md, "
        + "in ingress_intrinsic_metadata_from_parser_t ig_prsr_md, "
        + "inout ingress_intrinsic_metadata_for_deparser_t ig_dprsr_md, "
        + "inout ingress_intrinsic_metadata_for_tm_t ig_tm_md)")
    for r in p.registers {
      let out = "bit<\(r.width)>"
      let t = r.pair ? Self.pairType(r) : out
      if r.pair {
        o.line("Register<\(t), bit<16>>(32w\(r.size)) \(r.name);")
      } else {
        o.line("Register<\(t), bit<16>>(32w\(r.size), \(P4Syntax.literal(0, width: r.width))) \(r.name);")
      }
      for op in r.operations {
        o.open("RegisterAction<\(t), bit<16>, \(out)>(\(r.name)) \(Self.registerAction(r, op)) =")
        o.open("void apply(inout \(t) value, out \(out) rv)")
        for l in registerBody(r, op) { o.line(l) }
        o.close()
        o.close(";")
      }
      o.line()
    }
    for h in p.hashes {
      let algo = h.algorithm == .crc16 ? "HashAlgorithm_t.CRC16" : "HashAlgorithm_t.CRC32"
      o.line("Hash<bit<\(h.width)>>(\(algo)) hash_\(h.name);")
      o.open("action compute_\(h.name)()")
      let fields = h.inputs.map { P4Syntax.expr($0, self) }.joined(separator: ", ")
      o.line("\(h.output) = hash_\(h.name).get({ \(fields) });")
      o.close()
      o.line()
    }
    P4Syntax.actions(p, &o, self)
    P4Syntax.tables(p, &o)
    o.open("apply")
    P4Syntax.stmts(p.ingress, &o, self, p)
    o.close()
    o.close()
    o.line()

    o.open(
      "control DuneIngressDeparser(packet_out pkt, inout headers_t hdr, in metadata_t meta, "
        + "in ingress_intrinsic_metadata_for_deparser_t ig_dprsr_md)")
    if let d = p.digest {
      // The argument-less constructor is the one every TNA release declares (later ones add
      // `Digest(DigestType_t)` and only deprecate this one); the `digest_type` test below selects it.
      o.line("Digest<\(d.typeName)>() dune_digest;")
    }
    o.open("apply")
    if let d = p.digest {
      o.open("if (ig_dprsr_md.digest_type == DUNE_DIGEST_TYPE)")
      let values = d.fields.map { P4Syntax.expr($0.value, self) }.joined(separator: ", ")
      o.line("dune_digest.pack({ \(values) });")
      o.close()
    }
    P4Syntax.deparserEmits(p, &o)
    o.close()
    o.close()
    o.line()

    o.open(
      "parser DuneEgressParser(packet_in pkt, out egress_headers_t hdr, out egress_metadata_t meta, "
        + "out egress_intrinsic_metadata_t eg_intr_md)")
    o.open("state start")
    o.line("pkt.extract(eg_intr_md);")
    o.line("transition accept;")
    o.close()
    o.close()
    o.line()
    o.open(
      "control DuneEgress(inout egress_headers_t hdr, inout egress_metadata_t meta, "
        + "in egress_intrinsic_metadata_t eg_intr_md, in egress_intrinsic_metadata_from_parser_t eg_prsr_md, "
        + "inout egress_intrinsic_metadata_for_deparser_t eg_dprsr_md, "
        + "inout egress_intrinsic_metadata_for_output_port_t eg_oport_md)")
    o.line("apply { }")
    o.close()
    o.line()
    o.open(
      "control DuneEgressDeparser(packet_out pkt, inout egress_headers_t hdr, in egress_metadata_t meta, "
        + "in egress_intrinsic_metadata_for_deparser_t eg_dprsr_md)")
    o.line("apply { }")
    o.close()
    o.line()
    o.line(
      "Pipeline(DuneIngressParser(), \(p.ingressControl)(), DuneIngressDeparser(), "
        + "DuneEgressParser(), DuneEgress(), DuneEgressDeparser()) pipe;")
    o.line()
    o.line("Switch(pipe) main;")
    return o.text
  }
}
