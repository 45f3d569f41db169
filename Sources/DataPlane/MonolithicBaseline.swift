import Forest

/// The monolithic baseline: one forest on one switch, through the same emulator (`data-plane.md` §10.4).
///
/// The model must fit one switch's budget; a model that does not fit is reported as such (typed),
/// never emulated as if it did.
public enum MonolithicBaseline {
  /// Either the emulation with the model's resources, or the resources that do not fit.
  public enum Outcome: Sendable {
    case ran(ChainRun, ResourceEstimate)
    case doesNotFit(ResourceEstimate)
  }

  /// Compiles `model` as chain position 1 (offset 0), checks it against `budget`, replays `replay`.
  public static func run(
    model: ForestModel, options: CompileOptions, budget: SwitchBudget = .tofino1,
    config: ChainEmulatorConfig = ChainEmulatorConfig(), replay: Replay
  ) throws -> Outcome {
    var opts = options
    opts.modelID = 1
    opts.classOffset = 0
    let compiled = try TableCompiler.compile(model, options: opts)
    let estimate = ResourceModel.estimate(compiled, budget: budget)
    guard estimate.fit.fits else { return .doesNotFit(estimate) }
    let emulator = try ChainEmulator(stages: [ChainStage(compiled)], config: config)
    return .ran(emulator.run(replay), estimate)
  }
}
