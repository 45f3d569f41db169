import DUNESupport
import DataPlane
import Foundation
import Literate
import P4
import Partition

extension ClustersStep {
  /// Writes each selected sub-model's program for both targets under `p4/cluster_<id>/` and returns
  /// the table that lists them, or says why a target has none.
  ///
  /// Each sub-model is compiled on its own (model id 1, class offset 0) with the time quantisation
  /// it was trained with; chapter 06 recompiles the same forests in chain order with their chain ids.
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
        let compiled = try TableCompiler.compile(
          c.model,
          options: CompileOptions(name: "cluster\(id)", modelID: 1, inferencePoint: c.selected.n, scheme: scheme))
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
