import DUNESupport
import Foundation

/// Grows one CART tree with scikit-learn's `BestSplitter` semantics on pre-ranked training data.
///
/// Per node: draw candidate features without replacement (Fisher–Yates; constant features do not
/// stop the search until at least one non-constant feature was examined, and features found
/// constant are handed to the children as known constants), sort the node's samples by each
/// candidate's code, sweep once to score every boundary between distinct values, keep the first
/// best (strict `>`), partition in place. Every random draw at a node comes from a generator seeded
/// by the node's path (`SeedDerivation`), so growth order cannot change the tree.
///
/// All scratch memory is allocated once per builder and reused for every node.
final class TreeBuilder {
  let data: TrainingData
  let params: ForestParameters
  let maxFeatures: Int
  let classCount: Int
  let n: Int
  let weights: UnsafeMutablePointer<Double>
  let labels: UnsafeMutablePointer<Int32>
  /// Each feature's codes (`data.columns`, read in place: the table outlives the builder).
  let columns: [UnsafeMutablePointer<UInt32>]
  let samples: UnsafeMutablePointer<Int32>
  let keys: UnsafeMutablePointer<UInt64>
  let sortTemp: UnsafeMutablePointer<UInt64>
  let leftCounts: UnsafeMutablePointer<Double>
  let bestLeft: UnsafeMutablePointer<Double>
  let nodeCounts: UnsafeMutablePointer<Double>
  /// Histogram of the counting sort (one slot per distinct code of the widest feature).
  let counts: UnsafeMutablePointer<UInt32>
  /// Distinct codes per feature.
  let distinctCounts: [Int]
  var sampleCount = 0
  /// Feature-order states: slot s is `featureState[s*F ..< (s+1)*F]`.
  var featureState: [Int32] = []

  // Output arrays of the tree under construction.
  var feature: [Int32] = []
  var threshold: [Double] = []
  var left: [Int32] = []
  var right: [Int32] = []
  var weighted: [Double] = []
  var impurity: [Double] = []
  var value: [Double] = []

  static let epsilon = Double.ulpOfOne

  init(data: TrainingData, params: ForestParameters) {
    self.data = data
    self.params = params
    n = data.rowCount
    classCount = data.classCount
    maxFeatures = params.maxFeatures.resolve(data.featureCount)
    weights = .allocate(capacity: max(n, 1))
    labels = .allocate(capacity: max(n, 1))
    columns = data.columns.map(\.pointer)
    samples = .allocate(capacity: max(n, 1))
    keys = .allocate(capacity: max(n, 1))
    sortTemp = .allocate(capacity: max(n, 1))
    leftCounts = .allocate(capacity: max(classCount, 1))
    bestLeft = .allocate(capacity: max(classCount, 1))
    nodeCounts = .allocate(capacity: max(classCount, 1))
    distinctCounts = data.distinct.map(\.count)
    counts = .allocate(capacity: max(distinctCounts.max() ?? 1, 1))
    counts.initialize(repeating: 0, count: max(distinctCounts.max() ?? 1, 1))
    data.labels.withUnsafeBufferPointer { labels.initialize(from: $0.baseAddress!, count: n) }
  }

  deinit {
    weights.deallocate()
    labels.deallocate()
    samples.deallocate()
    keys.deallocate()
    sortTemp.deallocate()
    leftCounts.deallocate()
    bestLeft.deallocate()
    nodeCounts.deallocate()
    counts.deallocate()
  }

  /// The best split found at a node.
  struct Split {
    var feature: Int
    /// Samples with code ≤ `lastLeftCode` go left.
    var lastLeftCode: UInt32
    var firstRightCode: UInt32
    var proxy: Double
    var leftSamples: Int
    var leftWeight: Double
  }

  /// Grows the tree with seed `treeSeed`.
  func build(treeSeed: UInt64) -> DecisionTree {
    prepareSamples(treeSeed: treeSeed)
    feature.removeAll(keepingCapacity: true)
    threshold.removeAll(keepingCapacity: true)
    left.removeAll(keepingCapacity: true)
    right.removeAll(keepingCapacity: true)
    weighted.removeAll(keepingCapacity: true)
    impurity.removeAll(keepingCapacity: true)
    value.removeAll(keepingCapacity: true)
    featureState.removeAll(keepingCapacity: true)
    featureState.append(contentsOf: (0..<Int32(data.featureCount)))
    let rootSeed = SeedDerivation.rootSeed(treeSeed)
    switch params.growth {
    case .depthFirst(let maxDepth):
      growDepthFirst(maxDepth: maxDepth ?? Int.max, rootSeed: rootSeed)
    case .bestFirst(let maxLeaves, let maxDepth):
      growBestFirst(maxLeaves: max(2, maxLeaves), maxDepth: maxDepth ?? Int.max, rootSeed: rootSeed)
    }
    return DecisionTree(
      feature: feature, threshold: threshold, left: left, right: right, weightedSamples: weighted,
      impurity: impurity, value: value, classCount: classCount)
  }

