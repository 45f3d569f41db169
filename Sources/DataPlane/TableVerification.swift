import DUNESupport
import Forest
import Traffic

/// Table lookup versus the model's own predictions on a set of samples (`data-plane.md` §10.1).
public struct TableVerification: Codable, Sendable, Equatable {
  public var rows: Int
  /// (row, tree) pairs where the matched code-table entry is the leaf direct traversal reaches
  /// (expected: all `rows × trees` below saturation — any miss is a compiler bug).
  public var treeLeafAgreements: Int
  public var treeLeafComparisons: Int
  /// Rows where the table lookup equals the hard vote with the compiled tie rule (expected: all).
  public var hardVoteAgreements: Int
  /// Rows where the table lookup equals the soft vote (reported, expected close to all).
  public var softVoteAgreements: Int
  /// Rows with at least one saturating encoding (exactness is guaranteed only below saturation).
  public var saturatedRows: Int
  /// Up to 20 disagreeing row indices (0-based data rows).
  public var firstMismatches: [Int]

  public var hardVoteAgreement: Double { rows == 0 ? 1 : Double(hardVoteAgreements) / Double(rows) }
  public var softVoteAgreement: Double { rows == 0 ? 1 : Double(softVoteAgreements) / Double(rows) }

  /// Evaluates every row (training representation, model feature order).
  public static func run(model: ForestModel, compiled: CompiledSubModel, rows: [[Double]]) -> TableVerification {
    var ev = TableLookupEvaluator(compiled)
    var hard = 0
    var soft = 0
    var saturated = 0
    var leafHits = 0
    var mismatches: [Int] = []
    let tie = compiled.votingTable?.tieRule ?? .other
    for (i, x) in rows.enumerated() {
      let keys = ev.encode { x[$0] }
      let trace = ev.trace(keys: keys)
      let local = trace.local
      for (t, tree) in model.trees.enumerated() where trace.leaves[t] == tree.leaf({ x[$0] }) { leafHits += 1 }
      let expected = model.hardVoteLocal({ x[$0] }, tieRule: tie, localOther: compiled.classMap.localOther)
      if local == expected {
        hard += 1
      } else if mismatches.count < 20 {
        mismatches.append(i)
      }
      if local == model.predictSoft({ x[$0] }) + 1 { soft += 1 }
      if compiled.features.indices.contains(where: { compiled.features[$0].saturates(x[$0]) }) { saturated += 1 }
    }
    return TableVerification(
      rows: rows.count, treeLeafAgreements: leafHits, treeLeafComparisons: rows.count * model.trees.count,
      hardVoteAgreements: hard, softVoteAgreements: soft, saturatedRows: saturated,
      firstMismatches: mismatches)
  }

  /// The model's feature columns of a sample table, row by row (the values `rows(from:)` reads from
  /// the table's CSV).
  public static func rows(from table: SampleTable, features: [String]) throws -> [[Double]] {
    let cols = try features.map { f in
      guard let c = table.columnIndex(f) else { throw UsageError("the sample table has no column '\(f)'") }
      return table.values[c]
    }
    return (0..<table.rowCount).map { r in cols.map { $0[r] } }
  }

  /// Reads the model's feature columns from a sample CSV (canonical sample table or any CSV with
  /// those columns).
  public static func rows(from table: CSVTable, features: [String]) throws -> [[Double]] {
    let cols = try features.map { try table.column($0) }
    return try table.records.map { r in try cols.map { try table.double(r, $0) } }
  }
}
