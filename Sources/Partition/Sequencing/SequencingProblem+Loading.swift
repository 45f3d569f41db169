import DUNESupport

extension SequencingProblem {
  /// Loads the reference files: the cluster-level matrix (`cm_matrix_cluster.csv` layout: header
  /// `"",0,…,n−1`, first column the row index k) and a `Cluster,Macro_f1_FL` file (percent).
  public static func load(falsePositivePath: String, f1Path: String) throws -> SequencingProblem {
    try parse(falsePositive: CSVTable.read(path: falsePositivePath), f1: CSVTable.read(path: f1Path))
  }

  /// Builds the instance from already-read tables (see `load`). Errors name the file, line and column.
  public static func parse(falsePositive fp: CSVTable, f1 f1Table: CSVTable) throws -> SequencingProblem {
    let n = fp.header.count - 1
    guard n >= 1 else {
      throw LocatedError(file: fp.path, line: 1, "expected a header \",0,1,…\" with one column per sub-model")
    }
    for j in 0..<n where fp.header[j + 1] != String(j) {
      throw LocatedError(
        file: fp.path, line: 1, column: j + 2, "column \(j + 2) must be named '\(j)', found '\(fp.header[j + 1])'")
    }
    guard fp.records.count == n else {
      throw LocatedError(file: fp.path, "expected \(n) rows (one per true cluster), found \(fp.records.count)")
    }
    var matrix: [[Double]] = []
    for (k, rec) in fp.records.enumerated() {
      guard Int(rec.fields[0]) == k else {
        throw LocatedError(file: fp.path, line: rec.line, column: 1, "row index must be \(k), found '\(rec.fields[0])'")
      }
      var row: [Double] = []
      for j in 0..<n {
        guard let v = Double(rec.fields[j + 1]), v.isFinite, v >= 0 else {
          throw LocatedError(
            file: fp.path, line: rec.line, column: j + 2, "'\(rec.fields[j + 1])' is not a non-negative number")
        }
        row.append(v)
      }
      matrix.append(row)
    }

    let clusterCol = try f1Table.column("Cluster")
    let f1Col = try f1Table.column("Macro_f1_FL")
    var f1 = [Double?](repeating: nil, count: n)
    for rec in f1Table.records {
      guard let c = Int(rec.fields[clusterCol]), c >= 0, c < n else {
        throw LocatedError(
          file: f1Table.path, line: rec.line, column: clusterCol + 1,
          "cluster '\(rec.fields[clusterCol])' is not in 0…\(n - 1) (the matrix has \(n) sub-models)")
      }
      guard f1[c] == nil else {
        throw LocatedError(file: f1Table.path, line: rec.line, column: clusterCol + 1, "duplicate cluster \(c)")
      }
      guard let v = Double(rec.fields[f1Col]), v.isFinite else {
        throw LocatedError(
          file: f1Table.path, line: rec.line, column: f1Col + 1, "'\(rec.fields[f1Col])' is not a number")
      }
      f1[c] = v
    }
    if let missing = f1.firstIndex(where: { $0 == nil }) {
      throw LocatedError(file: f1Table.path, "no Macro_f1_FL for cluster \(missing)")
    }
    return try SequencingProblem(falsePositive: matrix, f1Percent: f1.map { $0! })
  }
}
