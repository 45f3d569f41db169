import Forest

/// The success score and the per-cluster selection rule (`dune-reference.md` §6.5).
public enum ClusterSelection {
  /// `0.5 · macroF1 + 0.5 · (1 − tcam)`, both fractions; macro F1 includes `Other` in the reference (C4).
  public static func successScore(macroF1: Double, tcam: Double) -> Double {
    0.5 * macroF1 + 0.5 * (1 - tcam)
  }

  /// Mean F1 over the report's evaluated labels except `excluded` (macro F1 without `Other`, C4).
  public static func macroF1(_ report: ClassificationReport, excluding excluded: Int) -> Double {
    let kept = zip(report.labels, report.scores).filter { $0.0 != excluded }
    return kept.isEmpty ? 0 : kept.reduce(0) { $0 + $1.1.f1 } / Double(kept.count)
  }

  /// True when `a` is preferred to `b`. Deterministic tie rule (the reference takes the first row of
  /// its folder listing, C5): higher success score, then higher FL macro F1, then smaller N, fewer
  /// trees, smaller leaf budget, fewer features, then the lexicographically smaller feature list.
  public static func isBetter(_ a: ConstrainedGrid.Row, than b: ConstrainedGrid.Row) -> Bool {
    isBetter(ClusterCandidate(a), than: ClusterCandidate(b))
  }

  /// The same rule on candidates (what experiments re-select from).
  public static func isBetter(_ a: ClusterCandidate, than b: ClusterCandidate) -> Bool {
    if a.successScore != b.successScore { return a.successScore > b.successScore }
    if a.macroF1 != b.macroF1 { return a.macroF1 > b.macroF1 }
    if (a.n, a.trees, a.leafBudget, a.features.count) != (b.n, b.trees, b.leafBudget, b.features.count) {
      return (a.n, a.trees, a.leafBudget, a.features.count) < (b.n, b.trees, b.leafBudget, b.features.count)
    }
    return a.features.lexicographicallyPrecedes(b.features)
  }

  /// The best row of `rows` (all N of one cluster) under `isBetter`, or nil when empty.
  public static func select(_ rows: [ConstrainedGrid.Row]) -> ConstrainedGrid.Row? {
    var best: ConstrainedGrid.Row?
    for r in rows where best.map({ isBetter(r, than: $0) }) ?? true { best = r }
    return best
  }
}
