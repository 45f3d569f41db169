import DUNESupport
import Foundation

@testable import Literate
@testable import LiterateRuntime

/// Counts lines of a declared input file.
struct CountLines: StepKind {
  struct Arguments: Decodable, Sendable { var path: String }
  let name = "count-lines"
  var outputs: [OutputDeclaration] { [OutputDeclaration("lines", .integer)] }
  var inputArguments: [String] { ["path"] }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    guard let text = try? String(contentsOfFile: context.resolve(a.path), encoding: .utf8) else {
      throw StepError("cannot read \(a.path)", argument: ["path"])
    }
    let n = text.split(separator: "\n", omittingEmptySubsequences: true).count
    return StepOutput(values: ["lines": .int(n)], metrics: [Metric("lines", Double(n), unit: "lines")])
  }
}

/// Sums numbers (typically upstream outputs).
struct Sum: StepKind {
  struct Arguments: Decodable, Sendable {
    var values: [Double]
    var scale: Double?
  }
  let name = "sum"
  var outputs: [OutputDeclaration] { [OutputDeclaration("total", .number)] }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let total = a.values.reduce(0, +) * (a.scale ?? 1)
    return StepOutput(
      values: ["total": .double(total)], metrics: [Metric("total", total, unit: "", labels: ["kind": "sum"])])
  }
}

/// Fails when asked to.
struct FailOnDemand: StepKind {
  struct Arguments: Decodable, Sendable {
    var fail: Bool
    var message: String?
  }
  let name = "maybe-fail"
  var outputs: [OutputDeclaration] { [OutputDeclaration("ok", .bool)] }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    try context.write("partial", to: "partial.txt")
    if a.fail { throw StepError(a.message ?? "asked to fail", argument: ["fail"]) }
    return StepOutput(values: ["ok": .bool(true)])
  }
}

/// Writes a CSV artifact and a metric.
struct WriteCSV: StepKind {
  struct Arguments: Decodable, Sendable {
    var rows: Int
    var label: String?
  }
  let name = "write-csv"
  var outputs: [OutputDeclaration] { [OutputDeclaration("rows", .integer)] }
  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    var w = CSVWriter()
    w.row(["i", "square", "label"])
    for i in 0..<a.rows { w.row([String(i), String(i * i), a.label ?? "x"]) }
    try context.write(w.text, to: "table.csv")
    let svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect x=\"0\" y=\"0\" width=\"\(a.rows)\" height=\"5\"/></svg>"
    return StepOutput(
      values: ["rows": .int(a.rows)], metrics: [Metric("rows", Double(a.rows), unit: "rows")],
      figures: [StepFigure(id: "bar", caption: "Rows as a bar", svg: svg)],
      tables: [StepTable(id: "first", caption: "First row", columns: ["i", "square"], rows: [["0", "0"]])])
  }
}

let testRegistry = StepRegistry([CountLines(), Sum(), FailOnDemand(), WriteCSV()])

/// A throwaway project folder with `chapters/`.
struct TempProject {
  let root: URL

  init(_ chapters: [String: String], files: [String: String] = [:]) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    for (name, text) in chapters { try write("chapters/\(name)", text) }
    for (name, text) in files { try write(name, text) }
  }

  func write(_ path: String, _ text: String) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func read(_ path: String) -> String? {
    FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  var project: Project { Project(root: root) }

  func runner(_ registry: StepRegistry = testRegistry) -> Runner { Runner(project: project, registry: registry) }

  func run(_ options: RunOptions = RunOptions(gitCommit: "test-commit")) throws -> RunSummary {
    try runner().run(options)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

extension RunSummary {
  /// label → status, for compact expectations.
  var statuses: [String: StepOutcome.Status] {
    Dictionary(uniqueKeysWithValues: outcomes.map { ($0.label, $0.status) })
  }

  func outcome(_ label: String) -> StepOutcome? { outcomes.first { $0.label == label } }
}

/// The two-chapter project most tests start from.
let basicChapters: [String: String] = [
  "01-count.md": """
  ---
  title: Counting
  params:
    scale: 2
  ---
  # Counting lines

  Some prose with a table:

  | a | b |
  |---|--:|
  | 1 | 2 |

  ```dune count-lines
  #| id: count
  path: data/input.txt
  ```

  ```dune sum
  #| id: total
  values: ["${step.count.lines}", 10]
  scale: ${params.scale}
  ```
  """,
  "02-more.md": """
  # More

  ```dune write-csv
  rows: ${step.count.lines}
  ```

  ```dune sum
  values: [1, 2, 3]
  ```
  """,
]

let basicFiles = ["data/input.txt": "a\nb\nc\n"]
