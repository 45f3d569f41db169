import DUNESupport

/// `dune check`: doctest-style assertions on upstream values, reported like compiler errors.
///
/// ```yaml
/// expect:
///   - name: blocks
///     value: ${step.spp.blocks}
///     equals: 4
///   - value: ${step.spp.totalGain}
///     approx: 0.35271
///     tol: 1e-5
///   - value: ${step.model.f1}
///     min: 0.9
/// ```
/// Each expectation needs `value` and at least one of `equals`, `approx` (with optional `tol`,
/// default 1e-9, absolute), `min`, `max`. A failing expectation points at its own line. `unit`
/// (`%`, `fraction`, `gain`, `s`, a count noun) sets how a passed value is printed; full precision
/// stays in the values the check read.
public struct CheckStep: StepKind {
  public struct Expectation: Decodable, Sendable {
    public var name: String?
    public var value: Value
    public var equals: Value?
    public var approx: Double?
    public var tol: Double?
    public var min: Double?
    public var max: Double?
    public var unit: String?
  }

  public struct Arguments: Decodable, Sendable {
    public var expect: [Expectation]
  }

  public init() {}
  public let name = "check"
  public var summary: String { "assert upstream values (equals, approx ± tol, min, max)" }
  public var outputs: [OutputDeclaration] { [OutputDeclaration("passed", .integer)] }

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    var notes: [String] = []
    for (i, e) in a.expect.enumerated() {
      let label = e.name ?? "expect.\(i)"
      let path = ["expect", String(i)]
      guard e.equals != nil || e.approx != nil || e.min != nil || e.max != nil else {
        throw StepError("\(label): give at least one of equals, approx, min, max", argument: path)
      }
      if let expected = e.equals, !Self.equal(e.value, expected) {
        throw StepError(
          "check '\(label)' failed: got \(e.value.canonicalJSON), expected \(expected.canonicalJSON)", argument: path)
      }
      if e.approx != nil || e.min != nil || e.max != nil {
        guard let x = e.value.number else {
          throw StepError(
            "check '\(label)' failed: got \(e.value.typeDescription) \(e.value.canonicalJSON), expected a number",
            argument: path)
        }
        if let target = e.approx {
          let tol = e.tol ?? 1e-9
          if !(abs(x - target) <= tol) {
            throw StepError(
              "check '\(label)' failed: got \(NumberFormat.shortest(x)), expected \(NumberFormat.shortest(target)) ± \(NumberFormat.shortest(tol))",
              argument: path)
          }
        }
        if let lo = e.min, !(x >= lo) {
          throw StepError(
            "check '\(label)' failed: got \(NumberFormat.shortest(x)), expected at least \(NumberFormat.shortest(lo))",
            argument: path)
        }
        if let hi = e.max, !(x <= hi) {
          throw StepError(
            "check '\(label)' failed: got \(NumberFormat.shortest(x)), expected at most \(NumberFormat.shortest(hi))",
            argument: path)
        }
      }
      notes.append("✓ \(label) = \(Self.display(e.value, unit: e.unit ?? ""))")
    }
    return StepOutput(values: ["passed": .int(a.expect.count)], notes: notes)
  }

  /// A passed value for people: numbers by `unit`, anything else as its short text.
  static func display(_ v: Value, unit: String) -> String {
    if let x = v.number { return UnitFormat.text(x, unit: unit) }
    return v.displayText
  }

  /// Equality where an integer equals the same-valued double (YAML `4` vs a computed `4.0`).
  static func equal(_ a: Value, _ b: Value) -> Bool {
    if let x = a.number, let y = b.number { return x == y }
    switch (a, b) {
    case (.array(let xs), .array(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { equal($0, $1) }
    case (.object(let xs), .object(let ys)):
      return Set(xs.keys) == Set(ys.keys) && xs.keys.allSatisfy { equal(xs[$0]!, ys[$0]!) }
    default: return a == b
    }
  }
}