  /// Copies the sample weights (times bootstrap multiplicities) and lists the samples of positive weight.
  private func prepareSamples(treeSeed: UInt64) {
    data.weights.withUnsafeBufferPointer { weights.update(from: $0.baseAddress!, count: n) }
    if params.bootstrap {
      var rng = SplitMix64(seed: SplitMix64.mix(treeSeed ^ 0xB007_57A9))
      var multiplicity = [Double](repeating: 0, count: n)
      for _ in 0..<n { multiplicity[rng.int(in: 0, n)] += 1 }
      for i in 0..<n { weights[i] *= multiplicity[i] }
    }
    sampleCount = 0
    for i in 0..<n where weights[i] != 0 {
      samples[sampleCount] = Int32(i)
      sampleCount += 1
    }
  }

  // MARK: Node bookkeeping

  /// Appends a leaf node for samples `start..<end`; returns its id, leaves `nodeCounts` filled.
  private func addNode(start: Int, end: Int, parent: Int, isLeft: Bool) -> (id: Int, weight: Double, impurity: Double) {
    let k = classCount
    let (nodeCounts, samples, labels, weights) = (self.nodeCounts, self.samples, self.labels, self.weights)
    nodeCounts.update(repeating: 0, count: k)
    var w = 0.0
    // The running count of the current run of one class stays in a register (a node's samples
    // come in runs of a class); each class still adds its weights in node order.
    var run = -1
    var sum = 0.0
    for i in start..<end {
      let s = Int(samples[i])
      let c = Int(labels[s])
      if c == run {
        sum += weights[s]
      } else {
        if run >= 0 { nodeCounts[run] = sum }
        run = c
        sum = nodeCounts[c] + weights[s]
      }
    }
    if run >= 0 { nodeCounts[run] = sum }
    for c in 0..<k { w += nodeCounts[c] }
    let imp = Self.impurity(nodeCounts, k, w, params.criterion)
    let id = feature.count
    feature.append(-1)
    threshold.append(-2)
    left.append(-1)
    right.append(-1)
    weighted.append(w)
    impurity.append(imp)
    for c in 0..<k { value.append(nodeCounts[c]) }
    if parent >= 0 {
      if isLeft { left[parent] = Int32(id) } else { right[parent] = Int32(id) }
    }
    return (id, w, imp)
  }

  /// Gini (`1 − Σ p²`) or entropy (`−Σ p log₂ p`) of weighted class counts with total `w`.
  static func impurity(_ counts: UnsafeMutablePointer<Double>, _ k: Int, _ w: Double, _ criterion: SplitCriterion)
    -> Double
  {
    guard w > 0 else { return 0 }
    switch criterion {
    case .gini:
      var sq = 0.0
      for c in 0..<k { sq += counts[c] * counts[c] }
      return 1 - sq / (w * w)
    case .entropy:
      var h = 0.0
      for c in 0..<k where counts[c] > 0 {
        let p = counts[c] / w
        h -= p * log2(p)
      }
      return h
    }
  }

  private func canSplit(samples m: Int, depth: Int, maxDepth: Int, impurity: Double) -> Bool {
    !(depth >= maxDepth || m < params.minSamplesSplit || m < 2 * params.minSamplesLeaf
      || impurity <= Self.epsilon)
  }

  /// Moves samples going left (code ≤ split) to the front of `start..<end`.
  private func partition(start: Int, end: Int, split: Split) {
    let base = columns[split.feature]
    let samples = self.samples
    // Without branches (the direction of a sample is data, hence unpredictable): the same
    // permutation as `if left { i += 1 } else { swap(i, j); j -= 1 }`.
    var i = start
    var j = end - 1
    let t = split.lastLeftCode
    while i <= j {
      let x = samples[i]
      let y = samples[j]
      let left = base[Int(x)] <= t
      samples[i] = left ? x : y
      samples[j] = left ? y : x
      i &+= left ? 1 : 0
      j &-= left ? 0 : 1
    }
  }

  private func setSplit(_ node: Int, _ split: Split) {
    feature[node] = Int32(split.feature)
    threshold[node] = data.threshold(feature: split.feature, below: split.lastLeftCode, above: split.firstRightCode)
  }

