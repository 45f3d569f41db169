import DUNESupport
import Forest
import Traffic

/// Settings of the table compiler.
public struct CompileOptions: Codable, Sendable, Equatable {
  /// Name recorded in the compiled model.
  public var name: String
  /// Chain position k (1-based).
  public var modelID: Int
  /// Inference point N.
  public var inferencePoint: Int
  /// offset_k: number of own classes of the sub-models before this one in the chain.
  public var classOffset: Int
  public var scheme: EncodingScheme
  public var tieRule: VoteTieRule
  /// Largest voting table (entries) before falling back to strict-majority tuples (§2.6).
  public var voteBudget: Int

  public init(
    name: String = "model", modelID: Int = 1, inferencePoint: Int = 3, classOffset: Int = 0,
    scheme: EncodingScheme = .canonical, tieRule: VoteTieRule = .other, voteBudget: Int = 65_536
  ) {
    self.name = name
    self.modelID = modelID
    self.inferencePoint = inferencePoint
    self.classOffset = classOffset
    self.scheme = scheme
    self.tieRule = tieRule
    self.voteBudget = voteBudget
  }
}

/// Compiles a `ForestModel` into range feature tables, ternary code tables and a voting table.
///
/// Implements `data-plane.md` §2.2–2.7: thresholds k = ⌊θ⌋ + δ_f (shared `FeatureEncoding`),
/// thermometer codes per (tree, feature) in ascending k, codeword bit order by model feature order
/// (feature 0 most significant), one ternary entry per leaf, unique-plurality voting entries.
public enum TableCompiler {
  /// The class name that marks a sub-model's catch-all class (must be last).
  public static let otherClassName = "Other"

  /// Compiles `model`. Throws `UsageError` for a structurally invalid model or unknown feature.
  public static func compile(_ model: ForestModel, options: CompileOptions = CompileOptions()) throws
    -> CompiledSubModel
  {
    try validate(model)
    guard options.inferencePoint >= 1 else { throw UsageError("inference point N must be ≥ 1") }
    let encodings = try options.scheme.encodings(for: model.features)
    let hasOther = model.classes.last == otherClassName
    let own = hasOther ? Array(model.classes.dropLast()) : model.classes
    guard own.count < 255 else { throw UsageError("at most 254 classes fit an 8-bit class id") }
    let classMap = ClassMap(ownClasses: own, hasOther: hasOther, offset: options.classOffset)

    // Per tree: the splits on every feature in ascending (k, node) order, and the codeword layout.
    var layouts: [[CodeSlice]] = []
    var bitOfNode: [[Int]] = []
    for (t, tree) in model.trees.enumerated() {
      var perFeature = [[CompiledSplit]](repeating: [], count: model.features.count)
      for v in 0..<tree.nodeCount where !tree.isLeaf(v) {
        let f = Int(tree.feature[v])
        let enc = encodings[f]
        let k = enc.compiledThreshold(tree.threshold[v])
        let placement: SplitPlacement = k < 0 ? .constantRight : (k >= enc.maxValue ? .constantLeft : .inDomain)
        perFeature[f].append(CompiledSplit(node: v, threshold: tree.threshold[v], k: k, placement: placement))
      }
      let width = perFeature.reduce(0) { $0 + $1.count }
      var slices: [CodeSlice] = []
      var positions = [Int](repeating: -1, count: tree.nodeCount)
      var used = 0
      for f in 0..<model.features.count where !perFeature[f].isEmpty {
        let splits = perFeature[f].sorted { ($0.k, $0.node) < ($1.k, $1.node) }
        let lsb = width - used - splits.count
        for (j, s) in splits.enumerated() { positions[s.node] = lsb + splits.count - 1 - j }
        slices.append(CodeSlice(tree: t, featureIndex: f, width: splits.count, lsb: lsb, splits: splits))
        used += splits.count
      }
      layouts.append(slices)
      bitOfNode.append(positions)
    }

    let featureTables = (0..<model.features.count).compactMap { f -> FeatureTable? in
      let slices = layouts.flatMap { $0.filter { $0.featureIndex == f } }
      guard !slices.isEmpty else { return nil }
      return featureTable(feature: f, encoding: encodings[f], slices: slices)
    }

    var codeTables: [CodeTable] = []
    for (t, tree) in model.trees.enumerated() {
      codeTables.append(
        codeTable(tree: tree, index: t, layout: layouts[t], bitOfNode: bitOfNode[t], encodings: encodings))
    }

    let voting: VotingTable? =
      model.trees.count > 1
      ? try VotingTableBuilder.build(
        treeCount: model.trees.count, labelCount: model.classes.count, localOther: classMap.localOther,
        tieRule: options.tieRule, budget: options.voteBudget)
      : nil

    let usedNames = featureTables.map { model.features[$0.featureIndex] }
    return CompiledSubModel(
      name: options.name, modelID: options.modelID, inferencePoint: options.inferencePoint, features: encodings,
      featureTables: featureTables, codeTables: codeTables, votingTable: voting, classMap: classMap,
      registers: RegisterPlan.registers(forFeatures: usedNames),
      nonComputableFeatures: usedNames.filter { RegisterPlan.nonComputable.contains($0) })
  }

