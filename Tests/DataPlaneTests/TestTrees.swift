import DUNESupport
import DataPlane
import Forest

/// A tree node description for hand-built test trees.
indirect enum Node {
  case split(feature: Int, threshold: Double, left: Node, right: Node)
  /// A leaf with weighted class counts.
  case leaf([Double])
}

/// Builds a `DecisionTree` from a node description, numbering nodes in pre-order.
func makeTree(_ root: Node, classCount: Int) -> DecisionTree {
  var feature: [Int32] = []
  var threshold: [Double] = []
  var left: [Int32] = []
  var right: [Int32] = []
  var value: [Double] = []
  func add(_ n: Node) -> Int {
    let id = feature.count
    feature.append(-2)
    threshold.append(-2)
    left.append(-1)
    right.append(-1)
    value.append(contentsOf: [Double](repeating: 0, count: classCount))
    switch n {
    case .leaf(let counts):
      for c in 0..<classCount { value[id * classCount + c] = counts[c] }
    case .split(let f, let th, let l, let r):
      feature[id] = Int32(f)
      threshold[id] = th
      let li = add(l)
      let ri = add(r)
      left[id] = Int32(li)
      right[id] = Int32(ri)
      for c in 0..<classCount { value[id * classCount + c] = value[li * classCount + c] + value[ri * classCount + c] }
    }
    return id
  }
  _ = add(root)
  let n = feature.count
  let ws = (0..<n).map { v in (0..<classCount).reduce(0.0) { $0 + value[v * classCount + $1] } }
  return DecisionTree(
    feature: feature, threshold: threshold, left: left, right: right, weightedSamples: ws,
    impurity: [Double](repeating: 0, count: n), value: value, classCount: classCount)
}

/// A one-hot leaf for class index `c` of `k` classes.
func leaf(_ c: Int, of k: Int, weight: Double = 1) -> Node {
  var v = [Double](repeating: 0, count: k)
  v[c] = weight
  return .leaf(v)
}

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

/// Random valid forests over a fixed mixed feature list, for property tests.
struct RandomForestGenerator {
  var rng: SplitMix64
  let features: [String]
  let encodings: [FeatureEncoding]
  let classCount: Int
  /// Optional observed values per feature: thresholds are then mostly drawn next to them.
  var pools: [[Double]]? = nil

  init(seed: UInt64, features: [String], classCount: Int, scheme: EncodingScheme = .canonical) throws {
    rng = SplitMix64(seed: seed)
    self.features = features
    self.encodings = try scheme.encodings(for: features)
    self.classCount = classCount
  }

  /// A random threshold for feature `f`: mostly half-integers and integers inside the raw domain,
  /// sometimes outside it (constant splits), −0.5 / −1.5 for flow features.
  mutating func threshold(_ f: Int) -> Double {
    let e = encodings[f]
    let rawMax = Double(e.maxValue - e.delta)
    if let pools, !pools[f].isEmpty, Int.random(in: 0..<10, using: &rng) < 8 {
      return pools[f].randomElement(using: &rng)! + [0.5, 0, -0.5][Int.random(in: 0..<3, using: &rng)]
    }
    switch Int.random(in: 0..<20, using: &rng) {
    case 0: return -0.5
    case 1: return -1.5
    case 2: return rawMax + 3.5
    case 3: return rawMax - 0.5
    case 4: return 0.5
    default:
      let v = Double(Int64.random(in: 0...Int64(rawMax), using: &rng))
      return [v + 0.5, v, v - 0.5, v + 0.25][Int.random(in: 0..<4, using: &rng)]
    }
  }

  mutating func node(depth: Int, maxDepth: Int) -> Node {
    if depth == maxDepth || (depth > 0 && Int.random(in: 0..<4, using: &rng) == 0) {
      var v = (0..<classCount).map { _ in Double(Int.random(in: 0...3, using: &rng)) }
      if Int.random(in: 0..<3, using: &rng) == 0 {
        v = [Double](repeating: 0, count: classCount)
        v[Int.random(in: 0..<classCount, using: &rng)] = 1
      }
      if v.allSatisfy({ $0 == 0 }) { v[0] = 1 }
      return .leaf(v)
    }
    let f = Int.random(in: 0..<features.count, using: &rng)
    return .split(
      feature: f, threshold: threshold(f), left: node(depth: depth + 1, maxDepth: maxDepth),
      right: node(depth: depth + 1, maxDepth: maxDepth))
  }

  mutating func forest(trees: Int, maxDepth: Int) -> ForestModel {
    let classes = (0..<classCount).map { $0 == classCount - 1 ? "Other" : "c\($0)" }
    return ForestModel(
      classes: classes, features: features,
      trees: (0..<trees).map { _ in makeTree(node(depth: 0, maxDepth: maxDepth), classCount: classCount) })
  }

  /// A random raw (training-representation) input that does not saturate: −1 for flow features
  /// sometimes, boundary values around the model's thresholds, 0, the largest non-saturating value.
  mutating func input(for model: ForestModel) -> [Double] {
    features.indices.map { f in
      let e = encodings[f]
      let rawMax = e.maxValue - e.delta
      if e.kind == .flowLevel && Int.random(in: 0..<5, using: &rng) == 0 { return -1 }
      switch Int.random(in: 0..<6, using: &rng) {
      case 0: return 0
      case 1: return Double(rawMax)
      case 2, 3:
        // Around a threshold on this feature, if any.
        let ths = model.trees.flatMap { t in
          t.feature.indices.filter { Int(t.feature[$0]) == f }.map { t.threshold[$0] }
        }
        guard let th = ths.randomElement(using: &rng) else { return 0 }
        let v = Int64(th.rounded(.down)) + Int64.random(in: -1...1, using: &rng)
        return Double(min(max(v, 0), rawMax))
      default: return Double(Int64.random(in: 0...rawMax, using: &rng))
      }
    }
  }
}
