import Foundation
import Testing

/// End-to-end tests of `dune clusters` on tiny two-N sample files and a use-case JSON.
@Suite struct ClustersCLITests {
  /// Writes `tiny_{train,test}_{2,3}.csv`, the flow counts, `tiny.json` and a 2-block partition.
  /// Classes a/b/c differ by packet length; flows have L = 3 or 4 packets.
  static func writeFixture(to dir: URL) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let header = ForestCLITests.header
    for split in ["train", "test"] {
      var tables: [Int: [String]] = [2: [], 3: []]
      var counts = ["File,Flow ID,packet_count,Label"]
      let flows = split == "train" ? 24 : 12
      for i in 0..<flows {
        let label = ["a", "b", "c"][i % 3]
        let l = 3 + i % 2
        let len = [60, 500, 1200][i % 3] + i
        let id = "10.0.\(i).1 10.0.0.200 \(1000 + i) 80 6"
        func packet(_ k: Int) -> [String] {
          [String(len + k), "64", "0", "1", "0", "0", "0", "0", "6", String(1000 + i), "80", "20", "512", "5", "0"]
        }
        let minusOnes = Array(repeating: "-1", count: 17)
        for n in [2, 3] {
          var rows: [String] = []
          for k in 1..<n where k <= l {
            rows.append(([id] + packet(k) + minusOnes + [label, "f.pcap"]).joined(separator: ","))
          }
          let flowCols = [
            String(len), String(len + n), String(len), String(n * len), "0", "0", String(n), "1000", "1000", "1000",
            String(1000 * n), "0", String(n), "0", "0", "0", "0",
          ]
          rows.append(([id] + packet(n) + flowCols + [label, "f.pcap"]).joined(separator: ","))
          tables[n]!.append(contentsOf: rows)
        }
        counts.append("f.pcap,\(id),\(l),\(label)")
      }
      for n in [2, 3] {
        let text = ([header.joined(separator: ",")] + tables[n]!).joined(separator: "\n") + "\n"
        try text.write(to: dir.appendingPathComponent("tiny_\(split)_\(n).csv"), atomically: true, encoding: .utf8)
      }
      try (counts.joined(separator: "\n") + "\n").write(
        to: dir.appendingPathComponent("tiny_\(split)_flow_counts.csv"), atomically: true, encoding: .utf8)
    }
    let useCase = """
      {"name": "tiny", "classes": ["a", "b", "c"], "featureSets": {"cluster": "easy", "unconstrained": "all"},
       "labelling": {"scheme": "directory", "deviceMACFile": "macs.txt"},
       "split": {"rule": "indexModulo", "modulus": 4, "testRemainders": [3], "perFolder": true},
       "spp": {"nClasses": 3, "nFeatures": 15}}
      """
    try useCase.write(to: dir.appendingPathComponent("tiny.json"), atomically: true, encoding: .utf8)
    let spp = "Cluster,Class List,Feature List\n0,\"['a', 'c']\",\"['ip.len', 'srcport']\"\n1,['b'],['ip.len']\n"
    try spp.write(to: dir.appendingPathComponent("spp.csv"), atomically: true, encoding: .utf8)
  }

  static func tempDir() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("dune-clusters-\(UUID().uuidString)")
  }

  @Test func clustersEndToEndFeedsSequence() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.writeFixture(to: dir)
    let out = dir.appendingPathComponent("out")
    let args = [
      "clusters", "--samples", dir.path, "--use-case", dir.appendingPathComponent("tiny.json").path,
      "--partition", dir.appendingPathComponent("spp.csv").path, "--trees", "1,3", "--leaves", "3,6", "--n", "2,3",
      "--subsets", "1,2", "--order", "1,0", "--threads", "1", "--out", out.path, "--json",
    ]
    let r = try ForestCLITests.run(args)
    #expect(r.status == 0, "\(r.err)")
    let doc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    let clusters = doc?["clusters"] as? [[String: Any]]
    #expect(clusters?.count == 2)
    #expect(clusters?.allSatisfy { ($0["refitAgrees"] as? Bool) == true } == true)
    #expect((clusters?.first?["classes"] as? [String]) == ["a", "c"])
    let chained = doc?["chained"] as? [String: Any]
    #expect((chained?["order"] as? [Int]) == [1, 0])
    #expect((chained?["alignedFlows"] as? Int) == 12)
    #expect((chained?["unalignedFlows"] as? Int) == 0)
    for name in [
      "cluster_info.csv", "score_per_cluster_per_class.csv", "cm_matrix_cluster.csv", "cluster_f1.csv",
      "cluster_summary.json",
      "cluster_0.json", "cluster_1.json", "tiny_models_2pkts_Cluster0.csv", "tiny_models_3pkts_Cluster1.csv",
    ] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
    }
    let info = try String(contentsOf: out.appendingPathComponent("cluster_info.csv"), encoding: .utf8)
    #expect(info.hasPrefix("Cluster,Class List,SPP Feature List,Model Feature List,Depth,Tree,Feats,N_Leaves,N,"))
    let grid = try String(contentsOf: out.appendingPathComponent("tiny_models_2pkts_Cluster0.csv"), encoding: .utf8)
    #expect(grid.split(separator: "\n").count == 1 + 2 * 2 * 2)
    // The FP matrix and F1 file are what `dune sequence` reads.
    let seq = try ForestCLITests.run([
      "sequence", "--fp", out.appendingPathComponent("cm_matrix_cluster.csv").path, "--f1",
      out.appendingPathComponent("cluster_f1.csv").path, "--json",
    ])
    #expect(seq.status == 0, "\(seq.err)")
    // Same inputs → byte-identical summary.
    let again = try ForestCLITests.run(args)
    #expect(again.out == r.out)
  }

  @Test func badPartitionIsALocatedError() throws {
    let dir = Self.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.writeFixture(to: dir)
    let bad = dir.appendingPathComponent("bad.csv")
    try "Cluster,Class List,Feature List\n0,\"['a', \",[]\n".write(to: bad, atomically: true, encoding: .utf8)
    let r = try ForestCLITests.run([
      "clusters", "--samples", dir.path, "--use-case", dir.appendingPathComponent("tiny.json").path, "--partition",
      bad.path,
      "--n", "2",
    ])
    #expect(r.status == 1)
    #expect(r.err.contains("bad.csv:2:2: error"))
    let wrongN = try ForestCLITests.run([
      "clusters", "--samples", dir.path, "--use-case", dir.appendingPathComponent("tiny.json").path, "--partition",
      dir.appendingPathComponent("spp.csv").path, "--n", "5",
    ])
    #expect(wrongN.status == 1)
    #expect(wrongN.err.contains("tiny_train_5.csv"))
  }
}