  /// Structural checks: class counts, feature indices, child ids greater than parents.
  public static func validate(_ model: ForestModel) throws {
    guard !model.classes.isEmpty else { throw UsageError("model has no classes") }
    guard !model.trees.isEmpty else { throw UsageError("model has no trees") }
    guard model.trees.count < 64 else { throw UsageError("at most 63 trees are supported") }
    for (t, tree) in model.trees.enumerated() {
      let n = tree.nodeCount
      guard n > 0, tree.threshold.count == n, tree.left.count == n, tree.right.count == n,
        tree.value.count == n * tree.classCount
      else { throw UsageError("tree \(t): inconsistent array lengths") }
      guard tree.classCount == model.classes.count else {
        throw UsageError("tree \(t): \(tree.classCount) classes, model has \(model.classes.count)")
      }
      for v in 0..<n {
        let l = Int(tree.left[v])
        let r = Int(tree.right[v])
        if l < 0 || r < 0 {
          guard l < 0 && r < 0 else { throw UsageError("tree \(t) node \(v): exactly one child") }
          continue
        }
        guard l > v, r > v, l < n, r < n else {
          throw UsageError("tree \(t) node \(v): child ids must exceed the parent's")
        }
        let f = Int(tree.feature[v])
        guard f >= 0, f < model.features.count else {
          throw UsageError("tree \(t) node \(v): feature index \(f) out of range")
        }
        guard tree.threshold[v].isFinite else { throw UsageError("tree \(t) node \(v): non-finite threshold") }
      }
    }
  }

  /// Rows of a feature table: ranges between distinct in-domain thresholds, codes per slice.
  static func featureTable(feature f: Int, encoding: FeatureEncoding, slices: [CodeSlice]) -> FeatureTable {
    let ks = Set(slices.flatMap { $0.splits.filter { $0.placement == .inDomain }.map(\.k) }).sorted()
    var bounds: [(Int64, Int64)] = []
    var low: Int64 = 0
    for k in ks {
      bounds.append((low, k))
      low = k + 1
    }
    bounds.append((low, encoding.maxValue))
    let rows = bounds.map { (lo, hi) -> RangeRow in
      let codes = slices.map { slice -> BitString in
        var code = BitString(width: slice.width)
        for (j, s) in slice.splits.enumerated() {
          let right: Bool
          switch s.placement {
          case .constantLeft: right = false
          case .constantRight: right = true
          case .inDomain: right = hi > s.k
          }
          code[slice.width - 1 - j] = right
        }
        return code
      }
      return RangeRow(low: lo, high: hi, codes: codes)
    }
    return FeatureTable(
      featureIndex: f, featureName: encoding.name, keyWidth: encoding.width, slices: slices, rows: rows)
  }

  /// One ternary entry per leaf; a leaf is unreachable when its path constraints are empty in the
  /// encoded integer domain.
  static func codeTable(
    tree: DecisionTree, index t: Int, layout: [CodeSlice], bitOfNode: [Int], encodings: [FeatureEncoding]
  ) -> CodeTable {
    let width = layout.reduce(0) { $0 + $1.width }
    var kOfNode = [Int64](repeating: 0, count: tree.nodeCount)
    for slice in layout { for s in slice.splits { kOfNode[s.node] = s.k } }
    var entries: [CodeEntry] = []
    var unreachable: [Int] = []
    // Depth-first walk carrying value/mask and the encoded interval of every feature.
    struct Frame {
      var node: Int
      var value: BitString
      var mask: BitString
      var low: [Int64]
      var high: [Int64]
    }
    var stack = [
      Frame(
        node: 0, value: BitString(width: width), mask: BitString(width: width),
        low: [Int64](repeating: 0, count: encodings.count), high: encodings.map(\.maxValue))
    ]
    while let fr = stack.popLast() {
      let v = fr.node
      if tree.isLeaf(v) {
        let reachable = zip(fr.low, fr.high).allSatisfy { $0 <= $1 }
        if !reachable { unreachable.append(v) }
        let base = v * tree.classCount
        let total = (0..<tree.classCount).reduce(0.0) { $0 + tree.value[base + $1] }
        let cls = tree.majorityClass(v)
        let cert = total > 0 ? Int((100 * tree.value[base + cls] / total).rounded()) : 0
        entries.append(
          CodeEntry(
            leaf: v, value: fr.value, mask: fr.mask, localClass: cls + 1, certPercent: cert, reachable: reachable))
        continue
      }
      let f = Int(tree.feature[v])
      let k = kOfNode[v]
      let bit = bitOfNode[v]
      var left = fr
      left.node = Int(tree.left[v])
      left.mask[bit] = true
      left.high[f] = min(left.high[f], k)
      var right = fr
      right.node = Int(tree.right[v])
      right.mask[bit] = true
      right.value[bit] = true
      right.low[f] = max(right.low[f], k + 1)
      stack.append(right)
      stack.append(left)
    }
    entries.sort { $0.leaf < $1.leaf }
    return CodeTable(
      tree: t, codewordWidth: width, layout: layout, entries: entries, unreachableLeaves: unreachable.sorted(),
      classWidth: 8)
  }
}
