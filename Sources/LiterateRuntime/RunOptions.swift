import DUNESupport
import Literate

/// How `Runner.run` behaves; the `dune run` flags map one to one.
public struct RunOptions: Sendable {
  /// Which chapters and step range to run (upstream steps are added as needed).
  public var selection: Selection
  /// `-P name=value` overrides of front-matter parameters.
  public var overrides: [String: Value]
  /// Re-run the selected steps even when their cache entries are fresh.
  public var force: Bool
  /// Plan and explain only: nothing runs, nothing is written.
  public var dryRun: Bool
  /// Wait for another runner's lock instead of refusing.
  public var waitForLock: Bool
  /// The git commit to record; nil asks `git rev-parse HEAD` in the project root.
  public var gitCommit: String?
  /// The process environment (only `SOURCE_DATE_EPOCH` is read, for report provenance).
  public var environment: [String: String]
  /// Execution settings handed to every step (`StepContext.execution`); not part of any cache key.
  public var execution: [String: String]

  public init(
    selection: Selection = Selection(), overrides: [String: Value] = [:], force: Bool = false, dryRun: Bool = false,
    waitForLock: Bool = false, gitCommit: String? = nil, environment: [String: String] = [:],
    execution: [String: String] = [:]
  ) {
    self.execution = execution
    self.selection = selection
    self.overrides = overrides
    self.force = force
    self.dryRun = dryRun
    self.waitForLock = waitForLock
    self.gitCommit = gitCommit
    self.environment = environment
  }
}

/// What happened (or, in a dry run, would happen) to one step.
public struct StepOutcome: Sendable, Equatable {
  public enum Status: String, Sendable, Equatable {
    /// Restored from the cache.
    case fresh
    /// Executed successfully.
    case ran
    /// Failed as its `#| expect-error:` declared.
    case expectedError = "expected-error"
    /// Failed.
    case failed
    /// Dry run: would run because its key changed.
    case stale
    /// Dry run: would run because it never ran (or its entry is gone).
    case missing
  }

  /// `chapter/step`.
  public var label: String
  public var chapter: String
  public var step: String
  public var kind: String
  public var status: Status
  /// Why the step runs (stale components, never run, forced…); empty for fresh steps.
  public var reasons: [String]
  /// The cache key, when it could be computed.
  public var key: String?
  /// Execution time (0 for fresh steps).
  public var seconds: Double
}

/// The result of `Runner.run`.
public struct RunSummary: Sendable {
  /// One outcome per visited step, in order.
  public var outcomes: [StepOutcome]
  /// The first unexpected failure, located at the step (or the argument it names).
  public var failure: LocatedError?
  /// The store's id for this run (nil for dry runs).
  public var runID: Int64?

  /// Steps that executed (ran, failed or expected-error).
  public var executed: [StepOutcome] { outcomes.filter { [.ran, .failed, .expectedError].contains($0.status) } }
}
