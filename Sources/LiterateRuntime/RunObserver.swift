import Literate

/// Receives progress events from `Runner.run` (the CLI prints them; tests collect them).
public protocol RunObserver: Sendable {
  func stepStarted(_ step: PlannedStep)
  func stepFinished(_ step: PlannedStep, outcome: StepOutcome)
}
