import DUNESupport
import Foundation
import Literate
import Traffic

/// Where a use case's data lives, as the `dataset` and `samples` steps resolve it.
enum DataFolder {
  /// The data folder as an absolute path: `data` when given (project-relative or absolute), else the
  /// generated synthetic dataset under `<project>/.dune/datasets/` (written once, then reused), else
  /// the use case's own folder (relative to the project root).
  static func resolve(
    _ uc: UseCase, data: String?, syntheticSeed: UInt64?, in context: StepContext
  ) throws -> String {
    if let d = data, !d.isEmpty { return context.resolve(d) }
    if var p = uc.synthetic {
      if let s = syntheticSeed { p.seed = s }
      return try SyntheticDataset.ensure(p, cacheRoot: context.projectRoot.path)
    }
    if let d = uc.dataFolder { return context.resolve(d) }
    throw StepError(uc.missingDataMessage, argument: ["data"])
  }

  /// The use case named `name` (built-in or a project-relative JSON file).
  static func useCase(_ name: String, in context: StepContext) throws -> UseCase {
    if let u = UseCase.builtin(name) { return u }
    do {
      return try UseCase.resolve(context.resolve(name))
    } catch {
      throw StepError("\(error)", argument: ["useCase"])
    }
  }
}
