import DUNESupport
import Foundation
import Literate
import Report
import Traffic

/// Helpers shared by the chain step kinds (`clusters`, `sequence`, `dataplane`).
enum ChainStepSupport {
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

  /// Deterministic pretty JSON (sorted keys, no escaped slashes).
  static func json<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try enc.encode(value), as: UTF8.self) + "\n"
  }

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
