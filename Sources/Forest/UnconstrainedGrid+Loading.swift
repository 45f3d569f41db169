import DUNESupport

extension UnconstrainedGrid {
  /// The grid's inputs read from sample files, with each N's prepared sets kept for the retraining.
  public struct LoadedInputs: Sendable {
    /// One input per inference point, in the order asked for.
    public var inputs: [Input]
    /// The prepared train/test sets (and dropped-row counts) by N.
    public var prepared: [Int: DatasetPreparation.Prepared]
  }

  /// Reads and prepares `<uc>_{train,test}_<N>.csv` of every N in `inferencePoints` (`SampleFiles.load`).
  public static func loadInputs(
    _ files: SampleFiles, inferencePoints: [Int], classes: [String], features: [String]
  ) throws -> LoadedInputs {
    // Inference points are independent: read and prepare them on every core.
    let loaded = try DUNESupport.parallelMap(count: inferencePoints.count, threads: defaultThreadCount) { i in
      try files.load(n: inferencePoints[i], classes: classes, features: features)
    }
    var out = LoadedInputs(inputs: [], prepared: [:])
    for (n, p) in zip(inferencePoints, loaded) {
      out.prepared[n] = p
      out.inputs.append(Input(n: n, train: p.train, test: p.test))
    }
    return out
  }

  /// The forest of the grid's best point at its realised depth, for PCFI: the trees the grid grew
  /// for it, cut to that depth (`Summary.bestFit`), when it grew them with the retraining's
  /// parameters (Gini); else `retrainBest`. The same trees either way (`ShortcutTests`), without
  /// fitting the best forest a second time.
  public static func bestModel(
    _ summary: Summary, train: LabelledSet, classes: [String], features: [String], settings: Settings
  ) throws -> ForestModel {
    let best = summary.best
    if let grown = summary.bestFit, grown.count == best.treeCount, settings.criterion == .gini {
      return ForestModel(classes: classes, features: best.features, trees: grown)
    }
    return try retrainBest(best, train: train, classes: classes, features: features, settings: settings)
  }

  /// The forest of grid point `best` retrained at its realised depth, for PCFI.
  ///
  /// The grid evaluates truncations of deeper fits; a fit grown to the realised depth has the same
  /// trees (the shortcut proofs of `TruncatedForestEvaluator`), and its MDI is the one PCFI needs.
  /// `train` is the prepared training set of `best.n` over all of `features`.
  public static func retrainBest(
    _ best: Row, train: LabelledSet, classes: [String], features: [String], settings: Settings
  ) throws -> ForestModel {
    let realised = best.realisedDepth
    let indices = try best.features.map { name in
      guard let i = features.firstIndex(of: name) else { throw UsageError("feature '\(name)' is not a grid column") }
      return i
    }
    return try RandomForest.train(
      train.selecting(features: indices), classes: classes, features: best.features,
      parameters: ForestParameters(
        treeCount: best.treeCount, growth: .depthFirst(maxDepth: realised), maxFeatures: settings.maxFeatures,
        seed: settings.seed),
      threads: settings.threads)
  }

  /// The `;`-separated results files (`GridOutputs`), filled row by row as the grid reports them.
  public struct ResultFiles: Sendable {
    private var writers: [Int: CSVWriter] = [:]
    private let classes: [String]

    /// One file per N in `inferencePoints`, each starting with the reference header.
    public init(inferencePoints: [Int], classes: [String]) {
      self.classes = classes
      for n in inferencePoints {
        var w = CSVWriter(delimiter: ";")
        w.row(GridOutputs.resultsHeader)
        writers[n] = w
      }
    }

    /// Appends `row` to the file of its N.
    public mutating func add(_ row: Row) { writers[row.n]?.row(GridOutputs.resultsFields(row, classes: classes)) }

    /// The text of N's file (just the header when no row of N was added).
    public func text(n: Int) -> String { writers[n]?.text ?? "" }
  }
}

extension UnconstrainedGrid.Row {
  /// The deepest tree actually grown (at most the grid depth `maxDepth`).
  public var realisedDepth: Int { depths.max() ?? maxDepth }
}
