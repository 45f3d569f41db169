/// Where things live in the Forest module (stage 2 of the pipeline, `dune-reference.md` §3–4).
///
/// - Data preparation, sample weights `(L−N+1)/L` and `1/L`, arithmetic test expansion (§3.1, §3.5):
///   `DatasetPreparation`, `LabelledSet`, `SampleFiles` (file names and loading).
/// - CART split search (weighted Gini/entropy, midpoint thresholds, `max_features` draws with
///   scikit-learn's constant-feature rule, depth-first and best-first growth): `TreeBuilder`, on
///   the ranked columns of `TrainingData`, sorted by `RadixSort`.
/// - Seeds (tree t of any forest; node seeds by path, which makes truncation exact): `SeedDerivation`.
/// - Forest training on all cores: `RandomForest`, `parallelMap`. Settings: `ForestParameters`.
/// - Prediction, soft (probability mean) and hard (majority): `ForestModel` and `ForestModel+Batch`.
///   Model file format: `ForestModel+JSON`.
/// - Metrics (`classification_report` with `labels` and `sample_weight`): `ClassificationReport`;
///   FL/PL convention: `FlowPacketEvaluation`.
/// - MDI and PCFI (§4.1, §13.2): `FeatureImportance`; MDI of every (trees, depth) truncation:
///   `FeatureImportance+Truncated`.
/// - Grid (§3.3–3.4) and its shortcuts: `UnconstrainedGrid`, `TruncatedForestEvaluator`; reference
///   output files (§3.3, §3.6, §4.3): `GridOutputs`; inputs read from sample files, PCFI retraining:
///   `UnconstrainedGrid+Loading`.
/// - The reference's TCAM selection formula (§6.4), shared by the cluster analysis and the data plane:
///   `ReferenceTCAMModel`, `referenceTCAMShare`.
public enum ForestOverview {}
