import DUNESupport

/// The reference output formats of step 2 (`dune-reference.md` §3.3, §3.6, §4.3).
public enum GridOutputs {
  /// Columns of `{UC}_models_{N}pkts.csv` (`;`-separated), in the reference order.
  public static let resultsHeader = [
    "depth", "tree", "no_feats", "N_Leaves", "Macro_f1_FL", "Weighted_f1_FL", "Micro_f1_FL", "feats",
    "num_samples", "Macro_F1_PL", "Weighted_F1_PL", "Micro_F1_PL", "cl_report_FL", "cl_report_PL",
  ]

  /// The file name of the results of inference point `n`.
  public static func resultsFileName(useCase: String, n: Int) -> String { "\(useCase)_models_\(n)pkts.csv" }

  /// One results row. Scores are fractions printed in shortest round-trip form; lists use the
  /// Python list syntax of the reference; `cl_report_*` hold `{"class": f1, …}` over the evaluated
  /// labels (F1 as a fraction, 6 decimals) to keep the files small.
  public static func resultsFields(_ row: UnconstrainedGrid.Row, classes: [String]) -> [String] {
    let e = row.evaluation
    return [
      "[" + row.depths.map(String.init).joined(separator: ", ") + "]",
      String(row.treeCount),
      String(row.features.count),
      "[" + row.leaves.map(String.init).joined(separator: ", ") + "]",
      NumberFormat.shortest(e.fl.macroF1), NumberFormat.shortest(e.fl.weightedF1), NumberFormat.shortest(e.fl.microF1),
      "[" + row.features.map { "'\($0)'" }.joined(separator: ", ") + "]",
      NumberFormat.shortest(e.expandedSamples),
      NumberFormat.shortest(e.pl.macroF1), NumberFormat.shortest(e.pl.weightedF1), NumberFormat.shortest(e.pl.microF1),
      classReport(e.fl, classes: classes), classReport(e.pl, classes: classes),
    ]
  }

  static func classReport(_ r: ClassificationReport, classes: [String]) -> String {
    "{" + zip(r.labels, r.scores).map { "\"\(classes[$0])\": \(NumberFormat.fixed($1.f1, 6))" }.joined(separator: ", ")
      + "}"
  }

  /// `importance_weights.csv`: `classes` then one column per feature (in the given order, normally
  /// the best model's = descending MDI); one row per class in class-list order.
  public static func importanceWeightsCSV(_ pcfi: FeatureImportance.PerClass, classes: [String], features: [String])
    -> String
  {
    var w = CSVWriter()
    w.row(["classes"] + features)
    for (c, name) in classes.enumerated() {
      w.row([name] + pcfi.matrix[c].map { NumberFormat.shortest($0) })
    }
    return w.text
  }

  /// The per-class score file (F for step 3): `class,f1_score,support`, FL F1 in percent, support =
  /// test flows, evaluated classes only, sorted by F1 descending (ties: class-list order).
  public static func scorePerClassCSV(_ report: ClassificationReport, classes: [String]) -> String {
    let entries = zip(report.labels, report.scores).sorted { a, b in
      a.1.f1 != b.1.f1 ? a.1.f1 > b.1.f1 : a.0 < b.0
    }
    var w = CSVWriter()
    w.row(["class", "f1_score", "support"])
    for (c, s) in entries {
      w.row([classes[c], NumberFormat.shortest(s.f1 * 100), String(Int(s.support.rounded()))])
    }
    return w.text
  }
}
