import DUNESupport
import Foundation
import Literate
import LiterateRuntime
import Steps
import Testing

/// dataset → samples → forest.grid → partition through the runner on a tiny synthetic use case.
@Suite(.serialized) struct PipelineStepsTests {
  static let chapters: [String: String] = [
    "00-data.md": """
    ---
    params:
      use-case: usecase.json
      seed: 5
    ---
    # Data

    ```dune dataset
    #| id: dataset
    useCase: ${params.use-case}
    data: ""
    seed: ${params.seed}
    ```

    ```dune samples
    #| id: samples
    useCase: ${params.use-case}
    data: ${step.dataset.dataDir}
    n: [2, 3]
    captures: ${step.dataset.captures}
    ```
    """,
    "01-model.md": """
    ---
    params:
      use-case: usecase.json
    ---
    # Model

    ```dune forest.grid
    #| id: forest
    samples: ${file.samples.samples.json}
    useCase: ${params.use-case}
    trees: [2, 4]
    depth: [4]
    n: [2, 3]
    seed: 1
    ```

    ```dune forest.grid
    #| id: computable
    samples: ${file.samples.samples.json}
    useCase: ${params.use-case}
    features: ip.len, ip.ttl, Max Packet Length, SYN Flag Count
    trees: [2]
    depth: [4]
    n: [2]
    seed: 1
    ```

    ```dune partition
    #| id: partition
    weights: ${file.forest.importance_weights.csv}
    scores: ${file.forest.score_per_class.csv}
    features: 6
    seed: 2
    compare: true
    ```
    """,
  ]

  @Test func tinySyntheticPipelineRunsAndCaches() throws {
    let p = try StepsProject(Self.chapters, files: ["usecase.json": tinySyntheticUseCaseJSON()])
    defer { p.remove() }
    let first = try p.run()
    #expect(first.failure == nil, "\(String(describing: first.failure))")
    #expect(first.outcomes.map(\.status) == [.ran, .ran, .ran, .ran, .ran])

    // dataset: four classes, 8 captures each, generated under .dune/datasets.
    let ds = try p.output(first, "00-data/dataset")
    guard case .array(let classes)? = ds.values["classes"], case .array(let captures)? = ds.values["captures"] else {
      Issue.record("dataset values missing")
      return
    }
    #expect(classes.count == 4)
    #expect(captures.count == 32)
    #expect(ds.values["dataDir"]?.stringValue?.hasPrefix(".dune/datasets/synthetic-5-") == true)
    #expect(ds.figures.map(\.id) == ["fig-class-distribution"])
    #expect(ds.figures[0].svg.contains("00-data-dataset-fig-class-distribution"))

    // samples: the anchor and the per-N tables, rows for both splits.
    let sm = try p.output(first, "00-data/samples")
    #expect(sm.values["n"] == .array([.int(2), .int(3)]))
    let testRows2 = sm.values["rows"]?.value(at: ["test", "2"])?.number ?? 0
    let testRows3 = sm.values["rows"]?.value(at: ["test", "3"])?.number ?? 0
    #expect(testRows2 > 0)
    #expect(testRows3 >= testRows2)
    for f in ["samples.json", "synthetic_train_2.csv", "synthetic_test_3.csv", "synthetic_test_flow_counts.csv"] {
      #expect(p.read("results/00-data/samples/\(f)") != nil, "missing \(f)")
    }
    let header = p.read("results/00-data/samples/synthetic_test_2.csv")?.split(separator: "\n").first ?? ""
    #expect(header.contains("ip.len"))

    // forest.grid: the best point lies in the grid, scores are percentages, W has one row per class.
    let fg = try p.output(first, "01-model/forest")
    #expect([2, 4].contains(fg.values["trees"]?.number.map(Int.init) ?? 0))
    #expect([2, 3].contains(fg.values["n"]?.number.map(Int.init) ?? 0))
    let macro = fg.values["macroF1FL"]?.number ?? -1
    #expect(macro > 0 && macro <= 100)
    let w = p.read("results/01-model/forest/importance_weights.csv") ?? ""
    #expect(w.split(separator: "\n").count == 5)
    #expect(Set(fg.figures.map(\.id)).isSuperset(of: ["fig-f1-per-class", "fig-pcfi-heatmap"]))
    #expect(fg.tables.contains { $0.id == "resources" && $0.rows.contains { $0[0] == "fits one Tofino-1" } })
    // The default (reference) feature set has means a switch cannot compute: no program, and why.
    #expect(
      fg.tables.first { $0.id == "resources" }?.rows.contains {
        $0[0] == "P4 program (bmv2)" && $0[1].hasPrefix("none:")
      } == true)
    // Over computable features the forest is written as one switch's program for both targets.
    let cf = try p.output(first, "01-model/computable")
    for target in ["bmv2", "tofino"] {
      let program = p.read("results/01-model/computable/p4/unconstrained/\(target)/unconstrained.p4") ?? ""
      #expect(
        program.contains("table code_0"),
        "no \(target) program: \(cf.tables.first { $0.id == "resources" }?.rows ?? [])")
      #expect(
        cf.tables.first { $0.id == "resources" }?.rows.contains {
          $0 == ["P4 program (\(target))", "p4/unconstrained/\(target)/"]
        } == true)
    }
    for f in ["best_model.json", "score_per_class.csv", "synthetic_models_2pkts.csv"] {
      #expect(p.read("results/01-model/forest/\(f)") != nil, "missing \(f)")
    }

    // partition: m = 4 ≤ 16, so exact runs; exact is never below greedy. Greedy may keep all four
    // singletons (a degenerate level), so 1 ≤ k ≤ m.
    let pt = try p.output(first, "01-model/partition")
    let blocks = pt.values["blocks"]?.number ?? 0
    #expect(blocks >= 1 && blocks <= 4)
    #expect(pt.figures.map(\.id) == ["fig-spp-gain", "fig-spp-methods"])
    let greedy = pt.metrics.first { $0.name == "totalGain" }?.value ?? .nan
    let exact = pt.metrics.first { $0.name == "exactTotalGain" }?.value ?? .nan
    #expect(exact >= greedy - 1e-12)
    #expect(p.read("results/01-model/partition/partition.csv")?.hasPrefix("Cluster,Class List,Feature List") == true)

    // Every element id on the pages is unique (figure element vs the chart's own ids).
    for page in ["results/00-data.html", "results/01-model.html"] {
      let text = try #require(p.read(page))
      let ids = text.components(separatedBy: " id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
      #expect(!ids.isEmpty)
      #expect(Set(ids).count == ids.count, "duplicate ids on \(page)")
    }

    // Nothing changed: nothing runs.
    let second = try p.run()
    #expect(second.executed.isEmpty)
  }

  @Test func badArgumentsAreLocated() throws {
    let p = try StepsProject(
      [
        "00-x.md": """
        # X

        ```dune forest.grid
        samples: missing/samples.json
        useCase: synthetic
        ```
        """
      ])
    defer { p.remove() }
    // The planner checks declared input files before anything runs and names the argument's line.
    do {
      _ = try p.run()
      Issue.record("a missing samples anchor must fail")
    } catch {
      #expect("\(error)".contains("chapters/00-x.md:4"))
      #expect("\(error)".contains("missing/samples.json"))
    }
  }
}