/// `dune dataplane monolithic` (chapter 06's baseline grid) on the tiny cluster fixture.
@Suite struct MonolithicCLITests {
  @Test func gridWritesEveryCandidateAndTheSelectedForest() throws {
    let dir = ClustersCLITests.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try ClustersCLITests.writeFixture(to: dir)
    let out = dir.appendingPathComponent("out")
    let args = [
      "dataplane", "monolithic", "--samples", dir.path, "--use-case", dir.appendingPathComponent("tiny.json").path,
      "--n", "2,3", "--trees", "1", "--leaves", "3,6", "--subsets", "1,2", "--time-shift", "16", "--out", out.path,
    ]
    let r = try ForestCLITests.run(args)
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("8 candidates, 8 fit 288 TCAM blocks"), "\(r.out)")
    #expect(r.out.contains("selected: N = "), "\(r.out)")
    let grid = try String(contentsOf: out.appendingPathComponent("monolithic_grid.csv"), encoding: .utf8)
    let lines = grid.split(separator: "\n")
    #expect(lines.first == "n,features,trees,leaf_budget,macro_f1_fl,tcam_blocks,fits")
    #expect(lines.count == 1 + 2 * 2 * 2)
    // The selected forest is a model file `dune dataplane compile` accepts.
    let model = out.appendingPathComponent("monolithic.json").path
    let c = try ForestCLITests.run(["dataplane", "compile", "--model", model, "--n", "2", "--out", out.path])
    #expect(c.status == 0, "\(c.err)")
    // A zero budget: every candidate listed as not fitting, exit status 1.
    let none = try ForestCLITests.run(args.dropLast(2) + ["--tcam-blocks", "0"])
    #expect(none.status == 1)
    #expect(none.out.contains("no candidate fits the budget"))
  }
}
