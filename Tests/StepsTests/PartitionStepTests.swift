import DUNESupport
import Foundation
import Literate
import LiterateRuntime
import Steps
import Testing

/// The partition step on the paper's inputs reproduces the published greedy solutions (spec §12.1–12.2).
@Suite struct PartitionStepTests {
  static func chapter(reference: String) -> String {
    """
    # SPP

    ```dune partition
    #| id: unsw
    weights: \(reference)/importance_weights.csv
    scores: \(reference)/score_per_class.csv
    classes: 24
    features: 15
    unwanted: [Blipcare Blood Pressure meter, IPhone]
    figureSuffix: unsw
    ```

    ```dune partition
    #| id: ton
    weights: \(reference)/importance_weights_ToN-IoT.csv
    scores: \(reference)/ToN-IoT_score_per_class.csv
    classes: 7
    features: 15
    unwanted: [mitm, dos, backdoor]
    compare: true
    seed: 42
    figureSuffix: ton
    ```

    ```dune check
    expect:
      - value: ${step.unsw.blocks}
        equals: 7
      - value: ${step.unsw.totalGain}
        approx: 0.94222
        tol: 1e-5
      - value: ${step.ton.blocks}
        equals: 4
      - value: ${step.ton.totalGain}
        approx: 0.35271
        tol: 1e-5
    ```
    """
  }

  @Test func reproducesThePublishedPartitions() throws {
    let p = try StepsProject(["00-spp.md": Self.chapter(reference: referenceFolder.path)])
    defer { p.remove() }
    let s = try p.run()
    #expect(s.failure == nil, "\(String(describing: s.failure))")
    let unsw = try p.output(s, "00-spp/unsw")
    #expect(unsw.values["blocks"] == .int(7))
    #expect(abs((unsw.values["totalGain"]?.number ?? 0) - 0.94222) < 1e-5)
    #expect(unsw.figures.map(\.id) == ["fig-spp-gain-unsw"])
    let ton = try p.output(s, "00-spp/ton")
    #expect(ton.values["blocks"] == .int(4))
    #expect(ton.figures.map(\.id) == ["fig-spp-gain-ton", "fig-spp-methods-ton"])
    guard case .array(let blocks)? = ton.values["classes"] else {
      Issue.record("classes missing")
      return
    }
    #expect(blocks.count == 4)
    // One header line plus one line per block.
    let csv = p.read("results/00-spp/ton/partition.csv") ?? ""
    #expect(csv.split(separator: "\n").count == 5)
    let exact = ton.metrics.first { $0.name == "exactTotalGain" }?.value ?? .nan
    #expect(exact >= 0.35271 - 1e-5)
  }

  @Test func rejectsAnUnknownMethodAtItsLine() throws {
    let p = try StepsProject([
      "00-x.md": """
      # X

      ```dune partition
      weights: \(referenceFolder.path)/importance_weights_ToN-IoT.csv
      scores: \(referenceFolder.path)/ToN-IoT_score_per_class.csv
      classes: 7
      unwanted: [mitm, dos, backdoor]
      method: simulated-annealing
      ```
      """
    ])
    defer { p.remove() }
    let s = try p.run()
    let failure = try #require(s.failure)
    #expect("\(failure)".contains("00-x.md:8"))
    #expect("\(failure)".contains("simulated-annealing"))
  }
}
