extension GridOutputs {
  /// One results row (§3.3 columns) for any grid point, e.g. a best-first point of the constrained
  /// grid (§6.3) whose "depth" is the realised depth list; same formatting as `resultsFields`.
  public static func resultsFields(
    n: Int, treeCount: Int, features: [String], depths: [Int], leaves: [Int], evaluation: FlowPacketEvaluation,
    classes: [String]
  ) -> [String] {
    let row = UnconstrainedGrid.Row(
      n: n, treeCount: treeCount, maxDepth: depths.max() ?? 0, features: features, depths: depths, leaves: leaves,
      evaluation: evaluation)
    return resultsFields(row, classes: classes)
  }
}
