import DataPlane

// Ingress control flow: slot hashes, state update, turn check, first decision wins (§5.3).

extension DuneProgramBuilder.Builder {
  func reg(_ name: String, _ op: String) -> P4Stmt { .register(name, op: op, output: output(name, op: op)) }

  /// `e == 0` and `e != 0` for a `w`-bit expression (gateways test slices this way).
  func zero(_ e: P4Expr, _ w: Int) -> P4Expr { .binary("==", e, .int(0, width: w)) }
  func nonzero(_ e: P4Expr, _ w: Int) -> P4Expr { .binary("!=", e, .int(0, width: w)) }

  /// `meta.state_count < c` (or `<=` with `orEqual`) for an 8-bit constant c, as a Tofino gateway
  /// can test it: the high 24 bits zero (an equality) and a range compare on the low byte — a
  /// range compare on all 32 bits exceeds a gateway's 12 bits of range input.
  func countBelow(_ c: String, orEqual: Bool = false) -> P4Expr {
    let sc = P4Expr.ref("meta.state_count")
    return .binary(
      "&&", zero(.slice(sc, hi: 31, lo: 8), 24),
      .binary(orEqual ? "<=" : "<", .slice(sc, hi: 7, lo: 0), .cast(8, .constant(c))))
  }

  /// Slot index and flow identity (§3.1).
  func slotHashes() -> [P4Stmt] {
    // Fewer slots than the 16-bit CRC covers: keep the low bits (= CRC16 mod slots for a power of two).
    let fold: [P4Stmt] =
      options.registerSize < 65_536
      ? [.assign("meta.slot", .binary("&", .ref("meta.slot"), .int(UInt64(options.registerSize - 1), width: 16)))] : []
    return [.hash("slot")] + fold + [.hash("flow_id")]
  }

  /// The flow's claim on its slot, identity check and count in one access to `flow_state` (§3.1,
  /// §3.3), then the feature updates (§3); one access per register on every path. The later tests
  /// read the 32-bit count directly (0 = collision, 1 = first packet), so no flag waits for a stage
  /// of its own.
  func stateUpdate() -> [P4Stmt] {
    let sc = P4Expr.ref("meta.state_count")
    let isNew = P4Expr.binary("==", sc, .int(1, width: 32))
    var features: [P4Stmt] = []
    if has("last_ts") {
      // IAT from the split timestamp (ns bits [47:16] and [15:0]): q = floor(IAT / 2^16) is the
      // high difference d minus a borrow; IAT = q·2^16 + (low difference mod 2^16) when q < 2^16,
      // else it saturates — the emulator's and the training's min(IAT, 2^32 − 1), in 32-bit ops.
      // Both swaps return differences (`swapDifference`): d, and the low difference in 32 bits,
      // whose high half is all ones exactly when it borrows. A Tofino gateway compares a field with
      // constants only (4 bytes + 12 bits of range compare), so every test below is an equality on
      // bit slices, and the branches write q's low half directly (no stage for q itself).
      let d = P4Expr.ref("meta.iat_q")
      let lo = P4Expr.ref("meta.lo_diff")
      features += [reg("last_ts", "swap"), reg("last_ts_lo", "swap")]
      let loDiff = P4Stmt.assign("meta.iat[15:0]", .slice(lo, hi: 15, lo: 0))
      let saturate = P4Stmt.assign("meta.iat", .int(0xFFFF_FFFF, width: 32))
      // With a borrow q = d − 1: saturate when d = 0 (unordered timestamps) or d > 2^16.
      let borrowSaturates = P4Expr.binary(
        "||", .binary("||", zero(d, 32), nonzero(.slice(d, hi: 31, lo: 17), 15)),
        .binary(
          "&&", .binary("==", .slice(d, hi: 16, lo: 16), .int(1, width: 1)), nonzero(.slice(d, hi: 15, lo: 0), 16)))
      // (d − 1) mod 2^16 is written d[15:0] − 1, a slice of a field, not of an expression: only
      // programs with time features had the latter, and exactly those stopped p4c-barefoot with an
      // internal error ("width_bits() on type with unknown size").
      features.append(
        .ifElse(
          .not(isNew),
          [
            .ifElse(
              nonzero(.slice(lo, hi: 31, lo: 16), 16),
              [
                .ifElse(
                  borrowSaturates, [saturate],
                  [.assign("meta.iat[31:16]", .binary("-", .slice(d, hi: 15, lo: 0), .int(1, width: 16))), loDiff])
              ],
              [
                .ifElse(
                  nonzero(.slice(d, hi: 31, lo: 16), 16), [saturate],
                  [.assign("meta.iat[31:16]", .slice(d, hi: 15, lo: 0)), loDiff])
              ])
          ], []))
    }
    for r in model.registers where r.feature != nil {
      var later: [P4Stmt] = [reg(r.name, "update")]
      if let f = r.feature, Self.aggregate(f)?.second != nil {
        later = [.ifElse(.binary("==", sc, .int(2, width: 32)), [reg(r.name, "second")], later)]
      }
      features.append(.ifElse(isNew, [reg(r.name, "init")], later))
    }
    // The header and the digest carry the count in 8 bits, saturated as the emulator's counter is.
    var counted: [P4Stmt] = [
      .ifElse(
        nonzero(.slice(sc, hi: 31, lo: 8), 24), [.assign("meta.count", .int(255, width: 8))],
        [.assign("meta.count", .slice(sc, hi: 7, lo: 0))])
    ]
    if !features.isEmpty {
      counted.append(.ifElse(countBelow("INFERENCE_POINT", orEqual: true), features, []))
    }
    return [reg("flow_state", "claim"), .ifElse(.binary("!=", sc, .int(0, width: 32)), counted, [])]
  }

