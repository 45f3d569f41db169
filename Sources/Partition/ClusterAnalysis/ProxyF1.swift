import Forest

/// The reference's proxy F1 of a solution (`dune-reference.md` §6.6): no chain is simulated.
///
/// Every class takes the FL F1 it has in ITS OWN cluster's selected sub-model (`Other` excluded).
/// Optimistic: upstream sub-models grabbing a class's traffic and `Other` leaking downstream are
/// ignored; `ChainedEvaluation` gives the true chained figure.
public struct ProxyF1: Sendable, Equatable {
  /// One class's entry (a row of `score_per_cluster_per_class.csv`).
  public struct Entry: Sendable, Equatable {
    public var className: String
    public var cluster: Int
    /// FL F1 of the class in its cluster's sub-model, fraction.
    public var f1: Double
    /// Test flows of the class (FL support).
    public var support: Double
  }

  public var entries: [Entry]
  /// Classes of a cluster with no test flow: they have no F1 and are left out of both means.
  public var absentClasses: [String]
  /// Unweighted mean of the classes' F1, fraction.
  public var macro: Double
  /// Support-weighted mean, fraction.
  public var weighted: Double

  /// `reports[q]` is cluster q's selected FL report on local labels (`labellings[q]`).
  public init(reports: [ClassificationReport], labellings: [ClusterLabelling], clusterIDs: [Int]) {
    precondition(reports.count == labellings.count && reports.count == clusterIDs.count)
    var entries: [Entry] = []
    var absent: [String] = []
    for q in reports.indices {
      let lab = labellings[q]
      for local in 0..<lab.otherIndex {
        let name = lab.classes[local]
        guard let at = reports[q].labels.firstIndex(of: local) else {
          absent.append(name)
          continue
        }
        let s = reports[q].scores[at]
        entries.append(Entry(className: name, cluster: clusterIDs[q], f1: s.f1, support: s.support))
      }
    }
    self.init(entries: entries, absentClasses: absent)
  }

  /// The means of given entries (the arithmetic of §6.6).
  public init(entries: [Entry], absentClasses: [String] = []) {
    self.entries = entries
    self.absentClasses = absentClasses
    macro = entries.isEmpty ? 0 : entries.reduce(0) { $0 + $1.f1 } / Double(entries.count)
    let total = entries.reduce(0) { $0 + $1.support }
    weighted = total > 0 ? entries.reduce(0) { $0 + $1.f1 * $1.support } / total : 0
  }
}
