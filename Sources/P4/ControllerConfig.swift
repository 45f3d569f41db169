/// The controller configuration of one switch program (`data-plane.md` §6, §7.3): what a DUNE
/// controller needs to act on the program's digests without reading the P4 source.
///
/// JSON format `dune-controller/1`:
///
/// ```
/// {
///   "format": "dune-controller/1",
///   "program": "<program>", "target": "bmv2" | "tofino",
///   "digest": {"struct": "dune_digest_t", "receiver": 1 (bmv2) | "digestType": 1 (tofino),
///              "fields": [{"name": "src_addr", "bits": 32}, …]},        in packing order
///   "flowTable": {"table": "<control>.flow_class", "action": "set_flow_class",
///                 "keys": [{"name": "src_addr", "bits": 32, "digestField": "src_addr"}, …],
///                 "param": "c", "classField": "class_id", "size": 65536},
///   "registers": {"slotField": "slot", "size": 65536, "clear": ["<control>.used", …]}
/// }
/// ```
///
/// On a digest the controller installs `flowTable` with the digest's key fields and its
/// `classField` on every switch of the path, then writes 0 into every `clear` register at the
/// digest's `slotField` (§6). Names are as each target's runtime spells them: bmv2 Thrift
/// `DuneIngress.<x>`, BF Runtime `pipe.DuneIngress.<x>`.
public enum ControllerConfig {
  public static let format = "dune-controller/1"

  /// The file name of a program's controller configuration.
  public static func fileName(_ program: P4Program) -> String { "\(program.name).controller.json" }

  /// The configuration text of `program` for `target`.
  public static func json(_ program: P4Program, target: P4Target) -> String {
    let prefix = (target == .tofino ? "pipe." : "") + program.ingressControl + "."
    func q(_ s: String) -> String { "\"\(s)\"" }
    var lines = [
      "{", "  \"format\": \(q(format)),", "  \"program\": \(q(program.name)),", "  \"target\": \(q(target.rawValue)),",
    ]
    let digestFields = program.digest?.fields.map(\.field) ?? []
    if let d = program.digest {
      let id =
        target == .bmv2
        ? "\"receiver\": \(V1ModelEmitter.digestReceiver)" : "\"digestType\": \(TofinoEmitter.digestType)"
      let fields = d.fields.map { "{\"name\": \(q($0.field.name)), \"bits\": \($0.field.width)}" }
      lines.append("  \"digest\": {\"struct\": \(q(d.typeName)), \(id),")
      lines.append("             \"fields\": [" + fields.joined(separator: ", ") + "]},")
    }
    if let t = program.table("flow_class"), let a = program.action(t.actions.first ?? ""), let p = a.params.first {
      // A key is filled from the digest field of the same name (the 5-tuple is digested as keyed).
      let keys = t.keys.map { k -> String in
        let from = digestFields.contains { $0.name == k.name } ? q(k.name) : "null"
        return "{\"name\": \(q(k.name)), \"bits\": \(k.width), \"digestField\": \(from)}"
      }
      lines.append("  \"flowTable\": {\"table\": \(q(prefix + t.name)), \"action\": \(q(a.name)),")
      lines.append("                \"keys\": [" + keys.joined(separator: ", ") + "],")
      lines.append("                \"param\": \(q(p.name)), \"classField\": \(q("class_id")), \"size\": \(t.size)},")
    }
    let size = program.registers.first?.size ?? 0
    let clear = program.registers.map { q(prefix + $0.name) }
    lines.append("  \"registers\": {\"slotField\": \(q("slot")), \"size\": \(size),")
    lines.append("                \"clear\": [" + clear.joined(separator: ", ") + "]}")
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }
}
