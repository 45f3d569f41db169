import DataPlane
import Forest
import Foundation
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

/// The repository root (…/Tests/P4Tests/Fixtures.swift → three levels up).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Committed golden files of this test target.
let goldenDir = repoRoot.appendingPathComponent("Tests/P4Tests/Golden")

/// Compares `text` with golden file `name`; `DUNE_RECORD=1` rewrites the file instead.
func checkGolden(_ text: String, _ name: String) throws -> Bool {
  let url = goldenDir.appendingPathComponent(name)
  if ProcessInfo.processInfo.environment["DUNE_RECORD"] == "1" {
    try FileManager.default.createDirectory(at: goldenDir, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return true
  }
  guard let data = FileManager.default.contents(atPath: url.path) else { return false }
  return String(decoding: data, as: UTF8.self) == text
}
