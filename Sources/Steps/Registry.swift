import Literate
import SourceDigests

/// The step kinds `dune run` knows: the runner's generic built-ins (`check`, `values`, `csv.summary`)
/// plus the pipeline steps, in chapter order, with the source digests of this build's modules.
public let defaultRegistry: StepRegistry = StepRegistry(
  builtinStepKinds
    + [DatasetStep(), SamplesStep(), ForestGridStep(), PartitionStep()] as [any StepKind]  // chapters 00–03
    // chapters 04–06
    + [ClustersStep(), SequenceStep(), DownstreamStep(), DataplaneStep(), BMv2Step(), P4CompileStep()]
    as [any StepKind]
    + [BudgetSweepStep(), ChainLengthStep(), SeedRepeatsStep()] as [any StepKind],  // chapter 06's experiments
  code: CodeFingerprints(modules: SourceDigests.modules, dependencies: SourceDigests.dependencies)
)
