import DUNESupport

/// A human-readable summary of compiled tables and their resources (`dune dataplane compile`).
public enum CompiledSummary {
  public static func text(_ m: CompiledSubModel, _ r: ResourceEstimate) -> String {
    var s = "sub-model \(m.name): model id \(m.modelID), N = \(m.inferencePoint), \(m.treeCount) tree(s)\n"
    let own = m.classMap.ownClasses.enumerated().map { "\($0.element) → \(m.classMap.global($0.offset + 1))" }
    s += "classes: \(own.joined(separator: ", "))" + (m.classMap.hasOther ? ", Other → 0" : "") + "\n"
    s += "encoding: \(m.features.first?.mode.rawValue ?? "canonical")\n\n"
    s += "feature tables (range):\n"
    for t in m.featureTables {
      let enc = m.features[t.featureIndex]
      let q = enc.quantisationShift > 0 ? " bits [\(enc.sourceWidth - 1):\(enc.quantisationShift)]" : ""
      s += "  \(t.featureName) (\(enc.kind.rawValue), \(t.keyWidth)-bit key\(q)): \(t.rows.count) rows, "
      s += "slices " + t.slices.map { "tree \($0.tree) × \($0.width)" }.joined(separator: ", ") + "\n"
      for row in t.rows {
        s += "    \(row.low)..\(row.high) → " + row.codes.map(\.binary).joined(separator: " ") + "\n"
      }
    }
    s += "\ncode tables (ternary):\n"
    for c in m.codeTables {
      s += "  tree \(c.tree): \(c.entries.count) entries, \(c.codewordWidth)-bit codeword, "
      s += "\(c.unreachableLeaves.count) unreachable leaves\n"
    }
    if let v = m.votingTable {
      s +=
        ("\nvoting table (exact): \(v.entries.count) entries, \(v.enumeration.rawValue), tie "
          + "rule \(v.tieRule.rawValue), ")
      s += "exact: \(v.exact)\n"
    }
    if !m.nonComputableFeatures.isEmpty {
      s += "\nwarning: not computable on a switch: \(m.nonComputableFeatures.joined(separator: ", "))\n"
    }
    s += "\nresources (Tofino-1 estimate):\n"
    s +=
      ("  reference TCAM model: \(r.referenceTCAMBlocks) blocks = "
        + "\(NumberFormat.fixed(100 * r.referenceTCAMShare, 2)) %\n")
    s += "  refined: \(r.tcamBlocks) TCAM blocks, \(r.sramBlocks) SRAM blocks, ≈ \(r.stages) stages, "
    s += "\(r.registerBitsPerSlot) register bits per flow slot\n"
    switch r.fit {
    case .fits: s += "  fits the switch budget\n"
    case .exceeds(let v): s += "  DOES NOT FIT: " + v.map(\.description).joined(separator: "; ") + "\n"
    }
    return s
  }
}
