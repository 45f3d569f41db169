import DUNESupport
import DataPlane
import Foundation

/// The two targets the generator emits for.
public enum P4Target: String, Sendable, CaseIterable, Codable {
  case bmv2, tofino

  /// The emitter of this target.
  public var emitter: any P4Emitter {
    switch self {
    case .bmv2: return V1ModelEmitter()
    case .tofino: return TofinoEmitter()
    }
  }

  var check: P4Check.Target { self == .bmv2 ? .bmv2 : .tofino }
}

/// One generated file, relative to the output folder.
public struct P4Artifact: Sendable, Equatable {
  public var path: String
  public var text: String
  public init(path: String, text: String) {
    self.path = path
    self.text = text
  }
}

/// One generated switch: the checked program, its entries and the files that carry them.
public struct P4SwitchOutput: Sendable {
  /// The switch's folder name (`s<k>`, `monolithic`).
  public var name: String
  public var program: P4Program
  /// The entries as generated (the files' content; `P4Verification.readBack` proves the files say this).
  public var entries: P4EntrySet
  public var artifacts: [P4Artifact]

  /// The artifacts that carry runtime entries (bmv2 command file, Tofino JSON).
  public var entryFiles: [P4Artifact] {
    let names = ["/" + P4Generator.bmv2CommandsFile(program), "/" + P4Generator.tofinoEntriesFile(program)]
    return artifacts.filter { a in names.contains { a.path.hasSuffix($0) } }
  }
}

/// Library entry point: compiled sub-models → checked P4 programs and runtime entries on disk.
///
/// Layout: `<out>/<switch>/<target>/<program>.p4` and `<program>.controller.json` (what the
/// controller clears and installs on a digest) plus, for bmv2, `<program>-commands.txt`
/// (simple_switch_CLI) and, for Tofino, `<program>.entries.json` and `<program>_load.py` (bfrt).
/// Every program and entry set passes `P4Check` before anything is written; files are written
/// atomically and their text depends only on the inputs.
public enum P4Generator {
  /// The program, entries and artifacts of one switch hosting `model`.
  public static func generate(
    switchName: String, model: CompiledSubModel, targets: [P4Target], options: P4BuildOptions = P4BuildOptions()
  ) throws -> P4SwitchOutput {
    let sw = P4Names.identifier(switchName)
    let built = try DuneProgramBuilder.build(model, name: sw, options: options)
    let program = built.program
    var out: [P4Artifact] = []
    for target in targets {
      let text = target.emitter.emit(program)
      var issues = P4Check.check(program, entries: built.entries, target: target.check)
      issues += P4Check.balanced(text) + P4Check.asciiOnly(text)
      guard issues.isEmpty else {
        throw UsageError(
          "generated \(target.rawValue) program for \(sw) fails its checks:\n  " + issues.joined(separator: "\n  "))
      }
      let dir = "\(sw)/\(target.rawValue)/"
      out.append(P4Artifact(path: dir + "\(program.name).p4", text: text))
      out.append(
        P4Artifact(path: dir + ControllerConfig.fileName(program), text: ControllerConfig.json(program, target: target))
      )
      switch target {
      case .bmv2:
        out.append(
          P4Artifact(
            path: dir + Self.bmv2CommandsFile(program), text: BMv2Commands.write(built.entries, program: program)))
      case .tofino:
        let json = Self.tofinoEntriesFile(program)
        out.append(P4Artifact(path: dir + json, text: TofinoEntries.json(built.entries, program: program)))
        out.append(
          P4Artifact(
            path: dir + "\(program.name)_load.py", text: TofinoEntries.loader(program: program, jsonFile: json)))
      }
    }
    return P4SwitchOutput(name: sw, program: program, entries: built.entries, artifacts: out)
  }

  /// The file name of a program's simple_switch_CLI commands.
  public static func bmv2CommandsFile(_ program: P4Program) -> String { "\(program.name)-commands.txt" }
  /// The file name of a program's Tofino entries JSON.
  public static func tofinoEntriesFile(_ program: P4Program) -> String { "\(program.name).entries.json" }

  /// The artifacts of one switch hosting `model`.
  public static func artifacts(
    switchName: String, model: CompiledSubModel, targets: [P4Target], options: P4BuildOptions = P4BuildOptions()
  ) throws -> [P4Artifact] {
    try generate(switchName: switchName, model: model, targets: targets, options: options).artifacts
  }

  /// Every switch of a chain: switch `s<k>` hosts the sub-model with model id k and announces its
  /// flow-level decisions at its chain decision point (`ChainProtocol.decisionPoints`).
  public static func generate(
    chain: [CompiledSubModel], targets: [P4Target], options: P4BuildOptions = P4BuildOptions()
  )
    throws -> [P4SwitchOutput]
  {
    guard !chain.isEmpty else { throw UsageError("the chain has no sub-model") }
    var out: [P4SwitchOutput] = []
    var offset = 0
    let decisionPoints = ChainProtocol.decisionPoints(inferencePoints: chain.map(\.inferencePoint))
    for (i, m) in chain.enumerated() {
      guard m.modelID == i + 1 else {
        throw UsageError("sub-model \(i + 1) ('\(m.name)') has model id \(m.modelID); expected \(i + 1) (chain order)")
      }
      guard m.classMap.offset == offset else {
        throw UsageError("sub-model \(i + 1) ('\(m.name)') has class offset \(m.classMap.offset); expected \(offset)")
      }
      offset += m.classMap.ownClasses.count
      var switchOptions = options
      switchOptions.decisionPoint = decisionPoints[i]
      out.append(try generate(switchName: "s\(m.modelID)", model: m, targets: targets, options: switchOptions))
    }
    return out
  }

  /// The artifacts of a whole chain: switch `s<k>` hosts the sub-model with model id k.
  public static func artifacts(
    chain: [CompiledSubModel], targets: [P4Target], options: P4BuildOptions = P4BuildOptions()
  )
    throws -> [P4Artifact]
  {
    try generate(chain: chain, targets: targets, options: options).flatMap(\.artifacts)
  }

  /// Writes `artifacts` under `dir` (atomic per file).
  public static func write(_ artifacts: [P4Artifact], to dir: String) throws {
    for a in artifacts {
      try AtomicFile.write(a.text, to: URL(fileURLWithPath: dir).appendingPathComponent(a.path).path)
    }
  }
}
