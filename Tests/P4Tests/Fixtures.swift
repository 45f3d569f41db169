import DUNESupport
import DUNETestSupport
import DataPlane
import Forest
import Foundation
import Traffic

@testable import P4

/// The toy forest of `dune-reference.md` §12.5 with the spec's node ids (features ip.len, ip.ttl).
func toyForest() -> ForestModel {
  // Weighted class counts: 5 for the leaf's class, 1 for the others (argmax + 1 = the spec's class).
  func leaf(_ local: Int) -> [Double] { (1...3).map { $0 == local ? 5.0 : 1.0 } }
  let inner = [0.0, 0.0, 0.0]
  let t0 = DecisionTree(
    feature: [1, 0, -2, -2, 0, -2, -2], threshold: [96.5, 90.5, -2, -2, 150.5, -2, -2],
    left: [1, 3, -1, -1, 5, -1, -1], right: [2, 4, -1, -1, 6, -1, -1],
    weightedSamples: Array(repeating: 1, count: 7), impurity: Array(repeating: 0, count: 7),
    value: [inner, inner, leaf(3), leaf(1), inner, leaf(2), leaf(2)].flatMap { $0 }, classCount: 3)
  let t1 = DecisionTree(
    feature: [1, 0, 0, -2, -2, -2, -2], threshold: [96.5, 90.5, 150.5, -2, -2, -2, -2],
    left: [1, 3, 5, -1, -1, -1, -1], right: [2, 4, 6, -1, -1, -1, -1],
    weightedSamples: Array(repeating: 1, count: 7), impurity: Array(repeating: 0, count: 7),
    value: [inner, inner, inner, leaf(1), leaf(2), leaf(2), leaf(3)].flatMap { $0 }, classCount: 3)
  return ForestModel(classes: ["a", "b", "c"], features: ["ip.len", "ip.ttl"], trees: [t0, t1])
}

/// The toy compiled as chain position 1 with N = 3.
func toyCompiled() throws -> CompiledSubModel {
  try TableCompiler.compile(toyForest(), options: CompileOptions(name: "toy", modelID: 1, inferencePoint: 3))
}

/// Committed golden files of this test target (`DUNE_RECORD=1` re-records them).
let golden = GoldenFiles("Golden")

/// A one-tree model on packet and flow features (a quantised time feature included), chain
/// position 2 with offset 1 and N = 3: exercises every kind of per-flow register update.
func flowForest() -> ForestModel {
  // Pre-order: 0 MaxLen≤500.5 → (1, 6); 1 SYN≤0.5 → (2, 5); 2 ip.len≤60.5 → (leaf 3, leaf 4); leaf 5;
  // 6 IATMax≤3.5 → (leaf 7, 8); 8 IATMin≤1000.5 → (leaf 9, 10); 10 UDPMin≤-0.5 → (leaf 11, leaf 12).
  let f: [Int32] = [1, 2, 0, -2, -2, -2, 3, -2, 4, -2, 5, -2, -2]
  let th: [Double] = [500.5, 0.5, 60.5, -2, -2, -2, 3.5, -2, 1000.5, -2, -0.5, -2, -2]
  let l: [Int32] = [1, 2, 3, -1, -1, -1, 7, -1, 9, -1, 11, -1, -1]
  let r: [Int32] = [6, 5, 4, -1, -1, -1, 8, -1, 10, -1, 12, -1, -1]
  let leafClass: [Int: Int] = [3: 0, 4: 1, 5: 2, 7: 1, 9: 0, 11: 2, 12: 1]
  var value = [Double](repeating: 0, count: 13 * 3)
  for (leaf, c) in leafClass { value[leaf * 3 + c] = 4 }
  let t = DecisionTree(
    feature: f, threshold: th, left: l, right: r, weightedSamples: Array(repeating: 1, count: 13),
    impurity: Array(repeating: 0, count: 13), value: value, classCount: 3)
  return ForestModel(
    classes: ["x", "y", "Other"],
    features: ["ip.len", "Max Packet Length", "SYN Flag Count", "Flow IAT Max", "Flow IAT Min", "UDP Len Min"],
    trees: [t])
}

func flowCompiled() throws -> CompiledSubModel {
  // Both IAT features quantised (as the default scheme does): Tofino range keys are ≤ 20 bits.
  let scheme = EncodingScheme(timeQuantisation: TimeQuantisation(shifts: ["Flow IAT Max": 16, "Flow IAT Min": 16]))
  return try TableCompiler.compile(
    flowForest(), options: CompileOptions(name: "flow", modelID: 2, inferencePoint: 3, classOffset: 1, scheme: scheme))
}
