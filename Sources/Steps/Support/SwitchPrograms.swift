import DUNESupport
import DataPlane
import Foundation
import Literate
import P4

/// One compiled model written as a switch program of its own, for each target.
enum SwitchPrograms {
  /// Writes `model`'s program and entries for every target under `p4/<switchName>/<target>/` and
  /// returns, per target in `P4Target.allCases` order, that folder or "none: " and why the
  /// generator refused it (its message on one line, cut to `reasonLimit` characters when given).
  static func write(
    switchName: String, model: CompiledSubModel, in context: StepContext, reasonLimit: Int? = nil
  ) throws -> [String] {
    try P4Target.allCases.map { target in
      do {
        let out = try P4Generator.generate(switchName: switchName, model: model, targets: [target])
        for a in out.artifacts { try context.write(a.text, to: "p4/" + a.path) }
        return "p4/\(switchName)/\(target.rawValue)/"
      } catch let e as UsageError {
        let why = e.message.replacingOccurrences(of: "\n  ", with: "; ")
        return "none: " + (reasonLimit.map { String(why.prefix($0)) } ?? why)
      }
    }
  }
}
