import DUNESupport
import DataPlane
import Forest
import Foundation
import Literate
import Partition
import Report
import Traffic

/// Helpers shared by the chain step kinds (`clusters`, `sequence`, `dataplane`).
enum ChainStepSupport {
  /// The `p4/` folder the dataplane step writes beside its `chain/chain.json` (`chain` as given to a step).
  static func p4Directory(besideChain chain: String, in context: StepContext) -> String {
    let chainDir = (context.resolve(chain) as NSString).deletingLastPathComponent
    return ((chainDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("p4")
  }

  /// The folder holding an anchor file (`samples.json`, `clusters.json`): its siblings are the data.
  static func folder(ofAnchor path: String, in context: StepContext) -> String {
    (context.resolve(path) as NSString).deletingLastPathComponent
  }

  /// The use case named by `name` (built-in name, or a JSON file relative to the project root),
  /// failures pointing at the `useCase` argument.
  static func useCase(_ name: String, in context: StepContext) throws -> UseCase {
    do {
      if let u = UseCase.builtin(name) { return u }
      return try UseCase.load(path: context.resolve(name))
    } catch {
      throw StepError("\(error)", argument: ["useCase"])
    }
  }

  /// A figure rendered with the Report module; element ids are `<chapter>-<step>-<figure>`. `shows`
  /// names the metrics and tables it draws.
  static func figure(
    _ id: String, caption: String, _ spec: ChartSpec, shows: [String] = [], context: StepContext
  ) -> StepFigure {
    let element = ChartRenderer.svg(spec, id: "\(context.chapter)-\(context.stepID)-\(id)")
    return StepFigure(id: id, caption: caption, svg: XHTMLWriter.fragment(element), shows: shows)
  }

  /// A fraction as a percentage with two decimals.
  static func pct(_ x: Double) -> String { NumberFormat.fixed(x * 100, 2) }

  /// Re-throws library errors as step errors pointing at `argument`, keeping located errors as they are.
  static func located<T>(_ argument: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let e as StepError {
      throw e
    } catch let e as LocatedError {
      throw e
    } catch {
      throw StepError("\(error)", argument: [argument])
    }
  }
}

/// The anchor `clusters.json` the `clusters` step writes and `sequence`/`dataplane` read.
struct ClustersAnchor: Codable, Sendable {
  /// One selected sub-model.
  struct SubModel: Codable, Sendable {
    var cluster: Int
    var classes: [String]
    var model: String
    var n: Int
    var features: [String]
    var trees: Int
    var leafBudget: Int
    var macroF1FL: Double
    var tcam: Double
  }
  var useCase: String
  /// Time-feature quantisation shift the sub-models were trained with (0 = none).
  var timeShift: Int?
  var classes: [String]
  var subModels: [SubModel]
  /// The chain order the sub-models were trained for (downstream-only `Other`); nil: any order.
  var order: [Int]?
  /// What `Other` stands for: nil or "reference" (every class outside the block), "downstream"
  /// (only the classes placed after it; the last sub-model has none).
  var other: String?
  var proxyMacroF1: Double
  var proxyWeightedF1: Double
  /// Per class (use-case order): cluster and proxy F1 (fraction); classes in no cluster are absent.
  var proxyPerClass: [String: Double]

  static func load(path: String) throws -> ClustersAnchor {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read the clusters anchor")
    }
    do {
      return try JSONDecoder().decode(ClustersAnchor.self, from: data)
    } catch {
      throw LocatedError(file: path, "not a clusters.json anchor: \(error)")
    }
  }
}

extension ClustersAnchor {
  /// The samples its sub-models need (their inference points and features, plus `extraFeatures`),
  /// quantised as they were trained, from the folder of the `samples` anchor.
  func loadData(samples: String, extraFeatures: [String] = [], context: StepContext) throws -> ClusterAnalysisData {
    var features: [String] = []
    for m in subModels { for f in m.features where !features.contains(f) { features.append(f) } }
    for f in extraFeatures where !features.contains(f) { features.append(f) }
    let points = Array(Set(subModels.map(\.n))).sorted()
    let shift = timeShift ?? 0
    let raw = ChainStepSupport.folder(ofAnchor: samples, in: context)
    return try ChainStepSupport.located("samples") {
      try ClusterAnalysisData.load(
        folder: raw, useCase: useCase, inferencePoints: points, classes: classes, features: features,
        adjust: QuantisedSamples.quantiser(shift: shift))
    }
  }

  /// The sub-model forests, in cluster order, read from beside the anchor at `anchorPath`.
  func models(anchorPath: String) throws -> [ForestModel] {
    let dir = (anchorPath as NSString).deletingLastPathComponent
    return try subModels.enumerated().map { q, m in
      guard m.cluster == q else {
        throw StepError("clusters.json: sub-model \(q) has cluster id \(m.cluster)", argument: ["clusters"])
      }
      return try ChainStepSupport.located("clusters") {
        try ForestModel.read(from: (dir as NSString).appendingPathComponent(m.model))
      }
    }
  }

  /// The sub-models as the chained evaluation takes them (cluster order): predictions on every test
  /// row of their inference point.
  func chainSubModels(anchorPath: String, data: ClusterAnalysisData) throws -> [ChainSubModel] {
    let forests = try models(anchorPath: anchorPath)
    return try zip(subModels, forests).map { m, model in
      let labelling = try ChainStepSupport.located("clusters") {
        try ClusterLabelling(clusterClasses: m.classes, useCaseClasses: classes)
      }
      let point = try data.point(m.n)
      let columns = try model.features.map { f in
        guard let c = data.features.firstIndex(of: f) else {
          throw StepError("sub-model \(m.cluster) uses feature '\(f)', not in the samples", argument: ["clusters"])
        }
        return c
      }
      let predictions = model.predictSoft(point.test.selecting(features: columns).matrix)
      return ChainSubModel(n: m.n, ownClasses: labelling.globalOfLocal, predictions: predictions)
    }
  }
}

extension ClusterAnalysisData {
  /// The test-flow index of every loaded inference point, by N.
  var testIndexes: [Int: TestFlowIndex] {
    var out: [Int: TestFlowIndex] = [:]
    for p in points { out[p.n] = p.testIndex }
    return out
  }
}
