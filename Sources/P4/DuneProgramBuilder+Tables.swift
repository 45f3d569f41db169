import DataPlane

// Model tables (§2: range → codeword slices → ternary → vote) and forwarding tables (§5.4).

extension DuneProgramBuilder.Builder {
  static func value(_ b: BitString) -> P4Value { P4Value(words: b.words, width: b.width, style: .binary) }

  /// Widest metadata field a codeword piece is kept in. A field wider than a machine word is a
  /// wide value for p4c's lowering, and bmv2 refuses shifts of 256 bits or more; a slice wider than
  /// this is split into several fields.
  static let codewordChunkBits = 128

  /// The metadata fields holding tree `ct.tree`'s codeword: name, lowest bit in the codeword,
  /// width; most significant first, the code table's key in that order.
  ///
  /// One field per slice (`codeword<t>_f<feature>`, cut into `…_<j>` pieces of at most
  /// `codewordChunkBits` when wider), not one field per tree: the Tofino compiler orders writes to
  /// one field, so slices of a shared field would cost one stage per feature table, where separate
  /// fields let every feature table of a switch share a stage.
  static func codewordChunks(of ct: CodeTable) -> [(name: String, lsb: Int, width: Int)] {
    var out: [(name: String, lsb: Int, width: Int)] = []
    for s in ct.layout.sorted(by: { $0.lsb > $1.lsb }) where s.width > 0 {
      let base = "codeword\(ct.tree)_f\(s.featureIndex)"
      guard s.width > codewordChunkBits else {
        out.append((base, s.lsb, s.width))
        continue
      }
      let count = (s.width + codewordChunkBits - 1) / codewordChunkBits
      for j in (0..<count).reversed() {
        let lo = j * codewordChunkBits
        out.append(("\(base)_\(j)", s.lsb + lo, min(codewordChunkBits, s.width - lo)))
      }
    }
    return out
  }

  /// The fields a code slice is written to (`chunks`, from `codewordChunks(of:)`): per field its
  /// name and the offset and width of its piece inside the slice; most significant first. Chunks are
  /// cut at slice boundaries, so each field is written whole by exactly one slice.
  static func pieces(of slice: CodeSlice, chunks: [(name: String, lsb: Int, width: Int)]) -> [(
    field: String, sliceLSB: Int, width: Int
  )] {
    chunks.filter { $0.lsb >= slice.lsb && $0.lsb + $0.width <= slice.lsb + slice.width }
      .map { ($0.name, $0.lsb - slice.lsb, $0.width) }
  }

