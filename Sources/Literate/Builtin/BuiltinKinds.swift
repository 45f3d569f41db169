/// The generic step kinds every registry starts from: `check`, `values`, `csv.summary`, `summary`.
public let builtinStepKinds: [any StepKind] = [CheckStep(), ValuesStep(), CSVSummaryStep(), SummaryStep()]