  mutating func ingress() throws -> [P4Stmt] {
    // A collision leaves the count at 0 < N: packet level, like the packets before N.
    let sc = P4Expr.ref("meta.state_count")
    let atN = P4Expr.binary("==", sc, .constant("INFERENCE_POINT"))
    // Header-derived keys and register inputs are pure functions of the headers: computed before
    // the flow lookup on every TCP/UDP packet, so the tables of a packet-level model and the
    // register updates do not wait for the turn check.
    let packet = try packetKeys()
    var keys: [P4Stmt] = []
    let flow = try flowKeys()
    if !flow.isEmpty { keys.append(.ifElse(atN, flow, [])) }
    let infer = inference()

    // A known own class: the tables give global ids, 0 for `Other` and "no hit".
    let known = P4Expr.binary("!=", .ref("meta.global_class"), .int(0, width: 8))
    // Once per slot occupancy: the count passes the decision point once (it only grows).
    let notify: [P4Stmt] = [.digest]
    // With a decision point after N (an upstream switch has a larger N, `ChainProtocol`), the class
    // computed at N is cached and reported as packet level until the decision point, where it is
    // announced: flow-level type and the digest.
    let deferred = decisionPoint > self.model.inferencePoint
    let decideAtN: [P4Stmt] =
      deferred
      ? [reg("class_cache", "write")]
      : [.assign("meta.result_fl", .int(1, width: 1)), reg("class_cache", "write"), .ifElse(known, notify, [])]
    let fromCache: [P4Stmt] =
      [reg("class_cache", "read")]
      + (deferred
        ? [
          .ifElse(.not(countBelow("DECISION_POINT")), [.assign("meta.result_fl", .int(1, width: 1))], []),
          .ifElse(
            .binary(
              "&&", .binary("==", sc, .constant("DECISION_POINT")),
              .binary("!=", .ref("meta.global_class"), .int(0, width: 8))), notify, []),
        ]
        : [.assign("meta.result_fl", .int(1, width: 1))])
    // The lookups are side-effect free, so they run on every packet of this switch's turn and only
    // the choice between their result and the cache waits for the count: a packet-level model's
    // tables then sit in the pipeline beside the register chain instead of after it.
    let model: [P4Stmt] =
      [
        .comment(
          "Sub-model: its result is used at packet level (count < N or collision) and at N; later packets use the cache."
        )
      ]
      + keys + infer + [
        .ifElse(countBelow("INFERENCE_POINT", orEqual: true), [.ifElse(atN, decideAtN, [])], fromCache)
      ]
    let firstDecision = P4Expr.binary("==", .ref("hdr.dune.class_id"), .int(0, width: 8))
    // One write of the flags per path and per group: the first group (mask to the sticky
    // collision bit when this switch decides first, set it on a collision) is known early; the
    // second (result type, decided) waits for the model. Both class tests read the header before
    // it is written.
    let flags = P4Expr.ref("hdr.dune.flags")
    let collision = P4Expr.constant("FLAG_COLLISION")
    let collided = zero(sc, 32)
    let headerUpdate: [P4Stmt] = [
      .comment("First decision along the path wins (§5.3 step 6)."),
      .ifElse(
        firstDecision,
        [
          // The result type is this switch's; only the sticky collision bit survives.
          .ifElse(
            collided, [.assign("hdr.dune.flags", collision)],
            [.assign("hdr.dune.flags", .binary("&", flags, collision))])
        ],
        [.ifElse(collided, [.assign("hdr.dune.flags", .binary("|", flags, collision))], [])]),
      .ifElse(
        firstDecision,
        [
          .assign("hdr.dune.class_id", .ref("meta.global_class")),
          .assign("hdr.dune.pkt_count", .ref("meta.count")),
          .ifElse(
            .binary("==", .ref("meta.result_fl"), .int(1, width: 1)),
            [
              .ifElse(
                .binary("!=", .ref("meta.global_class"), .int(0, width: 8)),
                [
                  .assign(
                    "hdr.dune.flags", .binary("|", flags, .binary("|", .constant("FLAG_FL"), .constant("FLAG_DECIDED")))
                  )
                ],
                [.assign("hdr.dune.flags", .binary("|", flags, .constant("FLAG_FL")))])
            ], []),
        ], []),
    ]
    let upstreamDecided = P4Expr.binary(
      "&&", .binary("!=", .binary("&", .ref("hdr.dune.flags"), .constant("FLAG_DECIDED")), .int(0, width: 8)),
      .binary("!=", .ref("hdr.dune.class_id"), .int(0, width: 8)))
    let turn: [P4Stmt] = [
      .assign("hdr.dune.model_id", .constant("MODEL_ID")),
      .comment("An upstream flow-level decision is final: forward only."),
      .ifElse(.not(upstreamDecided), stateUpdate() + model + headerUpdate, []),
    ]
    let flowLookup: [P4Stmt] = [
      .applyHit(
        "flow_class",
        hit: [
          .comment("Controller decision (§5.3 step 1)."),
          .ifElse(
            .binary("==", .ref("hdr.dune.class_id"), .int(0, width: 8)),
            [
              .assign("hdr.dune.class_id", .ref("meta.flow_class")),
              .assign(
                "hdr.dune.flags",
                .binary("|", .ref("hdr.dune.flags"), .binary("|", .constant("FLAG_FL"), .constant("FLAG_DECIDED")))),
            ], []),
        ],
        miss: [
          .comment("Turn check: only the next model of the chain runs (§5.3 step 2)."),
          .ifElse(.binary("==", .ref("hdr.dune.model_id"), .constant("PREV_MODEL_ID")), turn, []),
        ])
    ]
    let ipv4: [P4Stmt] = [
      .ifElse(
        .not(.isValid("hdr.dune")),
        [
          .setValid("hdr.dune"),
          .assign("hdr.dune.orig_ether_type", .ref("hdr.ethernet.ether_type")),
          .assign("hdr.ethernet.ether_type", .constant("ETHERTYPE_DUNE")),
          .assign("hdr.dune.path_id", .int(0, width: 16)),
          .assign("hdr.dune.model_id", .int(0, width: 8)),
          .assign("hdr.dune.class_id", .int(0, width: 8)),
          .assign("hdr.dune.flags", .int(0, width: 8)),
          .assign("hdr.dune.pkt_count", .int(0, width: 8)),
        ], []),
      .ifElse(.binary("==", .ref("hdr.dune.path_id"), .int(0, width: 16)), [.apply("port_to_path")], []),
      // The capture reader (and so training and the emulator) keeps only TCP/UDP first fragments:
      // other IPv4 packets (ICMP, later fragments, truncated L4) are forwarded but never classified,
      // so they cannot occupy flow slots or cause collisions the emulator does not see.
      .comment("Only TCP/UDP (first fragments, see the parser) are classified; other IPv4 is forwarded."),
      // The hashes have no side effect: computing them before the flow lookup and the turn check
      // lets the first register access follow in the next stage.
      .ifElse(.binary("||", .isValid("hdr.tcp"), .isValid("hdr.udp")), slotHashes() + packet + flowLookup, []),
    ]
    program.inferenceBlock = infer
    return [
      .assign("meta.ingress_port", .intrinsic(.ingressPort)),
      .ifElse(.isValid("hdr.ipv4"), ipv4, []),
      .ifElse(.isValid("hdr.dune"), [.apply("path_to_port")], [.call("forward_default")]),
    ]
  }
}
