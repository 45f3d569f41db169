import DUNESupport

extension SequencingResult {
  /// The result as JSON: `order`, `objective`, `runnerUps` (order, objective), `allOptimal` (when
  /// requested) and the inputs `falsePositive` (FP[k][j], percent), `f1` and `cost` (c[i][j]).
  public func json(problem: SequencingProblem, includeAllOptimal: Bool) -> JSONValue {
    func matrix(_ m: [[Double]]) -> JSONValue {
      .array(m.map { .array($0.map { .fixed($0, decimals: 6) }) })
    }
    func ints(_ a: [Int]) -> JSONValue { .array(a.map(JSONValue.int)) }
    var doc: [String: JSONValue] = [
      "order": ints(order),
      "objective": .real(objective),
      "runnerUps": .array(runnerUps.map { .object(["order": ints($0.order), "objective": .real($0.cost)]) }),
      "falsePositive": matrix(problem.falsePositive),
      "f1": .array(problem.f1Percent.map { .fixed($0, decimals: 6) }),
      "cost": matrix(problem.cost),
    ]
    if includeAllOptimal {
      doc["allOptimal"] = .array(allOptimal.map(ints))
      doc["allOptimalTruncated"] = .bool(allOptimalTruncated)
    }
    return .object(doc)
  }

  /// The ranked orders as CSV: `rank,order,objective` (order as a Python list literal), optimum first.
  public func csv() -> String {
    var w = CSVWriter()
    w.row(["rank", "order", "objective"])
    let rows = [RankedOrder(order: order, cost: objective)] + runnerUps
    for (i, r) in rows.enumerated() {
      w.row([
        String(i + 1), "[" + r.order.map(String.init).joined(separator: ", ") + "]", NumberFormat.fixed(r.cost, 9),
      ])
    }
    return w.text
  }

  /// A human-readable summary.
  public func textSummary(includeAllOptimal: Bool) -> String {
    func show(_ o: [Int]) -> String { "[" + o.map(String.init).joined(separator: ", ") + "]" }
    var out = "order \(show(order))  cost \(NumberFormat.fixed(objective, 5))\n"
    for (i, r) in runnerUps.enumerated() {
      out += "runner-up \(i + 2): \(show(r.order))  cost \(NumberFormat.fixed(r.cost, 5))\n"
    }
    if includeAllOptimal {
      out += "\(allOptimal.count) optimal order(s)\(allOptimalTruncated ? " (truncated)" : ""):\n"
      for o in allOptimal { out += "  \(show(o))\n" }
    }
    return out
  }
}
