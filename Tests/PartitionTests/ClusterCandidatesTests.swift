import DUNESupport
import Forest
import Testing

@testable import Partition

/// `candidates.csv`: every grid point of every cluster, read back to the very same doubles, and the
/// selection rule on candidates agreeing with the one on grid rows.
@Suite struct ClusterCandidatesTests {
  static func table(_ text: String) throws -> CSVTable {
    try CSVTable.parse(CSVReader(bytes: Array(text.utf8), path: "candidates.csv"))
  }

  @Test func roundTripsTheGridOfARun() throws {
    let data = try ClusterAnalysisDriverTests.data()
    let result = try ClusterAnalysis.run(
      data: data, clusters: ClusterAnalysisDriverTests.clusters, settings: ClusterAnalysisDriverTests.settings())
    let clusters = result.clusters.map {
      ClusterCandidatesFile.Cluster(classes: $0.definition.classes, candidates: $0.rows.map(ClusterCandidate.init))
    }
    let text = ClusterCandidatesFile.csv(clusters)
    #expect(text.hasPrefix("cluster,classes,n,trees,leaf_budget,max_leaves,features,macro_f1_fl,tcam\n"))
    let back = try ClusterCandidatesFile.parse(Self.table(text))
    #expect(back == clusters)
    // The best candidate by the rule on candidates is the analysis's selection.
    for (c, r) in zip(back, result.clusters) {
      let best = c.candidates.sorted(by: ClusterSelection.isBetter).first
      #expect(best == ClusterCandidate(r.selected))
    }
  }

  @Test func oddFractionsSurviveExactly() throws {
    let c = ClusterCandidate(
      n: 3, trees: 2, leafBudget: 41, features: ["ip.len", "a,b"], maxLeaves: 40, macroF1: 1.0 / 3, tcam: 7.0 / 288)
    let file = [ClusterCandidatesFile.Cluster(classes: ["x", "y"], candidates: [c, c])]
    #expect(try ClusterCandidatesFile.parse(Self.table(ClusterCandidatesFile.csv(file))) == file)
  }

  @Test func badLinesNameTheirPlace() throws {
    let header = "cluster,classes,n,trees,leaf_budget,max_leaves,features,macro_f1_fl,tcam\n"
    let bad = header + "0,['a'],2,x,4,3,['f'],0.5,0.01\n"
    do {
      _ = try ClusterCandidatesFile.parse(Self.table(bad))
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect("\(e)".contains("candidates.csv:2"))
      #expect("\(e)".contains("'trees' must be an integer"))
    }
    let outOfOrder = header + "1,['a'],2,1,4,3,['f'],0.5,0.01\n"
    #expect(throws: LocatedError.self) { try ClusterCandidatesFile.parse(Self.table(outOfOrder)) }
  }
}