  // MARK: Growth strategies

  private struct Pending {
    var start: Int
    var end: Int
    var depth: Int
    var parent: Int
    var isLeft: Bool
    var seed: UInt64
    var slot: Int
    var knownConstants: Int
  }

  private func growDepthFirst(maxDepth: Int, rootSeed: UInt64) {
    var stack: [Pending] = [
      Pending(
        start: 0, end: sampleCount, depth: 0, parent: -1, isLeft: false, seed: rootSeed, slot: 0, knownConstants: 0)
    ]
    while let p = stack.popLast() {
      let node = addNode(start: p.start, end: p.end, parent: p.parent, isLeft: p.isLeft)
      guard canSplit(samples: p.end - p.start, depth: p.depth, maxDepth: maxDepth, impurity: node.impurity) else {
        continue
      }
      let found = findSplit(
        start: p.start, end: p.end, seed: p.seed, slot: p.slot, knownConstants: p.knownConstants,
        nodeWeight: node.weight)
      guard let split = found.split else { continue }
      setSplit(node.id, split)
      partition(start: p.start, end: p.end, split: split)
      let mid = p.start + split.leftSamples
      stack.append(
        Pending(
          start: mid, end: p.end, depth: p.depth + 1, parent: node.id, isLeft: false,
          seed: SeedDerivation.childSeed(p.seed, right: true), slot: found.slot, knownConstants: found.constants))
      stack.append(
        Pending(
          start: p.start, end: mid, depth: p.depth + 1, parent: node.id, isLeft: true,
          seed: SeedDerivation.childSeed(p.seed, right: false), slot: found.slot, knownConstants: found.constants))
    }
  }

  /// An open leaf of best-first growth together with its best split.
  private struct Frontier {
    var pending: Pending
    var node: Int
    var split: Split
    var slot: Int
    var constants: Int
    var improvement: Double
  }

  private func growBestFirst(maxLeaves: Int, maxDepth: Int, rootSeed: UInt64) {
    var frontier: [Frontier] = []
    let rootWeight = sampleWeightTotal()
    func open(_ p: Pending) {
      let node = addNode(start: p.start, end: p.end, parent: p.parent, isLeft: p.isLeft)
      guard canSplit(samples: p.end - p.start, depth: p.depth, maxDepth: maxDepth, impurity: node.impurity) else {
        return
      }
      let found = findSplit(
        start: p.start, end: p.end, seed: p.seed, slot: p.slot, knownConstants: p.knownConstants,
        nodeWeight: node.weight)
      guard let split = found.split else { return }
      // Weighted impurity decrease: (w/W)·(I − wL/w·I_L − wR/w·I_R), scikit-learn's `improvement`.
      let k = classCount
      let wl = split.leftWeight
      let wr = node.weight - wl
      let il = Self.impurity(bestLeft, k, wl, params.criterion)
      for c in 0..<k { bestLeft[c] = value[node.id * k + c] - bestLeft[c] }
      let ir = Self.impurity(bestLeft, k, wr, params.criterion)
      let improvement = (node.weight / rootWeight) * (node.impurity - wl / node.weight * il - wr / node.weight * ir)
      frontier.append(
        Frontier(
          pending: p, node: node.id, split: split, slot: found.slot, constants: found.constants,
          improvement: improvement))
    }
    open(
      Pending(
        start: 0, end: sampleCount, depth: 0, parent: -1, isLeft: false, seed: rootSeed, slot: 0, knownConstants: 0))
    var splitsLeft = maxLeaves - 1
    while splitsLeft > 0, !frontier.isEmpty {
      // Largest improvement; ties go to the older node (smaller id) so the order is deterministic.
      var best = 0
      for i in 1..<frontier.count {
        let a = frontier[i]
        let b = frontier[best]
        if a.improvement > b.improvement || (a.improvement == b.improvement && a.node < b.node) { best = i }
      }
      let f = frontier.remove(at: best)
      let p = f.pending
      setSplit(f.node, f.split)
      partition(start: p.start, end: p.end, split: f.split)
      splitsLeft -= 1
      let mid = p.start + f.split.leftSamples
      open(
        Pending(
          start: p.start, end: mid, depth: p.depth + 1, parent: f.node, isLeft: true,
          seed: SeedDerivation.childSeed(p.seed, right: false), slot: f.slot, knownConstants: f.constants))
      open(
        Pending(
          start: mid, end: p.end, depth: p.depth + 1, parent: f.node, isLeft: false,
          seed: SeedDerivation.childSeed(p.seed, right: true), slot: f.slot, knownConstants: f.constants))
    }
  }

