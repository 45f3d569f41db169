import DUNESupport
import Foundation

/// How the per-class F1 vector is aligned with W's rows (spec §5.1, bug S1).
public enum F1Alignment: String, Sendable, CaseIterable {
  /// Canonical: each W row takes the F1 of the score row with the same class name.
  case byName
  /// Reference-compatible (bug S1): F is sorted by class name (code-point order, uppercase before
  /// lowercase), truncated to m values and used positionally against W's rows. Only needed to
  /// reproduce the tutorial's 5-cluster ToN solution.
  case referencePositional
}

/// Parameters of `SPPProblem.load`: the cut (m, r), the classes to drop, and the F alignment.
public struct SPPLoadOptions: Sendable, Equatable {
  /// m: number of W rows kept (first m in file order after removing unwanted classes).
  public var classes: Int
  /// r: number of W columns kept (first r in file order).
  public var features: Int
  /// Classes removed from W and F before the cut (reference `unwanted_classes`).
  public var unwanted: [String]
  /// F alignment; `.byName` unless reproducing the reference's S1 behaviour.
  public var alignment: F1Alignment

  /// Options for m classes and r features; by default nothing removed and F joined by name.
  public init(classes: Int, features: Int, unwanted: [String] = [], alignment: F1Alignment = .byName) {
    self.classes = classes
    self.features = features
    self.unwanted = unwanted
    self.alignment = alignment
  }
}

extension SPPProblem {
  /// Loads W and F from the reference files (reference/README §6): the weights CSV (first column = class
  /// name, whatever its header) and the score CSV (`class`, `f1_score` in percent, optional `support`;
  /// an unnamed index column is ignored).
  public static func load(weightsPath: String, scoresPath: String, options: SPPLoadOptions) throws -> SPPProblem {
    try parse(
      weights: CSVTable.read(path: weightsPath), scores: CSVTable.read(path: scoresPath), options: options)
  }

  /// Builds the instance from already-read tables (see `load`). Errors name the file and line.
  public static func parse(weights: CSVTable, scores: CSVTable, options: SPPLoadOptions) throws -> SPPProblem {
    guard weights.header.count >= 2 else {
      throw LocatedError(
        file: weights.path, line: 1, "weights file needs a class column and at least one feature column")
    }
    // Rows of W, unwanted removed, in file order.
    let unwanted = Set(options.unwanted)
    let presentNames = Set(weights.records.map { $0.fields[0] })
    for u in options.unwanted where !presentNames.contains(u) {
      throw LocatedError(file: weights.path, "unwanted class '\(u)' is not a row of the weights file")
    }
    var seen = Set<String>()
    for rec in weights.records {
      guard seen.insert(rec.fields[0]).inserted else {
        throw LocatedError(file: weights.path, line: rec.line, column: 1, "duplicate class '\(rec.fields[0])'")
      }
    }
    let rows = weights.records.filter { !unwanted.contains($0.fields[0]) }
    let availableFeatures = weights.header.count - 1
    guard options.classes >= 2, options.classes <= min(rows.count, SPPProblem.maxClasses) else {
      throw LocatedError(
        file: weights.path,
        "number of classes m = \(options.classes) out of range 2…\(min(rows.count, SPPProblem.maxClasses)) "
          + "(\(rows.count) rows after removing unwanted classes)")
    }
    guard options.features >= 1, options.features <= min(availableFeatures, SPPProblem.maxFeatures) else {
      throw LocatedError(
        file: weights.path, line: 1,
        "number of features r = \(options.features) out of range 1…\(min(availableFeatures, SPPProblem.maxFeatures))")
    }
    let kept = rows.prefix(options.classes)
    let classNames = kept.map { $0.fields[0] }
    let featureNames = Array(weights.header[1...options.features])
    var w: [[Double]] = []
    for rec in kept {
      var row: [Double] = []
      for f in 1...options.features {
        guard let v = Double(rec.fields[f]), v.isFinite else {
          throw LocatedError(
            file: weights.path, line: rec.line, column: f + 1,
            "column '\(weights.header[f])': '\(rec.fields[f])' is not a finite number")
        }
        row.append(v)
      }
      w.append(row)
    }

    // F: class → F1 (percent), unwanted removed, file order kept for the positional mode.
    let classCol = try scores.column("class")
    let f1Col = try scores.column("f1_score")
    var scoreRows: [(name: String, f1: Double)] = []
    var scoreNames = Set<String>()
    for rec in scores.records {
      let name = rec.fields[classCol]
      guard scoreNames.insert(name).inserted else {
        throw LocatedError(file: scores.path, line: rec.line, column: classCol + 1, "duplicate class '\(name)'")
      }
      if unwanted.contains(name) { continue }
      guard let v = Double(rec.fields[f1Col]), v.isFinite else {
        throw LocatedError(
          file: scores.path, line: rec.line, column: f1Col + 1,
          "column 'f1_score': '\(rec.fields[f1Col])' is not a finite number")
      }
      scoreRows.append((name, v))
    }
    var f1: [Double] = []
    switch options.alignment {
    case .byName:
      let byName = Dictionary(uniqueKeysWithValues: scoreRows.map { ($0.name, $0.f1) })
      for name in classNames {
        guard let v = byName[name] else {
          throw LocatedError(file: scores.path, "class '\(name)' of the weights file has no F1 row")
        }
        f1.append(v)
      }
    case .referencePositional:
      let sorted = scoreRows.sorted { a, b in
        a.name.unicodeScalars.lexicographicallyPrecedes(b.name.unicodeScalars) { $0.value < $1.value }
      }
      guard sorted.count >= classNames.count else {
        throw LocatedError(
          file: scores.path,
          "positional F1 needs at least m = \(classNames.count) score rows after removing unwanted classes, found \(sorted.count)"
        )
      }
      f1 = sorted.prefix(classNames.count).map(\.f1)
    }
    return try SPPProblem(classNames: classNames, featureNames: featureNames, weights: w, f1Percent: f1)
  }
}
