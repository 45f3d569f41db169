import DUNESupport
import Forest
import Traffic

/// Random, structurally valid sub-models for benchmarks: trees grown to a given leaf count with
/// thresholds next to values observed in the traffic (so lookups exercise many rows and leaves).
public enum SyntheticChain {
  /// Feature values a switch would see for `features`, gathered from the packets (flow features
  /// approximated from packet lengths and small counts).
  public static func valuePools(features: [String], packets: [Packet], limit: Int = 4096) -> [[Double]] {
    let sample = packets.prefix(limit)
    return features.map { name -> [Double] in
      let lens = sample.map { Double($0.ipLength) }
      switch name {
      case "Max Packet Length", "Min Packet Length": return lens
      case "Packet Length Total": return lens.map { $0 * 2.5 }
      case "SYN Flag Count", "ACK Flag Count", "PSH Flag Count", "FIN Flag Count", "RST Flag Count", "ECE Flag Count":
        return [0, 1, 2, 3]
      default:
        if let f = PacketField(rawValue: name) { return sample.map { Double(f.value($0)) } }
        return [0, 1, 10, 100, 1000]
      }
    }
  }

  /// A random tree with exactly `leaves` leaves (splitting random leaves), class counts at leaves.
  public static func tree(
    leaves: Int, features: Int, classCount: Int, pools: [[Double]], rng: inout SplitMix64
  ) -> DecisionTree {
    // Grow as an explicit node list, then renumber in pre-order so child ids exceed parents.
    var feat: [Int] = [-2]
    var th: [Double] = [-2]
    var left: [Int] = [-1]
    var right: [Int] = [-1]
    var open = [0]
    while open.count < leaves {
      let pick = Int.random(in: 0..<open.count, using: &rng)
      let v = open.remove(at: pick)
      let f = Int.random(in: 0..<features, using: &rng)
      let pool = pools[f]
      feat[v] = f
      th[v] = (pool.randomElement(using: &rng) ?? 0) + 0.5
      for _ in 0..<2 {
        feat.append(-2)
        th.append(-2)
        left.append(-1)
        right.append(-1)
      }
      left[v] = feat.count - 2
      right[v] = feat.count - 1
      open += [feat.count - 2, feat.count - 1]
    }
    var order: [Int] = []
    var stack = [0]
    while let v = stack.popLast() {
      order.append(v)
      if left[v] >= 0 { stack += [right[v], left[v]] }
    }
    var newID = [Int](repeating: 0, count: feat.count)
    for (i, v) in order.enumerated() { newID[v] = i }
    let n = order.count
    var value = [Double](repeating: 0, count: n * classCount)
    var splitFeature = [Int32](repeating: -2, count: n)
    var splitThreshold = [Double](repeating: -2, count: n)
    var leftChild = [Int32](repeating: -1, count: n)
    var rightChild = [Int32](repeating: -1, count: n)
    for v in order {
      let i = newID[v]
      if left[v] >= 0 {
        splitFeature[i] = Int32(feat[v])
        splitThreshold[i] = th[v]
        leftChild[i] = Int32(newID[left[v]])
        rightChild[i] = Int32(newID[right[v]])
      } else {
        value[i * classCount + Int.random(in: 0..<classCount, using: &rng)] = 1
      }
    }
    for i in (0..<n).reversed() where leftChild[i] >= 0 {
      for c in 0..<classCount {
        value[i * classCount + c] =
          value[Int(leftChild[i]) * classCount + c] + value[Int(rightChild[i]) * classCount + c]
      }
    }
    let ws = (0..<n).map { i in (0..<classCount).reduce(0.0) { $0 + value[i * classCount + $1] } }
    return DecisionTree(
      feature: splitFeature, threshold: splitThreshold, left: leftChild, right: rightChild, weightedSamples: ws,
      impurity: [Double](repeating: 0, count: n),
      value: value, classCount: classCount)
  }

  /// A random sub-model owning `classes` (+ `Other`).
  public static func subModel(
    classes: [String], features: [String], trees: Int, leaves: Int, pools: [[Double]], seed: UInt64
  ) -> ForestModel {
    var rng = SplitMix64(seed: seed)
    let all = classes + [TableCompiler.otherClassName]
    return ForestModel(
      classes: all, features: features,
      trees: (0..<trees).map { _ in
        tree(leaves: leaves, features: features.count, classCount: all.count, pools: pools, rng: &rng)
      })
  }
}
