import Literate

/// The step kinds `dune run` knows: the runner's generic built-ins (`check`, `values`, `csv.summary`)
/// plus the pipeline steps, in chapter order.
public let defaultRegistry: StepRegistry = StepRegistry(
  builtinStepKinds
    + [DatasetStep(), SamplesStep(), ForestGridStep(), PartitionStep()] as [any StepKind]  // chapters 00–03
    + [ClustersStep(), SequenceStep(), DataplaneStep()] as [any StepKind]  // chapters 04–06
)
