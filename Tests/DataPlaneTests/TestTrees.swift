import DUNESupport
import DataPlane
import Forest

/// The toy of `dune-reference.md` §12.5 with the node ids of the spec (not pre-order).
func toyModel() -> ForestModel {
  // Tree 0: 0 ttl≤96 → (1, leaf 2); 1 len≤90 → (leaf 3, 4); 4 len≤150 → (leaf 5, leaf 6).
  // Leaf classes (argmax + 1): 2 → 3, 3 → 1, 5 → 2, 6 → 2.
  func oneHot(_ local: Int) -> [Double] { (1...3).map { $0 == local ? 5.0 : 1.0 } }
  let t0Value = [
    [0, 0, 0], [0, 0, 0], oneHot(3), oneHot(1), [0, 0, 0], oneHot(2), oneHot(2),
  ].flatMap { $0 }
  let t0 = DecisionTree(
    feature: [1, 0, -2, -2, 0, -2, -2], threshold: [96.5, 90.5, -2, -2, 150.5, -2, -2],
    left: [1, 3, -1, -1, 5, -1, -1], right: [2, 4, -1, -1, 6, -1, -1],
    weightedSamples: [Double](repeating: 1, count: 7), impurity: [Double](repeating: 0, count: 7), value: t0Value,
    classCount: 3)
  // Tree 1: 0 ttl≤96 → (1, 2); 1 len≤90 → (3, 4); 2 len≤150 → (5, 6). Classes 3 → 1, 4 → 2, 5 → 2, 6 → 3.
  let t1Value = [[0, 0, 0], [0, 0, 0], [0, 0, 0], oneHot(1), oneHot(2), oneHot(2), oneHot(3)].flatMap { $0 }
  let t1 = DecisionTree(
    feature: [1, 0, 0, -2, -2, -2, -2], threshold: [96.5, 90.5, 150.5, -2, -2, -2, -2],
    left: [1, 3, 5, -1, -1, -1, -1], right: [2, 4, 6, -1, -1, -1, -1],
    weightedSamples: [Double](repeating: 1, count: 7), impurity: [Double](repeating: 0, count: 7), value: t1Value,
    classCount: 3)
  return ForestModel(classes: ["a", "b", "c"], features: ["ip.len", "ip.ttl"], trees: [t0, t1])
}
