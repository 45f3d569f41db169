import DataPlane
import Forest
import Foundation
import Testing

/// The RF → table toy of `dune-reference.md` §12.5 as a golden vector.
@Suite struct ToyGoldenTests {
  let compiled: CompiledSubModel

  init() throws {
    compiled = try TableCompiler.compile(toyModel(), options: CompileOptions(name: "toy", inferencePoint: 1))
  }

  @Test func lenFeatureTableRows() throws {
    let len = try #require(compiled.featureTables.first { $0.featureName == "ip.len" })
    #expect(len.keyWidth == 16)
    #expect(len.rows.map { [$0.low, $0.high] } == [[0, 90], [91, 150], [151, 65535]])
    #expect(len.slices.map(\.tree) == [0, 1])
    #expect(len.slices[0].splits.map(\.node) == [1, 4])
    #expect(len.slices[1].splits.map(\.node) == [1, 2])
    #expect(len.rows.map { $0.codes.map(\.binary) } == [["00", "00"], ["10", "10"], ["11", "11"]])
  }

  @Test func ttlFeatureTableRows() throws {
    let ttl = try #require(compiled.featureTables.first { $0.featureName == "ip.ttl" })
    #expect(ttl.keyWidth == 8)
    #expect(ttl.rows.map { [$0.low, $0.high] } == [[0, 96], [97, 255]])
    #expect(ttl.rows.map { $0.codes.map(\.binary) } == [["0", "0"], ["1", "1"]])
  }

  @Test func codewordOrders() {
    // tree 0 [node1, node4, node0], tree 1 [node1, node2, node0], most significant first.
    func order(_ t: Int) -> [Int] { compiled.codeTables[t].layout.flatMap { $0.splits.map(\.node) } }
    #expect(order(0) == [1, 4, 0])
    #expect(order(1) == [1, 2, 0])
    #expect(compiled.codeTables[0].layout.map(\.lsb) == [1, 0])
    #expect(compiled.codeTables.map(\.codewordWidth) == [3, 3])
  }

  @Test func codeTableValueMaskPairs() {
    func rows(_ t: Int) -> [String] {
      compiled.codeTables[t].entries.map { "\($0.leaf) \($0.value.binary)/\($0.mask.binary) \($0.localClass)" }
    }
    #expect(rows(0) == ["2 001/001 3", "3 000/101 1", "5 100/111 2", "6 110/111 2"])
    #expect(rows(1) == ["3 000/101 1", "4 100/101 2", "5 001/011 2", "6 011/011 3"])
    #expect(compiled.unreachableLeafCount == 0)
  }

  @Test func checkSampleLen100Ttl64() {
    var ev = TableLookupEvaluator(compiled)
    let trace = ev.trace(keys: [100, 64])
    #expect(trace.leaves == [5, 4])
    #expect(trace.treeClasses == [2, 2])
    #expect(trace.local == 2)
    let model = toyModel()
    let x: [Double] = [100, 64]
    #expect(model.trees[0].leaf { x[$0] } == 5)
    #expect(model.trees[1].leaf { x[$0] } == 4)
  }

  @Test func votingTableForTwoTreesThreeClasses() throws {
    let v = try #require(compiled.votingTable)
    // K = 3 labels, T = 2: only the 3 unanimous tuples have a unique plurality winner.
    #expect(v.entries.map { $0.votes + [$0.result] } == [[1, 1, 1], [2, 2, 2], [3, 3, 3]])
    #expect(v.defaultAction == .constant(0))  // no Other class: ties are unknown
    #expect(compiled.classMap.hasOther == false)
  }

  @Test func jsonRoundTripKeepsBitStrings() throws {
    let data = try JSONEncoder().encode(compiled)
    let back = try JSONDecoder().decode(CompiledSubModel.self, from: data)
    #expect(back == compiled)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"110\""))
    #expect(text.contains(#"{"class":0,"kind":"constant"}"#) || text.contains(#"{"kind":"constant","class":0}"#))
  }
}
