import Foundation
import Testing

/// The `clusters`, `sequence` and `dataplane` step kinds through `dune run` on tiny projects.
@Suite(.serialized) struct ChainStepsBTests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func project(_ chapter: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dune-steps-b-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    try chapter.write(to: dir.appendingPathComponent("chapters/01-t.md"), atomically: true, encoding: .utf8)
    return dir
  }

  static func dune(_ args: [String], in dir: URL) throws -> RunCommandTests.Result {
    try RunCommandTests.dune(args, in: dir)
  }

  /// The reference tutorial instance through the step: order [1, 2, 0, 4, 3], objective 2.10219.
  @Test func tutorialSequencingThroughTheRunner() throws {
    let ref = Self.repoRoot.appendingPathComponent("paper/inputs").path
    func chapter(order: String) -> String {
      """
      # t

      ```dune sequence
      #| id: tutorial
      fp: \(ref)/tutorial_cm_matrix_cluster.csv
      f1: \(ref)/tutorial_cluster_f1.csv
      ```

      ```dune check
      expect:
        - value: ${step.tutorial.order}
          equals: \(order)
        - value: ${step.tutorial.objective}
          approx: 2.10219
          tol: 1e-5
      ```
      """
    }
    let dir = try Self.project(chapter(order: "[1, 2, 0, 4, 3]"))
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try Self.dune(["run"], in: dir)
    #expect(r.status == 0, "\(r.out)\n\(r.err)")
    let json = try String(
      contentsOf: dir.appendingPathComponent("results/01-t/tutorial/sequence.json"), encoding: .utf8)
    #expect(json.contains("2.10219"))
    #expect(
      try String(contentsOf: dir.appendingPathComponent("results/01-t.html"), encoding: .utf8).contains("fig-fp-matrix")
    )

    // A wrong expectation must fail the run.
    let bad = try Self.project(chapter(order: "[0, 1, 2, 3, 4]"))
    defer { try? FileManager.default.removeItem(at: bad) }
    #expect(try Self.dune(["run"], in: bad).status != 0)
  }

  /// A 4-class synthetic dataset: captures, samples (N = 2, 3), a 2-block partition, the use case.
  static func tinySynthetic(in dir: URL) throws -> (useCase: String, samples: String, data: String, partition: String) {
    let data = dir.appendingPathComponent("data").path
    let samples = dir.appendingPathComponent("samples").path
    var r = try Self.dune(["data", "synth", "--out", data, "--classes", "4", "--scale", "0.3"], in: dir)
    #expect(r.status == 0, "\(r.err)")
    r = try Self.dune(["data", "use-case", "synthetic"], in: dir)
    guard var uc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any],
      let classes = (uc["classes"] as? [String])?.prefix(4)
    else { throw CocoaError(.fileReadCorruptFile) }
    uc["classes"] = Array(classes)
    if var s = uc["synthetic"] as? [String: Any] {
      s["classes"] = 4
      s["scale"] = 0.3
      uc["synthetic"] = s
    }
    let ucPath = dir.appendingPathComponent("tiny.json").path
    try JSONSerialization.data(withJSONObject: uc, options: [.sortedKeys]).write(to: URL(fileURLWithPath: ucPath))
    r = try Self.dune(
      ["data", "samples", "--use-case", ucPath, "--data", data, "--n", "2,3", "--out", samples], in: dir)
    #expect(r.status == 0, "\(r.err)")
    try "{}\n".write(toFile: samples + "/samples.json", atomically: true, encoding: .utf8)
    let c = Array(classes)
    let partition = dir.appendingPathComponent("partition.csv").path
    try """
    Cluster,Class List,Feature List
    0,"['\(c[0])', '\(c[2])']","['ip.len', 'srcport']"
    1,"['\(c[1])', '\(c[3])']","['ip.len', 'dstport']"

    """.write(toFile: partition, atomically: true, encoding: .utf8)
    return (ucPath, samples + "/samples.json", data, partition)
  }

  /// clusters → sequence → downstream → dataplane on tiny data: 100 % table verification (checked),
  /// both chain variants emulated, files and P4.
  @Test func clustersSequenceDataplaneOnTinyData() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dune-steps-b-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    let t = try Self.tinySynthetic(in: dir)
    let chapter = """
      # t

      ```dune clusters
      #| id: clusters
      samples: \(t.samples)
      partition: \(t.partition)
      useCase: \(t.useCase)
      trees: [1]
      leaves: [41]
      n: [2, 3]
      ```

      ```dune sequence
      #| id: sequence
      fp: ${file.clusters.cm_matrix_cluster.csv}
      f1: ${file.clusters.cluster_f1.csv}
      clusters: ${file.clusters.clusters.json}
      samples: \(t.samples)
      ```

      ```dune downstream
      #| id: downstream
      clusters: ${file.clusters.clusters.json}
      samples: \(t.samples)
      order: ${step.sequence.order}
      ```

      ```dune dataplane
      #| id: dataplane
      clusters: ${file.clusters.clusters.json}
      downstream: ${file.downstream.clusters.json}
      order: ${step.sequence.order}
      samples: \(t.samples)
      useCase: \(t.useCase)
      data: \(t.data)
      monolithicTrees: [1]
      monolithicLeaves: [41, 85]
      monolithicN: [2]
      ```

      ```dune bmv2
      #| id: bmv2
      chain: ${file.dataplane.chain/chain.json}
      verification: ${file.dataplane.p4_verification.json}
      record: toolchain/tiny/bmv2.json
      useCase: \(t.useCase)
      data: \(t.data)
      ```

      ```dune sweep.budget
      #| id: budget
      samples: \(t.samples)
      candidates: ${file.clusters.candidates.csv}
      partition: \(t.partition)
      useCase: \(t.useCase)
      data: \(t.data)
      tcamBlocks: [1, 64, 4]
      stages: [12]
      ```

      ```dune check
      expect:
        - value: ${step.budget.points}
          equals: 4
        - value: ${step.dataplane.agreement}
          equals: 1
        - value: ${step.dataplane.switches}
          equals: 2
        - value: ${step.clusters.clusters}
          equals: 2
        - value: ${step.dataplane.duneMacroF1FL}
          min: 0.0
          max: 1.0
        - value: ${step.sequence.chainedMacroF1FL}
          min: 0.0
          max: 1.0
        - value: ${step.dataplane.duneDownstreamMacroF1FL}
          min: 0.0
          max: 1.0
        - value: ${step.downstream.chainedMacroF1FL}
          min: 0.0
          max: 1.0
        - value: ${step.downstream.order}
          equals: ${step.sequence.order}
        - value: ${step.downstream.referenceChainedMacroF1FL}
          equals: ${step.sequence.chainedMacroF1FL}
      ```
      """
    try chapter.write(to: dir.appendingPathComponent("chapters/01-t.md"), atomically: true, encoding: .utf8)
    let r = try Self.dune(["run"], in: dir)
    #expect(r.status == 0, "\(r.out)\n\(r.err)")
    let results = dir.appendingPathComponent("results/01-t")
    for f in [
      "clusters/clusters.json", "clusters/cluster_0.json", "clusters/cm_matrix_cluster.csv", "clusters/cluster_f1.csv",
      "clusters/cluster_info.csv", "clusters/score_per_cluster_per_class.csv", "sequence/sequence.json",
      "dataplane/resources.json", "dataplane/emulation_dune.json", "dataplane/p4/s1/bmv2/s1.p4",
      "dataplane/p4/s2/tofino/s2.p4", "downstream/clusters.json", "downstream/cluster_1.json",
      "downstream/downstream.json", "dataplane/p4/downstream/s1/bmv2/s1.p4", "dataplane/emulation_dune_downstream.json",
      "dataplane/chain/chain.json", "dataplane/chain/cluster0.json", "clusters/candidates.csv",
      "budget/budget_sweep.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: results.appendingPathComponent(f).path), "\(f)")
    }
    let html = try String(contentsOf: dir.appendingPathComponent("results/01-t.html"), encoding: .utf8)
    // Without a record the bmv2 step says how to make one.
    #expect(html.contains("no bmv2 record at toolchain/tiny/bmv2.json"))
    // `dune p4 bmv2` regenerates exactly the step's bmv2 programs and command files from the chain
    // description, then stops where the tools are missing.
    let noTools = dir.appendingPathComponent("no-tools").path
    try FileManager.default.createDirectory(atPath: noTools, withIntermediateDirectories: true)
    let chainFile = results.appendingPathComponent("dataplane/chain/chain.json").path
    var args = ["p4", "bmv2", "--chain", chainFile, "--use-case", t.useCase, "--data", t.data]
    if FileManager.default.fileExists(atPath: results.appendingPathComponent("dataplane/chain/monolithic.json").path) {
      args.append("--monolithic")
    }
    let b = try RunCommandTests.dune(args, in: dir, environment: ["DUNE_P4TOOLS_BIN": noTools])
    #expect(b.status != 0)
    #expect(b.out.contains("bmv2 programs and command files equal those in"), "\(b.out)\n\(b.err)")
    #expect(b.err.contains("lacks p4c-bm2-ss"), "\(b.err)")
    // A changed program is caught before anything runs.
    try "// edited\n".write(
      toFile: results.appendingPathComponent("dataplane/p4/s1/bmv2/s1.p4").path, atomically: true, encoding: .utf8)
    let c = try RunCommandTests.dune(args, in: dir, environment: ["DUNE_P4TOOLS_BIN": noTools])
    #expect(c.status != 0 && c.err.contains("s1.p4") && c.err.contains("differs"), "\(c.err)")
    for id in [
      "fig-cluster-f1", "fig-cluster-tcam", "fig-fp-matrix", "fig-switch-resources", "fig-dune-vs-monolithic",
      "fig-other-variants", "fig-budget-tcam", "fig-budget-stages",
    ] {
      #expect(html.contains(id), "\(id)")
    }
  }
}
