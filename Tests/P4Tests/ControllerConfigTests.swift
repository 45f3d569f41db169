import DataPlane
import Foundation
import Testing

@testable import P4

/// The controller configuration names what the program declares: the digest as packed, the flow
/// table filled from digest fields, and every per-flow register to clear (`data-plane.md` §6).
@Suite struct ControllerConfigTests {
  @Test(arguments: [P4Target.bmv2, .tofino])
  func namesWhatTheProgramDeclares(target: P4Target) throws {
    let g = try P4Generator.generate(switchName: "s2", model: try flowCompiled(), targets: [target])
    let art = try #require(g.artifacts.first { $0.path == "s2/\(target.rawValue)/s2.controller.json" })
    let json = try #require(try JSONSerialization.jsonObject(with: Data(art.text.utf8)) as? [String: Any])
    #expect(json["format"] as? String == ControllerConfig.format && json["target"] as? String == target.rawValue)
    let prefix = (target == .tofino ? "pipe." : "") + "DuneIngress."

    let digest = try #require(json["digest"] as? [String: Any])
    let fields = try #require(digest["fields"] as? [[String: Any]])
    let program = g.program
    #expect(fields.map { $0["name"] as? String } == program.digest?.fields.map(\.field.name))
    #expect(fields.map { $0["bits"] as? Int } == program.digest?.fields.map(\.field.width))
    #expect((target == .bmv2 ? digest["receiver"] : digest["digestType"]) as? Int == 1)

    let flow = try #require(json["flowTable"] as? [String: Any])
    #expect(flow["table"] as? String == prefix + "flow_class" && flow["action"] as? String == "set_flow_class")
    let keys = try #require(flow["keys"] as? [[String: Any]])
    let table = try #require(program.table("flow_class"))
    #expect(keys.map { $0["name"] as? String } == table.keys.map(\.name))
    // Every key is filled from a digest field of the same width; the class too.
    for k in keys {
      let f = fields.first { $0["name"] as? String == k["digestField"] as? String }
      #expect(f != nil && f?["bits"] as? Int == k["bits"] as? Int)
    }
    #expect(fields.contains { $0["name"] as? String == flow["classField"] as? String })

    let regs = try #require(json["registers"] as? [String: Any])
    #expect(regs["clear"] as? [String] == program.registers.map { prefix + $0.name })
    #expect(fields.contains { $0["name"] as? String == regs["slotField"] as? String })
  }
}