  private func sampleWeightTotal() -> Double {
    var w = 0.0
    for i in 0..<sampleCount { w += weights[Int(samples[i])] }
    return w
  }

  // MARK: Split search

  /// Finds the best split of `start..<end`; also returns the feature-order slot and known-constant
  /// count the children inherit. `nodeCounts` must hold the node's class weights.
  private func findSplit(
    start: Int, end: Int, seed: UInt64, slot parentSlot: Int, knownConstants: Int, nodeWeight: Double
  ) -> (split: Split?, slot: Int, constants: Int) {
    let fCount = data.featureCount
    let slot = featureState.count / fCount
    // Copy element by element: appending a slice of the array itself would copy the whole buffer.
    for j in 0..<fCount { featureState.append(featureState[parentSlot * fCount + j]) }
    var rng = SplitMix64(seed: seed)
    var best: Split?
    var constantsOut = knownConstants
    featureState.withUnsafeMutableBufferPointer { all in
      let feats = all.baseAddress! + slot * fCount
      var drawnConstants = 0
      var foundConstants = 0
      var totalConstants = knownConstants
      var fi = fCount
      var visited = 0
      while fi > totalConstants && (visited < maxFeatures || visited <= foundConstants + drawnConstants) {
        visited += 1
        var fj = rng.int(in: drawnConstants, fi - foundConstants)
        if fj < knownConstants {
          swap(feats, drawnConstants, fj)
          drawnConstants += 1
          continue
        }
        fj += foundConstants
        let f = Int(feats[fj])
        guard sortNode(start: start, end: end, feature: f) else {
          swap(feats, fj, totalConstants)
          foundConstants += 1
          totalConstants += 1
          continue
        }
        fi -= 1
        swap(feats, fi, fj)
        sweep(count: end - start, feature: f, nodeWeight: nodeWeight, best: &best)
      }
      constantsOut = totalConstants
    }
    return (best, slot, constantsOut)
  }

  private func swap(_ p: UnsafeMutablePointer<Int32>, _ i: Int, _ j: Int) {
    let t = p[i]
    p[i] = p[j]
    p[j] = t
  }

  /// Fills `keys` with (code, sample) of the node sorted by code (stable: ties keep the node's
  /// sample order); false when the feature is constant on the node.
  ///
  /// When the feature has few distinct values for the node's size, one counting pass sorts: the
  /// histogram is filled while the codes are gathered, then one scatter. Otherwise an LSD radix
  /// sort on the codes relative to the node's lowest one. Both give the same order.
  private func sortNode(start: Int, end: Int, feature f: Int) -> Bool {
    let base = columns[f]
    let m = end - start
    let distinct = distinctCounts[f]
    let (samples, keys, sortTemp, counts) = (self.samples + start, self.keys, self.sortTemp, self.counts)
    if m >= 64 && distinct <= 4 * m {
      // Counting sort over absolute codes (`counts` is all zero between sorts: each sort clears
      // only the range its node's codes span, not every code of the feature).
      var lo = UInt32.max
      var hi = UInt32.min
      for i in 0..<m {
        let s = samples[i]
        let c = base[Int(s)]
        lo = min(lo, c)
        hi = max(hi, c)
        counts[Int(c)] &+= 1
        sortTemp[i] = UInt64(c) << 32 | UInt64(UInt32(bitPattern: s))
      }
      if lo == hi {
        counts[Int(lo)] = 0
        return false
      }
      var sum: UInt32 = 0
      for c in Int(lo)...Int(hi) {
        let x = counts[c]
        counts[c] = sum
        sum &+= x
      }
      // The next slot of the current run of one code stays in a register (codes come in runs).
      var run = Int.max
      var slot = 0
      for i in 0..<m {
        let key = sortTemp[i]
        let c = Int(key >> 32)
        if c != run {
          if run != Int.max { counts[run] = UInt32(truncatingIfNeeded: slot) }
          run = c
          slot = Int(counts[c])
        }
        keys[slot] = key
        slot &+= 1
      }
      (counts + Int(lo)).update(repeating: 0, count: Int(hi - lo) + 1)
      return true
    }
    var lo = UInt32.max
    var hi = UInt32.min
    for i in 0..<m {
      let s = samples[i]
      let c = base[Int(s)]
      lo = min(lo, c)
      hi = max(hi, c)
      keys[i] = UInt64(c) << 32 | UInt64(UInt32(bitPattern: s))
    }
    if lo == hi { return false }
    RadixSort.sort(keys, temp: sortTemp, count: m, lowestCode: lo, highestCode: hi)
    return true
  }

