import Literate

/// The step kinds `dune run` knows: the runner's generic built-ins (`check`, `values`, `csv.summary`)
/// plus the pipeline steps (wired here as the stages land).
public let defaultRegistry: StepRegistry = StepRegistry(
  builtinStepKinds
    + [ClustersStep(), SequenceStep(), DataplaneStep()] as [any StepKind]
)
