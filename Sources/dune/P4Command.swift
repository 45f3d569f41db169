import ArgumentParser
import DUNESupport
import DataPlane
import Forest
import Foundation
import P4

/// `dune p4`: P4 programs for a switch chain (`generate`, the default) and their packet replay.
struct P4Command: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "p4",
    abstract: "P4 programs and runtime entries (bmv2/v1model, Tofino/TNA) for a chain of sub-models.",
    subcommands: [P4Generate.self, P4Replay.self, P4BMv2.self, P4Compile.self], defaultSubcommand: P4Generate.self)
}

/// Chain features the generated programs do not implement: refuse them instead of diverging.
func checkChainForP4(_ spec: ChainSpec, path: String) throws {
  if let h = spec.slotHash, h != .crc16 {
    throw LocatedError(file: path, "slotHash '\(h.rawValue)': the P4 programs index slots with CRC16")
  }
  if spec.evictionTimeoutNs != nil {
    throw LocatedError(file: path, "evictionTimeoutNs: age-based slot eviction is not implemented in the P4 programs")
  }
}

/// `dune p4 generate` (default): programs and entries on disk.
struct P4Generate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Generate P4 programs and runtime entries (bmv2 and/or Tofino) for a chain of sub-models.",
    discussion: """
      Output layout: OUT/<switch>/<target>/<program>.p4 plus <program>-commands.txt (simple_switch_CLI, bmv2)
      or <program>.entries.json and <program>_load.py (bfrt, Tofino). Switch s<k> hosts chain position k.
      Give either --chain (the data-plane chain description) or --model with --n for a single switch.
      """)

  @Option(help: "Chain description JSON (see `dune dataplane`); sub-model k goes to switch s<k>.")
  var chain: String?

  @Option(help: "A single ForestModel JSON (instead of --chain).")
  var model: String?

  @Option(help: "Inference point N for --model.")
  var n: Int?

  @Option(name: .customLong("model-id"), help: "Chain position of --model.")
  var modelID: Int = 1

  @Option(name: .customLong("class-offset"), help: "Global class offset of --model.")
  var classOffset: Int = 0

  @Option(help: "Switch name for --model.")
  var name: String = "s1"

  @Option(help: "bmv2, tofino or both.")
  var target: String = "both"

  @Option(help: "Output folder.")
  var out: String

  @Option(name: .customLong("ether-type"), help: "EtherType of the DUNE shim header (hex or decimal).")
  var etherType: String = "0x88B5"

  @Option(name: .customLong("egress-port"), help: "Default egress port (path_to_port default action).")
  var egressPort: UInt16 = 1

  @Option(help: "Register slots per switch (power of two ≤ 65536; default: the chain's `slots` or 65536).")
  var slots: Int?

  func run() async throws {
    try await reportingErrors {
      let targets: [P4Target]
      switch target {
      case "bmv2": targets = [.bmv2]
      case "tofino": targets = [.tofino]
      case "both": targets = [.bmv2, .tofino]
      default: throw UsageError("--target must be bmv2, tofino or both (got '\(target)')")
      }
      guard let et = P4Value(literal: etherType, width: 16)?.uint64 else {
        throw UsageError("--ether-type '\(etherType)' is not a 16-bit number")
      }
      var options = P4BuildOptions(etherType: UInt16(et), defaultEgressPort: egressPort)
      if let slots { options.registerSize = slots }
      let outputs: [P4SwitchOutput]
      switch (chain, model) {
      case (let c?, nil):
        let spec = try ChainSpec.load(path: c)
        try checkChainForP4(spec, path: c)
        // The programs get as many slots as the emulator modelled, so both see the same collisions.
        if slots == nil, let s = spec.slots { options.registerSize = s }
        outputs = try P4Generator.generate(chain: try spec.compile(relativeTo: c), targets: targets, options: options)
      case (nil, let m?):
        guard let n else { throw UsageError("--model needs --n (inference point)") }
        let forest = try ForestModelFile.load(path: m)
        let compiled: CompiledSubModel
        do {
          compiled = try TableCompiler.compile(
            forest,
            options: CompileOptions(
              name: URL(fileURLWithPath: m).deletingPathExtension().lastPathComponent, modelID: modelID,
              inferencePoint: n, classOffset: classOffset))
        } catch let e as UsageError {
          throw LocatedError(file: m, e.message)
        }
        outputs = [try P4Generator.generate(switchName: name, model: compiled, targets: targets, options: options)]
      default:
        throw UsageError("give exactly one of --chain or --model")
      }
      let artifacts = outputs.flatMap(\.artifacts)
      try P4Generator.write(artifacts, to: out)
      for a in artifacts { printOut(URL(fileURLWithPath: out).appendingPathComponent(a.path).path) }
      // The one placement figure known without a compiler: a lower bound on the MAU stages.
      for o in outputs { printOut("\(o.name): ingress dependency chain \(o.program.dependencyStages) stages") }
    }
  }
}