  /// Scores every boundary between distinct codes in `keys[0..<m]`; updates `best` on strict improvement.
  private func sweep(count m: Int, feature f: Int, nodeWeight: Double, best: inout Split?) {
    if params.criterion == .gini {
      sweepGini(count: m, feature: f, nodeWeight: nodeWeight, best: &best)
      return
    }
    let k = classCount
    let minLeaf = params.minSamplesLeaf
    let keys = self.keys
    let labels = self.labels
    let weights = self.weights
    let leftCounts = self.leftCounts
    let nodeCounts = self.nodeCounts
    leftCounts.update(repeating: 0, count: k)
    var bestProxy = best?.proxy ?? -Double.infinity
    var wl = 0.0
    for i in 0..<(m - 1) {
      let key = keys[i]
      let s = Int(UInt32(truncatingIfNeeded: key))
      let c = Int(labels[s])
      let w = weights[s]
      leftCounts[c] += w
      wl += w
      let code = UInt32(truncatingIfNeeded: key >> 32)
      let nextCode = UInt32(truncatingIfNeeded: keys[i + 1] >> 32)
      if code == nextCode { continue }
      let nl = i + 1
      if nl < minLeaf || m - nl < minLeaf { continue }
      let wr = nodeWeight - wl
      if wl <= 0 || wr <= 0 { continue }
      var e = 0.0
      for j in 0..<k {
        let a = leftCounts[j]
        if a > 0 { e += a * log(a / wl) }
        let b = nodeCounts[j] - a
        if b > 0 { e += b * log(b / wr) }
      }
      if e > bestProxy {
        bestProxy = e
        best = Split(
          feature: f, lastLeftCode: code, firstRightCode: nextCode, proxy: e, leftSamples: nl, leftWeight: wl)
        bestLeft.update(from: leftCounts, count: k)
      }
    }
  }

  /// The Gini sweep: running Σ left² and Σ right² make each boundary O(1). The loop makes no call
  /// (a new best is recorded out of line), so its running sums stay in registers.
  private func sweepGini(count m: Int, feature f: Int, nodeWeight: Double, best: inout Split?) {
    let k = classCount
    let minLeaf = params.minSamplesLeaf
    // Locals, so the loop keeps them in registers instead of reloading them through `self`.
    let keys = self.keys
    let labels = self.labels
    let weights = self.weights
    let leftCounts = self.leftCounts
    let nodeCounts = self.nodeCounts
    leftCounts.update(repeating: 0, count: k)
    var bestProxy = best?.proxy ?? -Double.infinity
    var wl = 0.0
    var sqL = 0.0
    var sqR = 0.0
    for c in 0..<k { sqR += nodeCounts[c] * nodeCounts[c] }
    // The left count of the previous row's class, kept in a register: sorted rows often repeat a
    // class, and reading it back from memory right after storing it would wait for the store.
    var lastClass = -1
    var lastLeft = 0.0
    var i = 0
    while i < m - 1 {
      let key = keys[i]
      let s = Int(UInt32(truncatingIfNeeded: key))
      let c = Int(labels[s])
      let w = weights[s]
      let lc: Double
      if c == lastClass { lc = lastLeft } else { lc = leftCounts[c] }
      let rc = nodeCounts[c] - lc
      sqL += w * (2 * lc + w)
      sqR += w * (w - 2 * rc)
      lastLeft = lc + w
      lastClass = c
      leftCounts[c] = lastLeft
      wl += w
      i += 1
      let code = UInt32(truncatingIfNeeded: key >> 32)
      let nextCode = UInt32(truncatingIfNeeded: keys[i] >> 32)
      if code == nextCode || i < minLeaf || m - i < minLeaf { continue }
      let wr = nodeWeight - wl
      if wl <= 0 || wr <= 0 { continue }
      let proxy = sqL / wl + sqR / wr
      if proxy > bestProxy {
        bestProxy = proxy
        record(&best, feature: f, code: code, next: nextCode, proxy: proxy, left: i, weight: wl)
      }
    }
  }

  /// Records a new best split of the Gini sweep and the left class counts at it.
  @inline(never)
  private func record(
    _ best: inout Split?, feature f: Int, code: UInt32, next: UInt32, proxy: Double, left: Int, weight: Double
  ) {
    best = Split(
      feature: f, lastLeftCode: code, firstRightCode: next, proxy: proxy, leftSamples: left, leftWeight: weight)
    bestLeft.update(from: leftCounts, count: classCount)
  }

}
