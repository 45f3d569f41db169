import DUNESupport
import Forest

/// Forests placed along a switch path, compiled into the tables of each switch.
public enum ChainAssembly {
  /// One sub-model as the chain hosts it.
  public struct Member: Sendable {
    /// Name recorded in the compiled tables (`cluster3`).
    public var name: String
    public var model: ForestModel
    public var inferencePoint: Int

    public init(name: String, model: ForestModel, inferencePoint: Int) {
      self.name = name
      self.model = model
      self.inferencePoint = inferencePoint
    }
  }

  /// Compiles `members` in chain order: switch k (1-based) gets model id k, and its class offset is
  /// the number of own classes of the switches before it (`data-plane.md` §2.7).
  public static func compile(_ members: [Member], scheme: EncodingScheme) throws -> [CompiledSubModel] {
    var out: [CompiledSubModel] = []
    var offset = 0
    for (i, m) in members.enumerated() {
      let compiled = try TableCompiler.compile(
        m.model,
        options: CompileOptions(
          name: m.name, modelID: i + 1, inferencePoint: m.inferencePoint, classOffset: offset, scheme: scheme))
      offset += compiled.classMap.ownClasses.count
      out.append(compiled)
    }
    return out
  }
}
