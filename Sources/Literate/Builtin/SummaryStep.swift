import DUNESupport

/// `dune summary`: a chapter's key numbers, named and with units, for the chapter's row on the
/// overview page; with `answer: true`, the run's answer, shown first on the overview page together
/// with figures and tables of earlier steps.
///
/// ```yaml
/// answer: true                      # optional: lead the overview page with this summary
/// title: What the run found         # optional heading
/// items:
///   - label: FL macro F1
///     value: ${step.forest.macroF1FL}
///     unit: "%"                     # %, fraction, gain, s, or a count noun (UnitFormat)
/// figures: [dataplane/fig-dune-vs-monolithic]   # optional: <step id>/<figure id>
/// tables: [dataplane/resources]                 # optional: <step id>/<table id>
/// ```
/// Figures and tables are named, not copied: the report shows the named step's current result.
public struct SummaryStep: StepKind {
  public struct Item: Decodable, Sendable {
    public var label: String
    public var value: Value
    public var unit: String?
  }

  public struct Arguments: Decodable, Sendable {
    public var items: [Item]
    public var title: String?
    public var answer: Bool?
    public var figures: [String]?
    public var tables: [String]?
  }

  public init() {}
  public let name = "summary"
  public var summary: String {
    "a chapter's key numbers (and, with answer: true, the run's answer on the overview page)"
  }
  public var outputs: [OutputDeclaration] { [OutputDeclaration("items", .list)] }

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    for (i, name) in (a.figures ?? []).enumerated() where name.split(separator: "/").count != 2 {
      throw StepError("figure '\(name)' should be <step id>/<figure id>", argument: ["figures", String(i)])
    }
    for (i, name) in (a.tables ?? []).enumerated() where name.split(separator: "/").count != 2 {
      throw StepError("table '\(name)' should be <step id>/<table id>", argument: ["tables", String(i)])
    }
    let items = a.items.map { item -> Value in
      .object(["label": .string(item.label), "value": item.value, "unit": .string(item.unit ?? "")])
    }
    var values: [String: Value] = ["items": .array(items), "answer": .bool(a.answer ?? false)]
    if let t = a.title { values["title"] = .string(t) }
    if let f = a.figures { values["figures"] = .array(f.map(Value.string)) }
    if let t = a.tables { values["tables"] = .array(t.map(Value.string)) }
    return StepOutput(values: values)
  }
}

/// One key number of a `summary` step, read back from its outputs.
public struct SummaryItem: Sendable, Equatable {
  public var label: String
  public var value: Value
  public var unit: String

  /// The items of a `summary` step's `items` output.
  public static func items(_ output: StepOutput) -> [SummaryItem] {
    guard case .array(let list)? = output.values["items"] else { return [] }
    return list.compactMap { v in
      guard let label = v.value(at: ["label"])?.stringValue, let value = v.value(at: ["value"]) else { return nil }
      return SummaryItem(label: label, value: value, unit: v.value(at: ["unit"])?.stringValue ?? "")
    }
  }

  /// The value for people: a number by its unit, anything else as its short text.
  public var text: String { CheckStep.display(value, unit: unit) }
}
