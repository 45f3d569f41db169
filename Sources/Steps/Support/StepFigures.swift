import DUNESupport
import Foundation
import Literate
import Report

/// Figures of pipeline steps: a chart spec rendered once, as standalone SVG, with element ids
/// prefixed `<chapter>-<step>-<figure>-chart` so several figures on one page (and exported files) never
/// collide — the page gives the enclosing `<figure>` the id `<chapter>-<step>-<figure>` itself. Figure ids starting with `fig-` are the paper figures `dune figures` exports.
enum StepFigures {
  /// The chart `spec` as a step figure with id `id`; `shows` names the metrics and tables it draws.
  static func make(
    _ spec: ChartSpec, id: String, caption: String, shows: [String] = [], in context: StepContext
  ) -> StepFigure {
    let prefix = "\(context.chapter)-\(context.stepID)-\(id)-chart"
    return StepFigure(id: id, caption: caption, svg: ChartRenderer.standaloneSVG(spec, id: prefix), shows: shows)
  }
}

/// Small conversions shared by the step kinds.
enum StepValues {
  /// A list of strings as a value.
  static func strings(_ xs: [String]) -> Value { .array(xs.map(Value.string)) }
  /// A list of integers as a value.
  static func ints(_ xs: [Int]) -> Value { .array(xs.map(Value.int)) }

  /// `path` relative to `root`, with `..` steps when it lies outside (e.g. a user-supplied `../data/...`), so
  /// published values and pages never carry the machine's absolute checkout path: a clone elsewhere
  /// must reproduce the committed results byte for byte.
  ///
  /// Both paths are normalised lexically: Foundation's standardisation may resolve symbolic links
  /// (`<clone>/../data` → wherever a symlinked `data` points), which would make the published
  /// path depend on how the sibling folder is linked on this machine.
  static func projectRelative(_ path: String, root: URL) -> String {
    let r = lexicalComponents(root.path)
    let p = lexicalComponents(path)
    var common = 0
    while common < r.count, common < p.count, r[common] == p[common] { common += 1 }
    let parts = Array(repeating: "..", count: r.count - common) + p[common...]
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }

  /// The components of an absolute path with `.` dropped and `..` applied, without touching the
  /// file system.
  static func lexicalComponents(_ path: String) -> [String] {
    var out: [String] = []
    for c in path.split(separator: "/") where c != "." {
      if c == ".." {
        if !out.isEmpty { out.removeLast() }
      } else {
        out.append(String(c))
      }
    }
    return out
  }
}
