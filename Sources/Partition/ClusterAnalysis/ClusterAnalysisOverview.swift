/// Step 4 (`dune-reference.md` §6, §7.1) — where each piece lives:
///
/// * `ClusterPartitionFile` / `ClusterDefinition` — the `Cluster,Class List,Feature List` input.
/// * `ClusterLabelling` — the `Other` relabelling and class order (§6.1, C6).
/// * `ClusterAnalysisData` — per-N preparation through `Forest.DatasetPreparation` (§3.1, §3.5) and
///   the test-row index for chaining (`TestFlowIndex`).
/// * `ConstrainedGrid` — the §6.3 grid; exact shortcuts via `Forest.LeafBudgetForestEvaluator`
///   (prefix forests, leaf-budget truncation) and fits keyed by ordered feature prefix.
/// * `ClusterSelection` — success score (§6.5), macro F1 without `Other` (C4), tie rule.
/// * TCAM share (§6.4) — `Forest.referenceTCAMShare`, used as a pure function.
/// * `ProxyF1` — the reference's per-class proxy (§6.6).
/// * `ChainedEvaluation` — the true chained F1, packet by packet across different N.
/// * `ClusterClaims` — claim weights of the cluster-level FP matrix (§7.1), normalised by
///   `ClusterFalsePositiveMatrix`.
/// * `DownstreamOtherRetraining` — §6.8 for a given order.
/// * `ClusterAnalysis` — the driver; `ClusterAnalysisOutputs` — the files (§6.7) and JSON summary.
public enum ClusterAnalysisOverview {}
