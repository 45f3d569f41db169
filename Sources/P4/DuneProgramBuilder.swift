import DUNESupport
import DataPlane
import Foundation

/// Builds the P4 program and runtime entries of one switch from its compiled sub-model.
///
/// The program implements `data-plane.md` §3–§5 for chain position k = `modelID`:
/// shim insertion (§5.1), flow-class lookup, turn check and first-decision-wins (§5.3), per-flow
/// state with collision detection (§3), the hybrid packet/flow logic at N (§4), the table pipeline
/// of §2 (range → codeword slices → ternary → vote → class map), the digest at N, and path
/// forwarding (§5.4). Only the registers the sub-model needs (`CompiledSubModel.registers`) exist.
public enum DuneProgramBuilder {
  /// The result: a program and the entries that make it classify.
  public struct Output: Sendable, Equatable {
    public var program: P4Program
    public var entries: P4EntrySet
  }

  /// Builds program `name` for `model`. Throws a `UsageError` for models a switch cannot run.
  public static func build(_ model: CompiledSubModel, name: String, options: P4BuildOptions = P4BuildOptions())
    throws -> Output
  {
    guard model.nonComputableFeatures.isEmpty else {
      throw UsageError(
        "model '\(model.name)' uses features a switch cannot compute (division): "
          + model.nonComputableFeatures.joined(separator: ", "))
    }
    guard (1...255).contains(model.modelID) else { throw UsageError("model id \(model.modelID) must be in 1...255") }
    guard (1...254).contains(model.inferencePoint) else {
      throw UsageError("inference point \(model.inferencePoint) must be in 1...254 (8-bit saturating count)")
    }
    if let m = options.decisionPoint, !(model.inferencePoint...254).contains(m) {
      throw UsageError("decision point \(m) must be in \(model.inferencePoint)...254 (at least the inference point)")
    }
    guard options.registerSize >= 1 && options.registerSize <= 65_536,
      options.registerSize & (options.registerSize - 1) == 0
    else {
      throw UsageError("register size \(options.registerSize) must be a power of two in 1...65536 (16-bit slot index)")
    }
    guard model.classMap.offset + model.classMap.ownClasses.count <= 255 else {
      throw UsageError("global class ids exceed 8 bits (offset \(model.classMap.offset))")
    }
    var b = Builder(model: model, options: options, name: P4Names.identifier(name))
    try b.run()
    return Output(program: b.program, entries: P4EntrySet(entries: b.entries))
  }
}

/// Identifier helpers shared by the builder and the CLI.
public enum P4Names {
  /// A valid P4 identifier from arbitrary text (`ToN ClID3` → `ton_clid3`).
  public static func identifier(_ text: String) -> String {
    var s = String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    if s.isEmpty || s.first!.isNumber { s = "dune_" + s }
    return s
  }
}

extension DuneProgramBuilder {
  /// The mutable state of one build; `run()` fills `program` and `entries`.
  struct Builder {
    let model: CompiledSubModel
    let options: P4BuildOptions
    var program: P4Program
    var entries: [P4Entry] = []
    private(set) var metaNames = Set<String>()

    init(model: CompiledSubModel, options: P4BuildOptions, name: String) {
      self.model = model
      self.options = options
      program = P4Program(name: name)
    }

    mutating func meta(_ name: String, _ width: Int) {
      if metaNames.insert(name).inserted { program.metadata.append(P4Field(name, width)) }
    }

    func has(_ register: String) -> Bool { model.registers.contains { $0.name == register } }

    /// The packet index from which the flow-level decision is announced (≥ the inference point).
    var decisionPoint: Int { options.decisionPoint ?? model.inferencePoint }

    mutating func run() throws {
      banner()
      constants()
      headers()
      parser()
      baseMetadata()
      try registers()
      hashes()
      try modelTables()
      forwardingTables()
      program.ingress = try ingress()
      program.metadataInit = program.metadata
      digest()
    }
  }
}
