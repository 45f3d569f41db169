import DUNESupport
import Forest
import Testing

@testable import Partition

@Suite struct ClusterAnalysisLabellingTests {
  let useCase = ["a", "b", "c", "d", "e"]

  @Test func classOrderIsClassListThenOther() throws {
    let l = try ClusterLabelling(clusterClasses: ["d", "b"], useCaseClasses: useCase)
    #expect(l.classes == ["d", "b", "Other"])
    #expect(l.otherIndex == 2)
    #expect(l.globalOfLocal == [3, 1])
    #expect(l.localOfGlobal == [2, 1, 2, 0, 2])
    #expect(l.global(0) == 3)
    #expect(l.global(2) == nil)
  }

  @Test func relabelKeepsEveryRowAndItsWeights() throws {
    let l = try ClusterLabelling(clusterClasses: ["c"], useCaseClasses: useCase)
    let set = LabelledSet(
      matrix: FeatureMatrix(columns: [[1, 2, 3, 4, 5]]), labels: [0, 1, 2, 3, 4], weights: [0.1, 0.2, 0.3, 0.4, 0.5],
      counts: [1, 2, 3, 4, 5])
    let r = l.relabel(set)
    #expect(r.labels == [1, 1, 0, 1, 1])
    #expect(r.weights == set.weights)
    #expect(r.counts == set.counts)
    #expect(r.matrix == set.matrix)
  }

  @Test func unknownOrReservedClassIsAnError() {
    #expect(throws: ClusterAnalysisError.self) { try ClusterLabelling(clusterClasses: ["z"], useCaseClasses: useCase) }
    #expect(throws: ClusterAnalysisError.self) {
      try ClusterLabelling(clusterClasses: ["Other"], useCaseClasses: useCase + ["Other"])
    }
  }

  @Test func partitionFileRoundTripsWithQuotesAndEscapes() throws {
    let clusters = [
      ClusterDefinition(id: 0, classes: ["it's", "plain"], sppFeatures: ["ip.len", "Flow IAT Max"]),
      ClusterDefinition(id: 1, classes: ["back\\slash", "tab\tx"], sppFeatures: []),
    ]
    let text = ClusterPartitionFile.csv(clusters)
    let parsed = try ClusterPartitionFile.parse(CSVTable.parse(CSVReader(bytes: Array(text.utf8), path: "p.csv")))
    #expect(parsed == clusters)
  }

  @Test func partitionFileErrorsAreLocated() throws {
    func parse(_ text: String) throws -> [ClusterDefinition] {
      try ClusterPartitionFile.parse(CSVTable.parse(CSVReader(bytes: Array(text.utf8), path: "p.csv")))
    }
    let badList = "Cluster,Class List,Feature List\n0,\"['a', 'b'\",[]\n"
    #expect { try parse(badList) } throws: { e in
      guard let l = e as? LocatedError else { return false }
      return l.file == "p.csv" && l.description.contains(":2:2:")
    }
    let duplicate = "Cluster,Class List,Feature List\n0,['a'],[]\n1,['a'],[]\n"
    #expect(throws: LocatedError.self) { try parse(duplicate) }
    let gap = "Cluster,Class List,Feature List\n1,['a'],[]\n"
    #expect(throws: LocatedError.self) { try parse(gap) }
  }

  @Test func selectingRowsKeepsColumnMajorLayout() {
    let set = LabelledSet(
      matrix: FeatureMatrix(columns: [[1, 2, 3], [10, 20, 30]]), labels: [0, 1, 2], weights: [0.5, 0.25, 1],
      counts: [1, 2, 3])
    let s = set.selectingRows([2, 0])
    #expect(s.matrix.values == [3, 1, 30, 10])
    #expect(s.labels == [2, 0])
    #expect(s.weights == [1, 0.5])
    #expect(s.counts == [3, 1])
  }
}