  mutating func modelTables() throws {
    program.actions.append(
      P4Action(
        name: "set_flow_class", params: [P4Field("c", 8)], body: [.assign("meta.flow_class", .ref("c"))]))
    program.tables.append(
      P4Table(
        name: "flow_class",
        keys: [
          P4Key(field: "hdr.ipv4.src_addr", match: .exact, width: 32, name: "src_addr"),
          P4Key(field: "hdr.ipv4.dst_addr", match: .exact, width: 32, name: "dst_addr"),
          P4Key(field: "meta.src_port", match: .exact, width: 16, name: "src_port"),
          P4Key(field: "meta.dst_port", match: .exact, width: 16, name: "dst_port"),
          P4Key(field: "hdr.ipv4.protocol", match: .exact, width: 8, name: "protocol"),
        ], actions: ["set_flow_class", "NoAction"], defaultAction: P4ActionCall("NoAction"),
        size: options.flowTableSize))

    let chunksOfTree = Dictionary(model.codeTables.map { ($0.tree, Self.codewordChunks(of: $0)) }) { a, _ in a }
    for ft in model.featureTables {
      let f = ft.featureIndex
      meta("feature\(f)", ft.keyWidth)
      let action = "set_code_\(f)"
      var body: [P4Stmt] = []
      var params: [P4Field] = []
      let piecesOfSlice = ft.slices.map { Self.pieces(of: $0, chunks: chunksOfTree[$0.tree] ?? []) }
      for (s, parts) in zip(ft.slices, piecesOfSlice) {
        for (k, piece) in parts.enumerated() {
          let param = parts.count == 1 ? "code\(s.tree)" : "code\(s.tree)_\(k)"
          params.append(P4Field(param, piece.width))
          body.append(.assign("meta.\(piece.field)", .ref(param)))
        }
      }
      // Each row's code for a slice, cut like the slice.
      func rowParams(_ codes: [BitString]) -> [P4Value] {
        zip(piecesOfSlice, codes).flatMap { parts, code in
          parts.map { Self.value(code.extracting(lsb: $0.sliceLSB, width: $0.width)) }
        }
      }
      program.actions.append(P4Action(name: action, params: params, body: body))
      let table = "feature_\(f)"
      var defaultCall = P4ActionCall("NoAction")
      if ft.isConstant {
        // A single full-domain row: installing it as an entry would be a don't-care range (§8.2).
        defaultCall = P4ActionCall(action, rowParams(ft.rows[0].codes))
      } else {
        for row in ft.rows {
          entries.append(
            P4Entry(
              table: table, action: action,
              keys: [
                .range(
                  lo: P4Value(UInt64(row.low), width: ft.keyWidth), hi: P4Value(UInt64(row.high), width: ft.keyWidth))
              ],
              params: rowParams(row.codes), priority: 1))
        }
      }
      program.tables.append(
        P4Table(
          name: table, keys: [P4Key(field: "meta.feature\(f)", match: .range, width: ft.keyWidth, name: "feature\(f)")],
          actions: [action, "NoAction"], defaultAction: defaultCall, constDefault: ft.isConstant,
          size: ft.isConstant ? 1 : ft.rows.count))
    }

    // The tables hand out global class ids (§2.7: offset + local, `Other` → 0) where a result is
    // final, computed here from the class map: a separate local → global step would cost a pipeline
    // stage. Per-tree classes that feed the vote stay local (`Other` and "no hit" must differ there).
    let cm = model.classMap
    func global(_ local: Int) -> P4Value { P4Value(UInt64(cm.global(local)), width: 8) }
    let copiedTree: Int? = {
      if case .copyTree(let t)? = model.votingTable?.defaultAction { return t }
      return nil
    }()
    for ct in model.codeTables where ct.codewordWidth > 0 {
      let t = ct.tree
      let chunks = chunksOfTree[t] ?? []
      for c in chunks { meta(c.name, c.width) }
      let action = "set_class_\(t)"
      // One tree, no vote: `c` is the final (global) class. With a vote, `c` is the tree's local
      // class; the tree whose class a vote tie falls back to also carries its global id `g`.
      var params = [P4Field("c", ct.classWidth)]
      var body: [P4Stmt] = [
        model.votingTable == nil ? .assign("meta.global_class", .ref("c")) : .assign("meta.class\(t)", .ref("c"))
      ]
      if copiedTree == t {
        meta("global_class\(t)", 8)
        params.append(P4Field("g", 8))
        body.append(.assign("meta.global_class\(t)", .ref("g")))
      }
      program.actions.append(P4Action(name: action, params: params, body: body))
      for e in ct.entries {
        let c =
          model.votingTable == nil
          ? global(e.localClass) : P4Value(UInt64(e.localClass), width: ct.classWidth)
        entries.append(
          P4Entry(
            table: "code_\(t)", action: action,
            keys: chunks.map {
              .ternary(
                value: Self.value(e.value.extracting(lsb: $0.lsb, width: $0.width)),
                mask: Self.value(e.mask.extracting(lsb: $0.lsb, width: $0.width)))
            },
            params: [c] + (copiedTree == t ? [global(e.localClass)] : []), priority: 1))
      }
      program.tables.append(
        P4Table(
          name: "code_\(t)",
          keys: chunks.map { P4Key(field: "meta.\($0.name)", match: .ternary, width: $0.width, name: $0.name) },
          actions: [action, "NoAction"], defaultAction: P4ActionCall("NoAction"), size: ct.entries.count))
    }

    if let vt = model.votingTable {
      program.actions.append(
        P4Action(name: "set_final", params: [P4Field("c", 8)], body: [.assign("meta.global_class", .ref("c"))]))
      var acts = ["set_final"]
      let defaultCall: P4ActionCall
      switch vt.defaultAction {
      case .constant(let c): defaultCall = P4ActionCall("set_final", [global(c)])
      case .copyTree(let t):
        program.actions.append(
          P4Action(name: "vote_tree_\(t)", body: [.assign("meta.global_class", .ref("meta.global_class\(t)"))]))
        acts.append("vote_tree_\(t)")
        defaultCall = P4ActionCall("vote_tree_\(t)")
      }
      for e in vt.entries {
        entries.append(
          P4Entry(
            table: "vote", action: "set_final", keys: e.votes.map { .exact(P4Value(UInt64($0), width: vt.classWidth)) },
            params: [global(e.result)]))
      }
      program.tables.append(
        P4Table(
          name: "vote",
          keys: (0..<vt.treeCount).map {
            P4Key(field: "meta.class\($0)", match: .exact, width: vt.classWidth, name: "class\($0)")
          }, actions: acts, defaultAction: defaultCall, size: max(vt.entries.count, 1)))
    }
  }

  mutating func forwardingTables() {
    program.actions.append(
      P4Action(name: "set_path", params: [P4Field("path", 16)], body: [.assign("hdr.dune.path_id", .ref("path"))]))
    program.actions.append(
      P4Action(name: "set_egress", params: [P4Field("port", 9)], body: [.setEgress(.ref("port"))]))
    program.tables.append(
      P4Table(
        name: "port_to_path",
        keys: [P4Key(field: "meta.ingress_port", match: .exact, width: 9, name: "ingress_port")],
        actions: ["set_path"],
        defaultAction: P4ActionCall("set_path", [P4Value(UInt64(options.defaultPath), width: 16)]),
        size: 512))
    program.tables.append(
      P4Table(
        name: "path_to_port", keys: [P4Key(field: "hdr.dune.path_id", match: .exact, width: 16, name: "path_id")],
        actions: ["set_egress"],
        defaultAction: P4ActionCall("set_egress", [P4Value(UInt64(options.defaultEgressPort), width: 9)]),
        size: 1024))
    // Packets without the shim (non-IPv4) have no path id to look up.
    program.actions.append(
      P4Action(name: "forward_default", body: [.setEgress(.int(UInt64(options.defaultEgressPort), width: 9))]))
    meta("ingress_port", 9)
    for pp in options.portToPath {
      entries.append(
        P4Entry(
          table: "port_to_path", action: "set_path", keys: [.exact(P4Value(UInt64(pp.port), width: 9))],
          params: [P4Value(UInt64(pp.path), width: 16)]))
    }
    for pp in options.pathToPort {
      entries.append(
        P4Entry(
          table: "path_to_port", action: "set_egress", keys: [.exact(P4Value(UInt64(pp.path), width: 16))],
          params: [P4Value(UInt64(pp.port), width: 9)]))
    }
  }
}
