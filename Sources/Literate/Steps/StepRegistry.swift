import Foundation

/// The step kinds a run knows, by name. Built once and passed to the planner (tests pass their own).
public struct StepRegistry: Sendable {
  private var kinds: [String: AnyStepKind]
  /// Digests of the code modules the kinds declare (see `StepKind.codeModules`).
  public var code: CodeFingerprints

  /// A registry holding `kinds`; a later kind with the same name replaces an earlier one.
  public init(_ kinds: [any StepKind] = [], code: CodeFingerprints = .none) {
    self.kinds = [:]
    self.code = code
    for k in kinds { register(k) }
  }

  /// Adds (or replaces) `kind`.
  public mutating func register(_ kind: any StepKind) {
    kinds[kind.name] = AnyStepKind(kind)
  }

  /// A registry with the kinds of both; `other` wins on name clashes, and its fingerprints when it has any.
  public func merging(_ other: StepRegistry) -> StepRegistry {
    var r = self
    r.kinds.merge(other.kinds) { _, new in new }
    if !other.code.modules.isEmpty { r.code = other.code }
    return r
  }

  /// The kind called `name`.
  public func kind(named name: String) -> AnyStepKind? { kinds[name] }

  /// All kind names, sorted.
  public var names: [String] { kinds.keys.sorted() }
}

/// A type-erased step kind: decoding and running without knowing `Arguments`.
public struct AnyStepKind: Sendable {
  public let name: String
  public let summary: String
  public let outputs: [OutputDeclaration]
  public let inputArguments: [String]
  /// `StepKind.optionalInputArguments`.
  public let optionalInputArguments: [String]
  /// `StepKind.codeModules`.
  public let codeModules: [String]
  /// The kind's type, qualified by its module (`Steps.ForestGridStep`).
  public let typeName: String
  /// The module that defines the kind's type (`Steps` for `Steps.ForestGridStep`).
  public var definingModule: String { String(typeName.prefix(while: { $0 != "." })) }
  private let decodeOnly: @Sendable (Value) throws -> Void
  private let execute: @Sendable (Value, StepContext) throws -> StepOutput

  init<K: StepKind>(_ kind: K) {
    name = kind.name
    summary = kind.summary
    outputs = kind.outputs
    inputArguments = kind.inputArguments
    optionalInputArguments = kind.optionalInputArguments
    codeModules = kind.codeModules
    typeName = String(reflecting: K.self)
    decodeOnly = { value in _ = try ValueDecoder().decode(K.Arguments.self, from: value) }
    execute = { value, context in
      let arguments = try ValueDecoder().decode(K.Arguments.self, from: value)
      return try kind.run(arguments, in: context)
    }
  }

  /// Checks that `arguments` decode; throws `ArgumentError`.
  public func validate(_ arguments: Value) throws { try decodeOnly(arguments) }

  /// Decodes `arguments` and runs the step.
  public func run(_ arguments: Value, in context: StepContext) throws -> StepOutput { try execute(arguments, context) }

  /// The declared type of output `name`, `.any` when outputs are undeclared, nil when not declared.
  public func outputType(_ name: String) -> ValueType? {
    if outputs.isEmpty { return .any }
    return outputs.first(where: { $0.name == name })?.type
  }
}
