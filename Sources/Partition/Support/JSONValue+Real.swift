import DUNESupport

extension JSONValue {
  /// Gains and objectives: 9 decimals.
  public static func real(_ x: Double) -> JSONValue { .fixed(x, decimals: 9) }
}
