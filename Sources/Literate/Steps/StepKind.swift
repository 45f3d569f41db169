import DUNESupport
import Foundation

/// A kind of step a chapter can name in ```` ```dune <name> ````.
///
/// The runner decodes the block's YAML into `Arguments` (after substituting `${…}` references),
/// hashes the files named by `inputArguments`, calls `run`, and caches the `StepOutput`.
/// Implementations must be deterministic: same arguments and input bytes → same output.
public protocol StepKind: Sendable {
  /// The typed arguments; decoding errors become `file:line:col` diagnostics at the offending key.
  associatedtype Arguments: Decodable & Sendable

  /// The name used in the info string.
  var name: String { get }
  /// One line for `dune` help and reports.
  var summary: String { get }
  /// Named values the step publishes for later steps; empty means "undeclared, any name".
  var outputs: [OutputDeclaration] { get }
  /// Argument names whose value is a project-relative file path (or a list of them) the step reads.
  /// Their bytes are part of the cache key, and a missing file is reported before anything runs.
  var inputArguments: [String] { get }
  /// Those of `inputArguments` whose file may be absent (a record that exists only where a tool ran):
  /// a missing file is then no error, and its absence, like its bytes, is part of the cache key.
  var optionalInputArguments: [String] { get }
  /// The library modules whose code computes the outputs, besides the module defining the kind (and
  /// `Literate`): their source digests, closed over their dependencies, are part of the cache key, so
  /// changing one re-runs the step. Name every library the step calls into, including `Report` when
  /// it draws figures.
  var codeModules: [String] { get }

  /// Runs the step. Throw `StepError` (optionally naming an argument) for a located failure.
  func run(_ arguments: Arguments, in context: StepContext) throws -> StepOutput
}

extension StepKind {
  public var summary: String { "" }
  public var outputs: [OutputDeclaration] { [] }
  public var inputArguments: [String] { [] }
  public var optionalInputArguments: [String] { [] }
  public var codeModules: [String] { [] }
}

/// A published output: its name, the type later steps can rely on when their arguments are checked,
/// and the unit its numbers are shown in (`UnitFormat`: `%`, `fraction`, `gain`, `s`, a count noun).
public struct OutputDeclaration: Sendable, Hashable {
  public var name: String
  public var type: ValueType
  public var unit: String

  public init(_ name: String, _ type: ValueType, unit: String = "") {
    self.name = name
    self.type = type
    self.unit = unit
  }
}

/// Coarse value types for checking references before anything runs.
public enum ValueType: String, Sendable, Hashable, Codable {
  case any, bool, integer, number, string, list, mapping

  /// A stand-in of this type used to decode arguments before upstream values exist.
  var placeholder: Value {
    switch self {
    case .any: return .null
    case .bool: return .bool(false)
    case .integer: return .int(0)
    case .number: return .double(0)
    case .string: return .string("")
    case .list: return .array([])
    case .mapping: return .object([:])
    }
  }
}

/// A step failure with an optional argument path, so the diagnostic points at that argument's line.
public struct StepError: Error, Sendable, CustomStringConvertible {
  public var argument: [String]
  public var message: String

  public init(_ message: String, argument: [String] = []) {
    self.message = message
    self.argument = argument
  }

  public var description: String { message }
}
