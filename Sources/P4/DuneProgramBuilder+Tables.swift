import DataPlane

// Model tables (§2: range → codeword slices → ternary → vote) and forwarding tables (§5.4).

extension DuneProgramBuilder.Builder {
  static func value(_ b: BitString) -> P4Value { P4Value(words: b.words, width: b.width, style: .binary) }

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

    for ft in model.featureTables {
      let f = ft.featureIndex
      meta("feature\(f)", ft.keyWidth)
      let action = "set_code_\(f)"
      var body: [P4Stmt] = []
      var params: [P4Field] = []
      for s in ft.slices {
        params.append(P4Field("code\(s.tree)", s.width))
        body.append(.assign("meta.codeword\(s.tree)[\(s.lsb + s.width - 1):\(s.lsb)]", .ref("code\(s.tree)")))
      }
      program.actions.append(P4Action(name: action, params: params, body: body))
      let table = "feature_\(f)"
      var defaultCall = P4ActionCall("NoAction")
      if ft.isConstant {
        // A single full-domain row: installing it as an entry would be a don't-care range (§8.2).
        defaultCall = P4ActionCall(action, ft.rows[0].codes.map(Self.value))
      } else {
        for row in ft.rows {
          entries.append(
            P4Entry(
              table: table, action: action,
              keys: [
                .range(
                  lo: P4Value(UInt64(row.low), width: ft.keyWidth), hi: P4Value(UInt64(row.high), width: ft.keyWidth))
              ],
              params: row.codes.map(Self.value), priority: 1))
        }
      }
      program.tables.append(
        P4Table(
          name: table, keys: [P4Key(field: "meta.feature\(f)", match: .range, width: ft.keyWidth, name: "feature\(f)")],
          actions: [action, "NoAction"], defaultAction: defaultCall, constDefault: ft.isConstant,
          size: ft.isConstant ? 1 : ft.rows.count))
    }

    for ct in model.codeTables where ct.codewordWidth > 0 {
      let t = ct.tree
      meta("codeword\(t)", ct.codewordWidth)
      let action = "set_class_\(t)"
      // One tree, no vote: the tree's class is the local class, written by the same action (a copy
      // afterwards would cost a pipeline stage). The action data stays `c` alone (§8.4).
      let alsoLocal: [P4Stmt] = model.votingTable == nil ? [.assign("meta.local_class", .ref("c"))] : []
      program.actions.append(
        P4Action(
          name: action, params: [P4Field("c", ct.classWidth)], body: [.assign("meta.class\(t)", .ref("c"))] + alsoLocal)
      )
      for e in ct.entries {
        entries.append(
          P4Entry(
            table: "code_\(t)", action: action,
            keys: [.ternary(value: Self.value(e.value), mask: Self.value(e.mask))],
            params: [P4Value(UInt64(e.localClass), width: ct.classWidth)], priority: 1))
      }
      program.tables.append(
        P4Table(
          name: "code_\(t)",
          keys: [P4Key(field: "meta.codeword\(t)", match: .ternary, width: ct.codewordWidth, name: "codeword\(t)")],
          actions: [action, "NoAction"], defaultAction: P4ActionCall("NoAction"), size: ct.entries.count))
    }

    if let vt = model.votingTable {
      program.actions.append(
        P4Action(name: "set_final", params: [P4Field("c", 8)], body: [.assign("meta.local_class", .ref("c"))]))
      var acts = ["set_final"]
      let defaultCall: P4ActionCall
      switch vt.defaultAction {
      case .constant(let c): defaultCall = P4ActionCall("set_final", [P4Value(UInt64(c), width: 8)])
      case .copyTree(let t):
        program.actions.append(
          P4Action(name: "vote_tree_\(t)", body: [.assign("meta.local_class", .ref("meta.class\(t)"))]))
        acts.append("vote_tree_\(t)")
        defaultCall = P4ActionCall("vote_tree_\(t)")
      }
      for e in vt.entries {
        entries.append(
          P4Entry(
            table: "vote", action: "set_final", keys: e.votes.map { .exact(P4Value(UInt64($0), width: vt.classWidth)) },
            params: [P4Value(UInt64(e.result), width: 8)]))
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
