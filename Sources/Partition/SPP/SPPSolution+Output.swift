import DUNESupport
import Foundation

extension SPPSolution {
  /// Class names of each block, in W-row order.
  public var blockClassNames: [[String]] {
    partition.blocks.map { BitSet.members($0.members).map { problem.classNames[$0] } }
  }

  /// Feature names of each block's φ*, in W-column order.
  public var blockFeatureNames: [[String]] {
    partition.blocks.map { BitSet.members($0.features).map { problem.featureNames[$0] } }
  }

  /// The reference solution CSV (spec §5.7): `Cluster,Class List,Feature List`, list cells as Python literals.
  public func referenceCSV() -> String {
    var w = CSVWriter()
    w.row(["Cluster", "Class List", "Feature List"])
    for (i, (classes, features)) in zip(blockClassNames, blockFeatureNames).enumerated() {
      w.row([String(i), PythonLiteral.list(classes), PythonLiteral.list(features)])
    }
    return w.text
  }

  /// The solution as a JSON document (sorted keys, 9 decimals for reals).
  ///
  /// Keys: `method`, `classes` (m), `features` (r), `blocks` (id, classes, features, theta, psi, gain),
  /// `numberOfBlocks`, `sumGain`, `compactness`, `totalGain` (= C(k)·Σ g), `objective` (the value the
  /// method maximised), `levels` and `bestLevel` (greedy), `bestSumByBlocks` (exact/ilp).
  public func json() -> JSONValue {
    var blocks: [JSONValue] = []
    for (i, b) in partition.blocks.enumerated() {
      blocks.append(
        .object([
          "id": .int(i),
          "classes": .array(blockClassNames[i].map(JSONValue.string)),
          "features": .array(blockFeatureNames[i].map(JSONValue.string)),
          "theta": .real(b.theta),
          "psi": .real(b.psi),
          "gain": .real(b.gain),
        ]))
    }
    var doc: [String: JSONValue] = [
      "method": .string(method.rawValue),
      "classes": .int(problem.classCount),
      "features": .int(problem.featureCount),
      "blocks": .array(blocks),
      "numberOfBlocks": .int(partition.blockCount),
      "sumGain": .real(partition.sumGain),
      "compactness": .real(partition.compactness),
      "totalGain": .real(partition.totalGain),
      "objective": .real(objective),
    ]
    if let best = bestLevel {
      doc["bestLevel"] = .int(best)
      doc["levels"] = .array(
        levels.map { l in
          .object([
            "level": .int(l.level),
            "numberOfBlocks": .int(l.partition.blockCount),
            "merged": .array(BitSet.members(l.chosen).map { .string(problem.classNames[$0]) }),
            "degenerate": .bool(l.degenerate),
            "sumGain": .real(l.partition.sumGain),
            "compactness": .real(l.partition.compactness),
            "totalGain": .real(l.partition.totalGain),
          ])
        })
    }
    if !bestSumByBlocks.isEmpty {
      doc["bestSumByBlocks"] = .array(
        bestSumByBlocks.indices.dropFirst().compactMap { k in
          bestSumByBlocks[k].map { s in
            .object([
              "numberOfBlocks": .int(k),
              "sumGain": .real(s),
              "totalGain": .real(ClassPartition.compactness(blocks: k, classes: problem.classCount) * s),
            ])
          }
        })
    }
    return .object(doc)
  }

  /// A human-readable summary (blocks and, for greedy, the level table).
  public func textSummary() -> String {
    var out =
      "method \(method.rawValue): \(partition.blockCount) blocks, Σg \(NumberFormat.fixed(partition.sumGain, 5)), "
    out +=
      "C(k) \(NumberFormat.fixed(partition.compactness, 4)), TotalGain \(NumberFormat.fixed(partition.totalGain, 5))"
    out += ", objective \(NumberFormat.fixed(objective, 5))\n"
    if let best = bestLevel {
      out += "level  #blocks  sum_g     C(k)    TotalGain\n"
      for l in levels {
        let p = l.partition
        out += "\(l.level)".padding(toLength: 7, withPad: " ", startingAt: 0)
        out += "\(p.blockCount)".padding(toLength: 9, withPad: " ", startingAt: 0)
        out += NumberFormat.fixed(p.sumGain, 5) + "   " + NumberFormat.fixed(p.compactness, 4) + "  "
        out += NumberFormat.fixed(p.totalGain, 5) + (l.level == best ? "  *" : "") + "\n"
      }
    }
    for (i, b) in partition.blocks.enumerated() {
      out += "block \(i): {\(blockClassNames[i].joined(separator: ", "))}  g \(NumberFormat.fixed(b.gain, 6))"
      out += "  features: \(blockFeatureNames[i].joined(separator: ", "))\n"
    }
    return out
  }
}
