import DUNESupport
import Foundation

/// `dune csv.summary`: row count and per-column statistics of a CSV file, as outputs and metrics.
///
/// ```yaml
/// path: data/samples.csv
/// columns: [length, iat]   # optional: numeric columns to summarise (default: every all-numeric column)
/// ```
/// Outputs: `rows` (integer), `columns` (list of header names), `stats` (column → {min, max, mean}).
public struct CSVSummaryStep: StepKind {
  public struct Arguments: Decodable, Sendable {
    public var path: String
    public var columns: [String]?
  }

  public init() {}
  public let name = "csv.summary"
  public var summary: String { "row count and min/max/mean of numeric columns of a CSV file" }
  public var inputArguments: [String] { ["path"] }
  public var outputs: [OutputDeclaration] {
    [OutputDeclaration("rows", .integer), OutputDeclaration("columns", .list), OutputDeclaration("stats", .mapping)]
  }

  public func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let table = try CSVTable.read(path: context.resolve(a.path))
    let wanted: [Int]
    if let names = a.columns {
      wanted = try names.enumerated().map { i, name in
        guard let c = table.header.firstIndex(of: name) else {
          throw StepError(
            "column '\(name)' not in \(a.path) (columns: \(table.header.joined(separator: ", ")))",
            argument: ["columns", String(i)])
        }
        return c
      }
    } else {
      wanted = table.header.indices.filter { c in
        !table.records.isEmpty && table.records.allSatisfy { c < $0.fields.count && Double($0.fields[c]) != nil }
      }
    }
    var stats: [String: Value] = [:]
    var metrics: [Metric] = [Metric("rows", Double(table.records.count), unit: "rows")]
    for c in wanted {
      let name = table.header[c]
      var lo = Double.infinity
      var hi = -Double.infinity
      var sum = 0.0
      for r in table.records {
        let x = try table.double(r, c)
        lo = Swift.min(lo, x)
        hi = Swift.max(hi, x)
        sum += x
      }
      guard !table.records.isEmpty else { continue }
      let mean = sum / Double(table.records.count)
      stats[name] = .object(["min": .double(lo), "max": .double(hi), "mean": .double(mean)])
      metrics.append(Metric("mean", mean, labels: ["column": name]))
    }
    return StepOutput(
      values: [
        "rows": .int(table.records.count), "columns": .array(table.header.map { .string($0) }), "stats": .object(stats),
      ],
      metrics: metrics)
  }
}
