import DUNESupport
import DataPlane
import Forest
import Traffic

// Hand-built and random decision forests for the table, emulator and P4 property tests.

/// A tree node description for hand-built test trees.
public indirect enum Node {
  case split(feature: Int, threshold: Double, left: Node, right: Node)
  /// A leaf with weighted class counts.
  case leaf([Double])
}

/// Builds a `DecisionTree` from a node description, numbering nodes in pre-order.
public func makeTree(_ root: Node, classCount: Int) -> DecisionTree {
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
public func leaf(_ c: Int, of k: Int, weight: Double = 1) -> Node {
  var v = [Double](repeating: 0, count: k)
  v[c] = weight
  return .leaf(v)
}

/// Random valid forests over a fixed mixed feature list, for property tests.
public struct RandomForestGenerator {
  public var rng: SplitMix64
  public let features: [String]
  public let encodings: [FeatureEncoding]
  public let classCount: Int
  /// Optional observed values per feature: thresholds are then mostly drawn next to them.
  public var pools: [[Double]]? = nil

  public init(seed: UInt64, features: [String], classCount: Int, scheme: EncodingScheme = .canonical) throws {
    rng = SplitMix64(seed: seed)
    self.features = features
    self.encodings = try scheme.encodings(for: features)
    self.classCount = classCount
  }

  /// A random threshold for feature `f`: mostly half-integers and integers inside the raw domain,
  /// sometimes outside it (constant splits), −0.5 / −1.5 for flow features.
  public mutating func threshold(_ f: Int) -> Double {
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

  public mutating func node(depth: Int, maxDepth: Int) -> Node {
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

  public mutating func forest(trees: Int, maxDepth: Int) -> ForestModel {
    let classes = (0..<classCount).map { $0 == classCount - 1 ? "Other" : "c\($0)" }
    return ForestModel(
      classes: classes, features: features,
      trees: (0..<trees).map { _ in makeTree(node(depth: 0, maxDepth: maxDepth), classCount: classCount) })
  }

  /// A random raw (training-representation) input that does not saturate: −1 for flow features
  /// sometimes, boundary values around the model's thresholds, 0, the largest non-saturating value.
  public mutating func input(for model: ForestModel) -> [Double] {
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

/// Deterministic random forests for property tests (pre-order node ids, every feature kind).
public struct RandomForests {
  public var rng: SplitMix64
  public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

  public mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

  /// A forest over `features` with `classes` classes (the last one `Other` when `withOther`).
  public mutating func forest(features: [String], classes: Int, trees: Int, maxDepth: Int, withOther: Bool)
    -> ForestModel
  {
    let widths = features.map { FeatureCatalog.bitWidth($0)! }
    let flow = features.map { FeatureCatalog.isFlowLevel($0) }
    var out: [DecisionTree] = []
    for _ in 0..<trees {
      var feature: [Int32] = []
      var threshold: [Double] = []
      var left: [Int32] = []
      var right: [Int32] = []
      var value: [Double] = []
      func grow(_ depth: Int) -> Int {
        let id = feature.count
        feature.append(-2)
        threshold.append(-2)
        left.append(-1)
        right.append(-1)
        value.append(contentsOf: [Double](repeating: 0, count: classes))
        if depth < maxDepth && (depth == 0 || int(0...3) > 0) {
          let f = int(0...(features.count - 1))
          let maxV = min((1 << widths[f]) - 1, 2000)
          // Thresholds at .5 like scikit-learn; flow features also split the −1 "unavailable" value.
          let low = flow[f] ? -1 : 0
          feature[id] = Int32(f)
          threshold[id] = Double(int(low...maxV)) + 0.5
          let l = grow(depth + 1)
          let r = grow(depth + 1)
          left[id] = Int32(l)
          right[id] = Int32(r)
          for c in 0..<classes { value[id * classes + c] = value[l * classes + c] + value[r * classes + c] }
        } else {
          for c in 0..<classes { value[id * classes + c] = Double(int(0...9)) }
          value[id * classes + int(0...(classes - 1))] += 10
        }
        return id
      }
      _ = grow(0)
      let n = feature.count
      out.append(
        DecisionTree(
          feature: feature, threshold: threshold, left: left, right: right,
          weightedSamples: Array(repeating: 1, count: n),
          impurity: Array(repeating: 0, count: n), value: value, classCount: classes))
    }
    var names = (0..<classes).map { "c\($0)" }
    if withOther { names[classes - 1] = "Other" }
    return ForestModel(classes: names, features: features, trees: out)
  }
}
