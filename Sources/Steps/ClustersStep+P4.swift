import DUNESupport
import DataPlane
import Forest
import Foundation
import Literate
import P4
import Partition

extension ClustersStep {
  /// A sub-model compiled the way chapter 04 writes its program: on its own (model id 1, class
  /// offset 0) with the time quantisation it was trained with. The placement check of the selection
  /// compiles candidates with this too, so what is checked is what is written.
  static func compileSubModel(_ model: ForestModel, cluster id: Int, n: Int, scheme: EncodingScheme) throws
    -> CompiledSubModel
  {
    try TableCompiler.compile(
      model, options: CompileOptions(name: "cluster\(id)", modelID: 1, inferencePoint: n, scheme: scheme))
  }

  /// The selection's placement check: each candidate must pass `placementProblem` under `budget`.
  static func placement(shift: Int, budget: SwitchBudget = .tofino1) -> ClusterAnalysis.PlacementCheck {
    let scheme = QuantisedSamples.scheme(shift: shift)
    return { c in try placementProblem(c.model, cluster: c.cluster.id, n: c.row.n, scheme: scheme, budget: budget) }
  }

  /// Nil when `model`, compiled as chapter 04 writes it, fits `budget` (`ResourceEstimate.fit(under:)`:
  /// TCAM and SRAM blocks, stages, widest ternary key); else why not ("stages: needs 13, budget 12").
  static func placementProblem(
    _ model: ForestModel, cluster id: Int, n: Int, scheme: EncodingScheme, budget: SwitchBudget = .tofino1
  ) throws -> String? {
    let compiled: CompiledSubModel
    do {
      compiled = try compileSubModel(model, cluster: id, n: n, scheme: scheme)
    } catch let e as UsageError {
      return "cannot be compiled: \(e.message)"
    }
    var problems: [String] = []
    if case .exceeds(let violations) = ResourceModel.estimate(compiled, budget: budget).fit(under: budget) {
      problems += violations.map(\.description)
    }
    // The generator refuses wider range keys for Tofino.
    for t in compiled.featureTables where t.keyWidth > SwitchBudget.tofinoRangeKeyBits {
      problems.append("range key \(t.featureName) is \(t.keyWidth) bits (Tofino: ≤ \(SwitchBudget.tofinoRangeKeyBits))")
    }
    return problems.isEmpty ? nil : problems.joined(separator: "; ")
  }

  /// Writes each selected sub-model's program for both targets under `p4/cluster_<id>/` and returns
  /// the table that lists them, or says why a target has none.
  ///
  /// Chapter 06 recompiles the same forests in chain order with their chain ids.
  func writeSubModelPrograms(_ r: ClusterAnalysis.Result, shift: Int, in context: StepContext) throws -> StepTable {
    let scheme = QuantisedSamples.scheme(shift: shift)
    // Sub-models are independent: compiled and written on every core.
    let clusters = r.clusters
    let rows = try parallelMap(count: clusters.count, threads: ProcessInfo.processInfo.activeProcessorCount) {
      q -> [String] in
      let c = clusters[q]
      let id = c.definition.id
      var row = [String(id)]
      do {
        let compiled = try Self.compileSubModel(c.model, cluster: id, n: c.selected.n, scheme: scheme)
        let e = ResourceModel.estimate(compiled)
        row += [String(e.modelEntries), String(e.tcamBlocks), String(e.stages)]
        row += try SwitchPrograms.write(switchName: "cluster_\(id)", model: compiled, in: context)
      } catch let e as UsageError {
        row += ["–", "–", "–", "none: " + e.message, "none: " + e.message]
      }
      return row
    }
    return StepTable(
      id: "p4",
      caption:
        "Each selected sub-model as a switch program of its own (both targets), with the resource model's entries, TCAM blocks and stages.",
      columns: ["cluster", "entries", "TCAM blocks", "stages"] + P4Target.allCases.map { "P4 (\($0.rawValue))" },
      rows: rows)
  }
}
