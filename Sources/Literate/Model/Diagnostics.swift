import DUNESupport

/// Several located errors found together (the planner reports every problem before anything runs).
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
  /// The errors, in source order.
  public var errors: [LocatedError]

  public init(_ errors: [LocatedError]) { self.errors = errors }

  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
