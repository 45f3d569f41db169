import DUNESupport

/// Digests of the build's code modules and their dependencies: what a step's cache key records about
/// the code that computes it.
///
/// A step kind's fingerprint is the digest of the module that defines it, plus the digests of the
/// modules it declares in `StepKind.codeModules` and of `Literate` (the step API every kind runs
/// through), each closed over its dependencies. The `dune` build fills this from `SourceDigests`,
/// generated from the sources at build time; tests pass their own.
public struct CodeFingerprints: Sendable, Equatable {
  /// Module name → digest of its sources.
  public var modules: [String: String]
  /// Module name → the modules it depends on directly.
  public var dependencies: [String: [String]]

  /// Fingerprints of `modules` with the direct `dependencies` of each.
  public init(modules: [String: String], dependencies: [String: [String]] = [:]) {
    self.modules = modules
    self.dependencies = dependencies
  }

  /// No fingerprints: keys then hold no code component (runner tests with their own step kinds).
  public static let none = CodeFingerprints(modules: [:])

  /// The module every step kind runs through (argument decoding, values, outputs).
  public static let stepAPIModule = "Literate"

  /// A module that has no fingerprint.
  public struct MissingModule: Error, Sendable, Equatable {
    public var name: String
  }

  /// `names` and everything they depend on, transitively.
  public func closure(of names: [String]) throws(MissingModule) -> Set<String> {
    var seen = Set<String>()
    var stack = names
    while let name = stack.popLast() {
      guard seen.insert(name).inserted else { continue }
      guard modules[name] != nil else { throw MissingModule(name: name) }
      stack += dependencies[name] ?? []
    }
    return seen
  }

  /// Module → digest for a step kind defined in `definingModule` that declares `declared`: the defining
  /// module's own digest (not its dependencies: a module of adapters imports every library, while each
  /// kind declares the ones it uses) and the closure of `declared` plus the step API. Empty without
  /// fingerprints; a defining module without one (a test's own kinds) contributes nothing.
  public func digests(definingModule: String, declared: [String]) throws(MissingModule) -> [String: String] {
    guard !modules.isEmpty else { return [:] }
    var names = try closure(of: declared + [Self.stepAPIModule])
    if modules[definingModule] != nil { names.insert(definingModule) }
    var out: [String: String] = [:]
    for name in names { out[name] = modules[name] }
    return out
  }

  /// One digest over every module: a short name for the whole build's code, for provenance.
  public var combined: String {
    SHA256.hex(modules.keys.sorted().map { "\($0)=\(modules[$0]!)\n" }.joined())
  }
}
