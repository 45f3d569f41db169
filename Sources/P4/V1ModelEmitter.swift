/// Emits P4_16 for the v1model architecture (bmv2 `simple_switch`, compiled by `p4c-bm2-ss`).
///
/// Uses the default v1model version (`register<T>` with `bit<32>` indices, `hash(...)` with
/// `HashAlgorithm`, `digest<T>(receiver, data)`), so the program also compiles with older p4c.
/// bmv2 registers may be read and written anywhere, so each register operation is lowered to a
/// `read` followed by a `write` in the apply block.
///
/// Replay builds: compiled with `-DDUNE_REPLAY_TIME`, the program expects an 8-byte header in front
/// of Ethernet holding the packet's capture time in ns (`replayTime`), re-emits it first, and reads
/// its time features from it instead of `ingress_global_timestamp` — bmv2 has no settable clock, and
/// this is how `dune p4 bmv2` lets a recorded capture's timing reach the switches. Without the
/// symbol the preprocessed program is exactly the deployed one; the program model (`P4Program`,
/// `P4Check`, the interpreter) never sees the header.
public struct V1ModelEmitter: P4Emitter, P4Spelling {
  public init() {}
  public var target: String { "bmv2" }

  /// The preprocessor symbol of replay builds.
  public static let replayDefine = "DUNE_REPLAY_TIME"
  /// The replay-time header: the capture timestamp in ns (big-endian 64 bits), before Ethernet.
  public static let replayTime = P4Header(
    typeName: "dune_replay_time_h", instance: "replay_time", fields: [P4Field("ns", 64)])

  static let replayHeader = ConditionalHeader(
    define: replayDefine, header: replayTime,
    comment: [
      "Replay builds only (-DDUNE_REPLAY_TIME): the capture time in ns travels in front of Ethernet",
      "and replaces the switch clock as the time source (bmv2 has no settable clock).",
    ])

  func conditionalIntrinsic(_ i: P4Intrinsic) -> (define: String, text: String)? {
    // The same bits of the capture's ns timestamp the switch clock would give.
    switch i {
    case .timestampNsHigh: return (Self.replayDefine, "hdr.\(Self.replayTime.instance).ns[47:16]")
    case .timestampNsLow: return (Self.replayDefine, "hdr.\(Self.replayTime.instance).ns[15:0]")
    case .ingressPort: return nil
    }
  }

  /// The digest receiver id passed to `digest<T>(receiver, …)`.
  static let digestReceiver = 1

  func intrinsic(_ i: P4Intrinsic) -> String {
    switch i {
    case .ingressPort: return "standard_metadata.ingress_port"
    // bmv2 timestamps are in microseconds; ×1000 keeps thresholds trained in ns valid.
    case .timestampNsHigh: return "(standard_metadata.ingress_global_timestamp * 48w1000)[47:16]"
    case .timestampNsLow: return "(standard_metadata.ingress_global_timestamp * 48w1000)[15:0]"
    }
  }

