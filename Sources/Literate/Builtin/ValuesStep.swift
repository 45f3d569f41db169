/// `dune values`: publishes named constants (or parameters) as outputs other steps can reference.
///
/// ```yaml
/// values:
///   classes: 7
///   useCase: ${params.useCase}
/// ```
public struct ValuesStep: StepKind {
  public struct Arguments: Decodable, Sendable {
    public var values: [String: Value]
  }

  public init() {}
  public let name = "values"
  public var summary: String { "publish named constants or parameters as outputs" }

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    StepOutput(values: a.values)
  }
}
