import DUNESupport
import Forest

/// One point of a cluster's constrained grid, reduced to what selecting and refitting it needs:
/// its hyper-parameters, its FL macro F1 (with `Other`) and its reference TCAM share.
///
/// A refit with the grid's seed reproduces the point's forest (`ClusterAnalysis` checks this for the
/// selected point on every run), so experiments that re-select under other constraints keep the
/// candidates and refit only the ones they pick.
public struct ClusterCandidate: Sendable, Hashable, Codable {
  public var n: Int
  public var trees: Int
  /// The `max_leaf_nodes` setting.
  public var leafBudget: Int
  /// Feature names in rank order.
  public var features: [String]
  /// The largest realised leaf count over the trees.
  public var maxLeaves: Int
  /// FL macro F1 including `Other`, fraction.
  public var macroF1: Double
  /// Reference TCAM share (fraction of 288 blocks, §6.4).
  public var tcam: Double

  public init(
    n: Int, trees: Int, leafBudget: Int, features: [String], maxLeaves: Int, macroF1: Double, tcam: Double
  ) {
    self.n = n
    self.trees = trees
    self.leafBudget = leafBudget
    self.features = features
    self.maxLeaves = maxLeaves
    self.macroF1 = macroF1
    self.tcam = tcam
  }

  /// The candidate of a grid row.
  public init(_ row: ConstrainedGrid.Row) {
    self.init(
      n: row.n, trees: row.treeCount, leafBudget: row.leafBudget, features: row.features,
      maxLeaves: row.leaves.max() ?? 0, macroF1: row.macroF1, tcam: row.tcam)
  }

  /// `0.5 · macroF1 + 0.5 · (1 − tcam)` (§6.5).
  public var successScore: Double { ClusterSelection.successScore(macroF1: macroF1, tcam: tcam) }
}

/// `candidates.csv`: every grid point of every cluster of a partition, one line each —
/// `cluster,classes,n,trees,leaf_budget,max_leaves,features,macro_f1_fl,tcam` (lists as Python
/// literals, fractions in shortest round-trip form so a reader gets the very same doubles).
public enum ClusterCandidatesFile {
  /// One cluster's block and candidates.
  public struct Cluster: Sendable, Equatable {
    public var classes: [String]
    public var candidates: [ClusterCandidate]

    public init(classes: [String], candidates: [ClusterCandidate]) {
      self.classes = classes
      self.candidates = candidates
    }
  }

  static let header = [
    "cluster", "classes", "n", "trees", "leaf_budget", "max_leaves", "features", "macro_f1_fl", "tcam",
  ]

  /// The file text, clusters in order.
  public static func csv(_ clusters: [Cluster]) -> String {
    var w = CSVWriter()
    w.row(header)
    for (q, c) in clusters.enumerated() {
      for x in c.candidates {
        w.row([
          String(q), PythonLiteral.list(c.classes), String(x.n), String(x.trees), String(x.leafBudget),
          String(x.maxLeaves), PythonLiteral.list(x.features), NumberFormat.shortest(x.macroF1),
          NumberFormat.shortest(x.tcam),
        ])
      }
    }
    return w.text
  }

  /// The clusters of a file written by `csv`; errors name the file, line and column.
  public static func parse(_ table: CSVTable) throws -> [Cluster] {
    let cols = try header.map { try table.column($0) }
    var out: [Cluster] = []
    for rec in table.records {
      func cell(_ i: Int) -> String { rec.fields[cols[i]] }
      func int(_ i: Int) throws -> Int {
        guard let v = Int(cell(i)) else {
          throw LocatedError(
            file: table.path, line: rec.line, column: cols[i] + 1, "'\(header[i])' must be an integer, got '\(cell(i))'"
          )
        }
        return v
      }
      func real(_ i: Int) throws -> Double {
        guard let v = Double(cell(i)), v.isFinite else {
          throw LocatedError(
            file: table.path, line: rec.line, column: cols[i] + 1, "'\(header[i])' must be a number, got '\(cell(i))'")
        }
        return v
      }
      let q = try int(0)
      let classes = try PythonStringList.parse(cell(1), file: table.path, line: rec.line, column: cols[1] + 1)
      if q == out.count {
        out.append(Cluster(classes: classes, candidates: []))
      } else if q != out.count - 1 || out[q].classes != classes {
        throw LocatedError(
          file: table.path, line: rec.line, column: cols[0] + 1,
          "clusters must be numbered 0, 1, … in order with one class list each (cluster \(q))")
      }
      out[q].candidates.append(
        ClusterCandidate(
          n: try int(2), trees: try int(3), leafBudget: try int(4),
          features: try PythonStringList.parse(cell(6), file: table.path, line: rec.line, column: cols[6] + 1),
          maxLeaves: try int(5), macroF1: try real(7), tcam: try real(8)))
    }
    return out
  }
}