  func target(_ stmt: P4Stmt, _ p: P4Program) -> [String] {
    switch stmt {
    case .hash(let name):
      guard let h = p.hashes.first(where: { $0.name == name }) else { return ["// unknown hash \(name)"] }
      let algo = h.algorithm == .crc16 ? "HashAlgorithm.crc16" : "HashAlgorithm.crc32"
      let fields = h.inputs.map { P4Syntax.expr($0, self) }.joined(separator: ", ")
      // max = 2^width so the result is the raw CRC (bmv2 computes base + H % max).
      let maxWidth = h.width + 1
      return [
        "hash(\(h.output), \(algo), \(P4Syntax.literal(0, width: h.width)), { \(fields) }, "
          + "\(P4Syntax.literal(UInt64(1) << UInt64(h.width), width: maxWidth)));"
      ]
    case .register(let regName, let opName, let output):
      guard let r = p.registers.first(where: { $0.name == regName }),
        let op = r.operations.first(where: { $0.name == opName })
      else { return ["// unknown register operation \(regName).\(opName)"] }
      let idx = "(bit<32>)meta.slot"
      let e = { (x: P4Expr) in P4Syntax.expr(x, self) }
      switch op.kind {
      case .readThenSet(let c):
        return [
          "\(r.name).read(\(output), \(idx));", "\(r.name).write(\(idx), \(P4Syntax.literal(c, width: r.width)));",
        ]
      case .read:
        return ["\(r.name).read(\(output), \(idx));"]
      case .write(let x):
        return ["\(output) = \(e(x));", "\(r.name).write(\(idx), \(output));"]
      case .swap(let x):
        return ["\(r.name).read(\(output), \(idx));", "\(r.name).write(\(idx), \(e(x)));"]
      case .swapDifference(let x):
        return [
          "\(r.name).read(\(output), \(idx));", "\(r.name).write(\(idx), \(e(x)));",
          "\(output) = \(e(x)) - \(output);",
        ]
      case .addSaturating(let x):
        return [
          "\(r.name).read(\(output), \(idx));", "\(output) = \(output) |+| \(e(x));",
          "\(r.name).write(\(idx), \(output));",
        ]
      case .max(let x):
        return [
          "\(r.name).read(\(output), \(idx));", "if (\(e(x)) > \(output)) { \(output) = \(e(x)); }",
          "\(r.name).write(\(idx), \(output));",
        ]
      case .min(let x):
        return [
          "\(r.name).read(\(output), \(idx));", "if (\(e(x)) < \(output)) { \(output) = \(e(x)); }",
          "\(r.name).write(\(idx), \(output));",
        ]
      case .claim(let x):
        // The pair is one register of twice the width, identity in the high half.
        let w = r.width
        let cell = "\(r.name)_cell"
        let count = "\(cell)[\(w - 1):0]"
        let zero = P4Syntax.literal(0, width: w)
        return [
          "{",
          "    bit<\(2 * w)> \(cell);",
          "    \(r.name).read(\(cell), \(idx));",
          "    if (\(count) == \(zero) || \(cell)[\(2 * w - 1):\(w)] == \(e(x))) {",
          "        \(cell) = \(e(x)) ++ (\(count) |+| \(P4Syntax.literal(1, width: w)));",
          "        \(r.name).write(\(idx), \(cell));",
          "        \(output) = \(count);",
          "    } else {",
          "        \(output) = \(zero);",
          "    }",
          "}",
        ]
      }
    case .digest:
      guard let d = p.digest else { return [] }
      let values = d.fields.map { P4Syntax.expr($0.value, self) }.joined(separator: ", ")
      return ["digest<\(d.typeName)>(32w\(Self.digestReceiver), { \(values) });"]
    case .drop:
      return ["mark_to_drop(standard_metadata);"]
    case .setEgress(let x):
      return ["standard_metadata.egress_spec = \(P4Syntax.expr(x, self));"]
    default:
      return []
    }
  }

  public func emit(_ p: P4Program) -> String {
    var o = P4Text()
    P4Syntax.banner(p, &o)
    o.line("#include <core.p4>")
    o.line("#include <v1model.p4>")
    o.line()
    P4Syntax.constants(p, &o)
    o.line()
    P4Syntax.headerTypes(p, &o, conditional: Self.replayHeader)
    P4Syntax.metadataStruct(p, &o)

    o.open(
      "parser DuneParser(packet_in pkt, out headers_t hdr, inout metadata_t meta, "
        + "inout standard_metadata_t standard_metadata)")
    o.open("state start")
    P4Syntax.metadataInit(p, &o)
    o.directive("#ifdef \(Self.replayDefine)")
    o.line("pkt.extract(hdr.\(Self.replayTime.instance));")
    o.directive("#endif")
    o.line("transition \(p.parserStates.first?.name ?? "accept");")
    o.close()
    P4Syntax.parserStates(p, &o, self)
    o.close()
    o.line()

    o.open("control DuneVerifyChecksum(inout headers_t hdr, inout metadata_t meta)")
    o.line("apply { }")
    o.close()
    o.line()

    o.open(
      "control \(p.ingressControl)(inout headers_t hdr, inout metadata_t meta, "
        + "inout standard_metadata_t standard_metadata)")
    for r in p.registers {
      o.line("register<bit<\(r.elementWidth)>>(32w\(r.size)) \(r.name);")
    }
    if !p.registers.isEmpty { o.line() }
    P4Syntax.actions(p, &o, self)
    P4Syntax.tables(p, &o)
    o.open("apply")
    P4Syntax.stmts(p.ingress, &o, self, p)
    o.close()
    o.close()
    o.line()

    o.open(
      "control DuneEgress(inout headers_t hdr, inout metadata_t meta, inout standard_metadata_t standard_metadata)")
    o.line("apply { }")
    o.close()
    o.line()
    o.open("control DuneComputeChecksum(inout headers_t hdr, inout metadata_t meta)")
    o.line("apply { }")
    o.close()
    o.line()
    o.open("control DuneDeparser(packet_out pkt, in headers_t hdr)")
    o.open("apply")
    P4Syntax.deparserEmits(p, &o, conditional: Self.replayHeader)
    o.close()
    o.close()
    o.line()
    o.line(
      "V1Switch(DuneParser(), DuneVerifyChecksum(), \(p.ingressControl)(), DuneEgress(), "
        + "DuneComputeChecksum(), DuneDeparser()) main;")
    return o.text
  }
}
