import DUNESupport
import DataPlane
import Traffic

/// Proves emitted P4 artefacts equal to the data-plane model they were generated from
/// (`data-plane.md` §10.1, §10.4, §10.6) — the checks the issue asks for without a P4 toolchain:
///
/// 1. `readBack`: every emitted entry file (bmv2 commands, Tofino JSON) parses back, against the
///    program's declared tables, keys, widths and priorities, to exactly the generated entries.
/// 2. `samples`: the program's inference block run on those read-back entries (`EntryEvaluator`)
///    classifies every sample like the table-lookup evaluator of the compiled tables.
/// 3. `replay`: packets through the programs of the whole chain (`ProgramReplay`, registers,
///    hashes, digests and controller included) leave the last switch with the header the chain
///    emulator computes, packet by packet.
public enum P4Verification {
  /// The entries of `output` as read back from each of its emitted entry files; throws (naming the
  /// file) if a file does not parse or says something other than the generated entries.
  public static func readBack(_ output: P4SwitchOutput) throws -> P4EntrySet {
    var read: P4EntrySet?
    for a in output.entryFiles {
      let set =
        a.path.hasSuffix(".json")
        ? try TofinoEntries.read(a.text, program: output.program, path: a.path)
        : try BMv2Commands.read(a.text, program: output.program, path: a.path)
      guard set == output.entries else {
        let diff =
          zip(set.entries, output.entries.entries).enumerated().first { $0.element.0 != $0.element.1 }?.offset
          ?? min(set.entries.count, output.entries.entries.count)
        throw LocatedError(
          file: a.path,
          "read back \(set.entries.count) entries, generated \(output.entries.entries.count); first difference at entry \(diff)"
        )
      }
      read = set
    }
    guard let entries = read else { throw UsageError("switch \(output.name): no entry file was generated") }
    return entries
  }

  /// Sample-level agreement of one switch.
  public struct SampleAgreement: Sendable, Equatable, Codable {
    public var samples: Int
    public var agreements: Int
    /// The first disagreeing sample, described (nil when all agree).
    public var firstMismatch: String?
    public var share: Double { samples == 0 ? 1 : Double(agreements) / Double(samples) }
  }

  /// Classifies every row of encoded feature keys (compiled feature order) with the program and
  /// its read-back `entries`, and with the compiled tables; counts rows where the local and global
  /// classes agree.
  public static func samples(program: P4Program, entries: P4EntrySet, compiled: CompiledSubModel, keys: [[Int64]])
    throws
    -> SampleAgreement
  {
    let p4 = EntryEvaluator(program: program, entries: entries)
    var tables = TableLookupEvaluator(compiled)
    var out = SampleAgreement(samples: keys.count, agreements: 0, firstMismatch: nil)
    for (row, got) in zip(keys, try p4.classifyAll(keys)) {
      let expected = tables.localClass(keys: row)
      if got.global == compiled.classMap.global(expected) {
        out.agreements += 1
      } else if out.firstMismatch == nil {
        out.firstMismatch =
          "keys \(row): entries give global \(got.global), tables local \(expected) (global \(compiled.classMap.global(expected)))"
      }
    }
    return out
  }

  /// Packet-level agreement of a chain of programs with the chain emulator.
  public struct ReplayAgreement: Sendable, Equatable, Codable {
    public var packets: Int
    public var flows: Int
    /// Packets whose DUNE header (class, flags) after the last switch differs.
    public var mismatches: Int
    public var programDigests: Int
    public var emulatorDigests: Int
    /// Up to 5 disagreeing packets, described.
    public var firstMismatches: [String]
    public var share: Double { packets == 0 ? 1 : Double(packets - mismatches) / Double(packets) }
    /// True when every packet and the digest count agree.
    public var agrees: Bool { mismatches == 0 && programDigests == emulatorDigests }
  }

  /// Replays `packets` (in the given order, as one capture: flows are plain 5-tuples, hashed
  /// exactly as the programs hash them) through `switches` and through the chain emulator of
  /// `compiled` with the same slots and controller delay.
  public static func replay(
    switches: [ProgramReplay.Switch], compiled: [CompiledSubModel], packets: [Packet], config: ChainEmulatorConfig
  ) throws -> ReplayAgreement {
    guard config.evictionTimeoutNs == nil else {
      throw UsageError(
        "the generated programs do not evict idle flows: replay verification needs evictionTimeoutNs = nil")
    }
    var cfg = config
    cfg.recordPackets = true
    // One capture: Replay orders it by timestamp (ties by position) and hashes the untagged 5-tuple.
    let replay = Replay(captures: [ReplayCapture(name: "replay", packets: packets, labels: [:])])
    let expected = try ChainEmulator(stages: compiled.map(ChainStage.init), config: cfg).run(replay)
    let got = try ProgramReplay(switches: switches, controllerPeriodPackets: cfg.controllerPeriodPackets).run(
      replay.packets)
    var out = ReplayAgreement(
      packets: replay.packets.count, flows: replay.flowCount, mismatches: 0, programDigests: got.digests,
      emulatorDigests: expected.report.switches.reduce(0) { $0 + $1.digests }, firstMismatches: [])
    for i in replay.packets.indices
    where got.classes[i] != expected.packetClass[i] || got.flags[i] != expected.packetFlags[i] {
      out.mismatches += 1
      if out.firstMismatches.count < 5 {
        out.firstMismatches.append(
          "packet \(i) (flow \(replay.flowOfPacket[i])): programs class \(got.classes[i]) flags 0x\(String(got.flags[i], radix: 16)), "
            + "emulator class \(expected.packetClass[i]) flags 0x\(String(expected.packetFlags[i], radix: 16))")
      }
    }
    return out
  }
}
