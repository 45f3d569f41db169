import DUNESupport
import DataPlane
import Forest
import Foundation
import Literate
import P4
import Partition
import Report
import Traffic

/// `dataplane` (chapter 06): the selected sub-models as match-action tables on a switch chain.
///
/// Given a second anchor (`downstream`, the chain retrained with downstream-only `Other`), both
/// variants of the chain go through every stage below side by side.
///
/// Compiles every sub-model in chain order (`ChainAssembly`), verifies table lookup = the model's
/// hard vote on every test sample of every inference point (fails below 100 %), estimates per-switch
/// resources (`ResourceModel`), replays the labelled test captures through the chain
/// (`ChainEmulator`), trains a monolithic forest on all classes that fits ONE switch's budget and
/// replays it on the same packets (`MonolithicBaseline`), and writes bmv2/Tofino P4 with entries per
/// switch (`P4Generator`). Mirrors `dune dataplane` and `dune p4`.
struct DataplaneStep: StepKind {
  struct Arguments: Decodable, Sendable {
    /// The `clusters.json` anchor (sub-models `cluster_<q>.json` beside it).
    var clusters: String
    /// Chain order (cluster indices, first switch first), e.g. `${step.sequence.order}`.
    var order: [Int]
    /// Optional second chain: the `clusters.json` anchor of the `downstream` step (downstream-only
    /// `Other`, trained for `order`).
    var downstream: String?
    /// The `samples.json` anchor (test sample CSVs beside it).
    var samples: String
    var useCase: String
    /// Data folder (`${step.dataset.dataDir}`); empty = the use case's default folder.
    var data: String?
    /// Monolithic budget in TCAM blocks; default: the largest per-switch TCAM use of the DUNE chain.
    var monolithicTCAMBlocks: Int?
    /// Monolithic grid (all classes): tree counts, leaf budgets, inference points.
    var monolithicTrees: [Int]?
    var monolithicLeaves: [Int]?
    var monolithicN: [Int]?
    /// Top-k feature subset sizes of the monolithic grid (features ranked by MDI of a full fit).
    var monolithicSubsets: [Int]?
    /// Register slots per switch (emulator and P4 programs).
    var slots: Int?
    var seed: Int?
  }

  let name = "dataplane"
  var codeModules: [String] { ["DataPlane", "Forest", "P4", "Partition", "Report", "Traffic"] }
  let summary =
    "Tables per sub-model (verified = model), switch resources, chain emulation vs a one-switch monolithic forest, P4."
  var outputs: [OutputDeclaration] {
    [
      OutputDeclaration("agreement", .number, unit: "fraction"),
      OutputDeclaration("p4Agreement", .number, unit: "fraction"), OutputDeclaration("switches", .integer),
      OutputDeclaration("duneMacroF1FL", .number, unit: "fraction"),
      OutputDeclaration("duneMacroF1PL", .number, unit: "fraction"),
      OutputDeclaration("duneMacroF1FLExcludingUnknown", .number, unit: "fraction"),
      // null when no monolithic grid forest fits the budget, hence `any`.
      OutputDeclaration("monolithicMacroF1FL", .any, unit: "fraction"),
      OutputDeclaration("monolithicMacroF1PL", .any, unit: "fraction"),
      OutputDeclaration("monolithicMacroF1FLExcludingUnknown", .any, unit: "fraction"),
      OutputDeclaration("budgetTCAMBlocks", .integer, unit: "blocks"),
      // null without the `downstream` anchor, hence `any`.
      OutputDeclaration("duneDownstreamMacroF1FL", .any, unit: "fraction"),
      OutputDeclaration("duneDownstreamMacroF1PL", .any, unit: "fraction"),
      OutputDeclaration("duneDownstreamMacroF1FLExcludingUnknown", .any, unit: "fraction"),
    ]
  }
  var inputArguments: [String] { ["clusters", "samples", "downstream"] }

  /// One switch of the chain: its cluster, compiled tables and resources.
  struct Switch {
    var cluster: Int
    var compiled: CompiledSubModel
    var estimate: ResourceEstimate
    var entries: Int
  }

  /// One variant of the chain (reference or downstream-only `Other`) and what became of it.
  struct Chain {
    /// `reference` or `downstream`.
    var variant: String
    /// How tables and figures name it.
    var title: String
    /// Folder of its P4 programs under `p4/` ("" for the reference chain, `downstream/`).
    var p4Folder: String
    var switches: [Switch]
    var models: [ForestModel]

    /// A switch's name in tables: `s2`, or `downstream s2`.
    func label(_ s: Switch) -> String { (variant == "reference" ? "" : variant + " ") + "s\(s.compiled.modelID)" }
  }

  /// Loads the anchor at `anchorPath` and compiles its sub-models in `order`.
  static func compileChain(
    variant: String, title: String, anchorPath: String, argument: String, order: [Int], scheme: EncodingScheme
  ) throws -> (chain: Chain, anchor: ClustersAnchor) {
    let anchor = try ChainStepSupport.located(argument) { try ClustersAnchor.load(path: anchorPath) }
    guard order.count == anchor.subModels.count, Set(order) == Set(anchor.subModels.indices) else {
      throw StepError(
        "order must be a permutation of 0…\(anchor.subModels.count - 1), got \(order)", argument: ["order"])
    }
    if let trained = anchor.order, trained != order {
      throw StepError(
        "the \(variant) sub-models were trained for the order \(trained), not \(order)", argument: [argument])
    }
    let models = try anchor.models(anchorPath: anchorPath)
    let members = order.map { q in
      ChainAssembly.Member(name: "cluster\(q)", model: models[q], inferencePoint: anchor.subModels[q].n)
    }
    let compiled: [CompiledSubModel]
    do {
      compiled = try ChainAssembly.compile(members, scheme: scheme)
    } catch let e as UsageError {
      throw LocatedError(file: anchorPath, e.message)
    }
    let switches = zip(order, compiled).map { q, c in
      let est = ResourceModel.estimate(c)
      return Switch(cluster: q, compiled: c, estimate: est, entries: est.modelEntries)
    }
    return (
      Chain(
        variant: variant, title: title, p4Folder: variant == "reference" ? "" : variant + "/", switches: switches,
        models: order.map { models[$0] }),
      anchor
    )
  }

  func run(_ a: Arguments, in context: StepContext) throws -> StepOutput {
    let u = try ChainStepSupport.useCase(a.useCase, in: context)
    let anchorPath = context.resolve(a.clusters)
    let peek = try ChainStepSupport.located("clusters") { try ClustersAnchor.load(path: anchorPath) }
    // Same quantisation as the training of the sub-models: samples, tables and emulator registers.
    let shift = peek.timeShift ?? 0
    let scheme = QuantisedSamples.scheme(shift: shift)
    let rawSamples = ChainStepSupport.folder(ofAnchor: a.samples, in: context)
    let quantise = QuantisedSamples.quantiser(shift: shift)
    let slots = a.slots ?? 65_536
    var config = ChainEmulatorConfig()
    config.slots = slots

    // 1. Compile every variant in chain order; class offsets accumulate along the chain.
    let (reference, anchor) = try Self.compileChain(
      variant: "reference", title: "DUNE chain", anchorPath: anchorPath, argument: "clusters", order: a.order,
      scheme: scheme)
    var chains = [reference]
    if let d = a.downstream {
      let (chain, other) = try Self.compileChain(
        variant: "downstream", title: "DUNE chain, downstream-only Other", anchorPath: context.resolve(d),
        argument: "downstream", order: a.order, scheme: scheme)
      guard other.timeShift ?? 0 == shift, other.classes == anchor.classes else {
        throw StepError("the downstream anchor has another time shift or class list", argument: ["downstream"])
      }
      chains.append(chain)
    }
    let switches = reference.switches

    // 2. Verify tables = model (hard vote) on every test sample of every inference point.
    let testFiles = try Self.testSampleFiles(folder: rawSamples, useCase: u.name)
    guard !testFiles.isEmpty else {
      throw StepError("no \(u.name)_test_<N>.csv beside the samples anchor", argument: ["samples"])
    }
    var verifyRows: [[String]] = []
    var totalRows = 0
    var totalAgree = 0
    var leafAgree = 0
    var leafTotal = 0
    var metrics: [Metric] = []
    let tables = try zip(
      testFiles,
      parallelMap(count: testFiles.count, threads: ProcessInfo.processInfo.activeProcessorCount) { i in
        quantise(try SampleTable.read(csvAt: testFiles[i].path))
      }
    ).map { (n: $0.n, table: $1) }
    // Encoded keys of every test sample per switch, for the P4 entry-file check of step 6.
    var switchKeys: [[[[Int64]]]] = []
    // Every switch of every chain is independent: verify them on every core.
    let frozenChains = chains
    let pairs = chains.indices.flatMap { c in chains[c].switches.indices.map { (chain: c, switch: $0) } }
    let verified = try parallelMap(count: pairs.count, threads: ProcessInfo.processInfo.activeProcessorCount) {
      i -> (rows: Int, agree: Int, leafAgree: Int, leafTotal: Int, keys: [[Int64]]) in
      let chain = frozenChains[pairs[i].chain]
      let (s, model) = (chain.switches[pairs[i].switch], chain.models[pairs[i].switch])
      var out = (rows: 0, agree: 0, leafAgree: 0, leafTotal: 0, keys: [[Int64]]())
      let encoder = TableLookupEvaluator(s.compiled)
      for t in tables {
        let x = try TableVerification.rows(from: t.table, features: model.features)
        out.keys += x.map { row in encoder.encode { row[$0] } }
        let v = TableVerification.run(model: model, compiled: s.compiled, rows: x)
        out.rows += v.rows
        out.agree += v.hardVoteAgreements
        out.leafAgree += v.treeLeafAgreements
        out.leafTotal += v.treeLeafComparisons
      }
      return out
    }
    var next = 0
    for chain in chains {
      var keysOfChain: [[[Int64]]] = []
      for s in chain.switches {
        let v = verified[next]
        next += 1
        let (rows, agree) = (v.rows, v.agree)
        leafAgree += v.leafAgree
        leafTotal += v.leafTotal
        totalRows += rows
        totalAgree += agree
        let share = rows == 0 ? 1 : Double(agree) / Double(rows)
        var labels = ["cluster": String(s.cluster)]
        if chain.variant != "reference" { labels["chain"] = chain.variant }
        metrics.append(Metric("tableAgreement", share * 100, unit: "%", labels: labels))
        verifyRows.append([
          chain.label(s), String(s.cluster), String(rows), String(agree), NumberFormat.fixed(share * 100, 4),
        ])
        keysOfChain.append(v.keys)
      }
      switchKeys.append(keysOfChain)
    }
    let agreement = totalRows == 0 ? 1 : Double(totalAgree) / Double(totalRows)
    metrics.append(Metric("tableAgreement", agreement * 100, unit: "%"))
    guard totalAgree == totalRows else {
      throw StepError(
        ("table lookup differs from the model's hard vote on \(totalRows - totalAgree) of "
          + "\(totalRows) test samples (\(NumberFormat.fixed(agreement * 100, 4)) %)")
      )
    }

    // 3. Replay the labelled test captures through the chain.
    let dataFolder = try Self.dataFolder(a.data, useCase: u, context: context)
    let captures = try ChainStepSupport.located("data") {
      try ChainReplay.testCaptures(useCase: u, dataFolder: dataFolder)
    }
    let replay = Replay(captures: captures)
    // Every variant through the emulator. One flow, one class: checked on every run. Also what
    // announcing at each switch's own N (which lets a flow change class when inference points
    // decrease along the chain) would have scored on the reference chain. The runs are independent:
    // on every core.
    let emulators = try chains.map { c in
      try ChainStepSupport.located("clusters") {
        try ChainEmulator(stages: c.switches.map { ChainStage($0.compiled) }, config: config)
      }
    }
    var ownNConfig = config
    ownNConfig.decisionRule = .inferencePoint
    ownNConfig.recordPackets = true
    let emulations = [(emulators[0].stages, ownNConfig)] + emulators.map { ($0.stages, config) }
    let runs = try parallelMap(count: emulations.count, threads: ProcessInfo.processInfo.activeProcessorCount) { i in
      let run = try ChainEmulator(stages: emulations[i].0, config: emulations[i].1).run(replay)
      return (report: run.report, classChanges: run.flowsChangingClass(replay))
    }
    for (c, r) in zip(chains, runs.dropFirst()) where r.classChanges != 0 {
      throw StepError("\(c.title): \(r.classChanges) flows change class after their first flow-level decision")
    }
    let reports = runs.dropFirst().map(\.report)
    let ownNRun = runs[0]
    let dune = reports[0]
    metrics += [
      Metric("flowsChangingClass", 0, unit: "flows", labels: ["rule": "decision point"]),
      Metric(
        "flowsChangingClass", Double(ownNRun.classChanges), unit: "flows", labels: ["rule": "own N"]),
      Metric(
        "chainedMacroF1FL", ownNRun.report.strict.flowLevel.macroF1 * 100, unit: "%",
        labels: ["system": "dune, announced at own N"]),
    ]

    // 4. The monolithic baseline under one switch's budget: the busiest switch of any variant.
    let budgetBlocks =
      a.monolithicTCAMBlocks ?? (chains.flatMap { $0.switches.map(\.estimate.tcamBlocks) }.max() ?? 0)
    var budget = SwitchBudget.tofino1
    budget.tcamBlocks = budgetBlocks
    let mono = try Self.monolithic(
      a, useCase: u, anchor: anchor, samplesFolder: rawSamples, scheme: scheme, budget: budget, config: config,
      replay: replay)

    // 5. P4 for every switch and for the monolithic switch.
    var p4Options = P4BuildOptions()
    p4Options.registerSize = slots
    // Each chain and the monolithic switch on its own core.
    let options = p4Options
    let generated = try parallelMap(count: chains.count + 1, threads: ProcessInfo.processInfo.activeProcessorCount) {
      i -> [P4SwitchOutput] in
      guard i < frozenChains.count else {
        return try mono.selected.map {
          [
            try P4Generator.generate(
              switchName: "monolithic", model: $0.compiled, targets: [.bmv2, .tofino], options: options)
          ]
        } ?? []
      }
      let c = frozenChains[i]
      return try ChainStepSupport.located(c.variant == "reference" ? "clusters" : c.variant) {
        try P4Generator.generate(chain: c.switches.map(\.compiled), targets: [.bmv2, .tofino], options: options)
      }
    }
    let generatedChains = Array(generated.prefix(chains.count))
    let monoGenerated = generated[chains.count].first
    var artifacts: [P4Artifact] = []
    for (c, g) in zip(chains, generatedChains) {
      artifacts += g.flatMap(\.artifacts).map { P4Artifact(path: c.p4Folder + $0.path, text: $0.text) }
    }
    artifacts += monoGenerated?.artifacts ?? []
    for art in artifacts { try context.write(art.text, to: "p4/" + art.path) }
    // Every generated file's digest, as `sha256sum` prints them: the steps that judge the programs
    // by a committed record (`bmv2`, `p4compile`) take it as an input, so they rerun whenever a
    // program changes, even when the chain description does not (a generator change).
    let manifest = artifacts.map { (path: "p4/" + $0.path, digest: SHA256.hex($0.text)) }
      .sorted { $0.path < $1.path }.map { "\($0.digest)  \($0.path)\n" }.joined()
    try context.write(manifest, to: "p4_manifest.txt")
    // The chain as `dune p4 bmv2` (and `dune p4 generate`) read it: self-contained, relative paths.
    for file in try Self.chainDescription(chains: chains, scheme: scheme, config: config, mono: mono) {
      try context.write(file.text, to: "chain/" + file.name)
    }

    // 6. The emitted entry files, read back, must reproduce the tables (every test sample) and the
    //    emulator (every replayed packet through the programs of the chain, registers and controller
    //    included).
    let p4 = try Self.verifyP4(
      chains: chains, generated: generatedChains, switchKeys: switchKeys, mono: mono, monoGenerated: monoGenerated,
      tables: tables, replay: replay, config: config)
    metrics += p4.metrics
    try context.write(try DeterministicJSON.text(p4.report), to: "p4_verification.json")
    if let failure = p4.failure { throw StepError(failure) }

    // Files: chain description, resources, emulation reports.
    try context.write(try DeterministicJSON.text(switches.map(\.estimate)), to: "resources.json")
    try context.write(try DeterministicJSON.text(dune), to: "emulation_dune.json")
    for (c, r) in zip(chains, reports).dropFirst() {
      try context.write(try DeterministicJSON.text(c.switches.map(\.estimate)), to: "resources_\(c.variant).json")
      try context.write(try DeterministicJSON.text(r), to: "emulation_dune_\(c.variant).json")
    }
    if let m = mono.selected {
      try context.write(try DeterministicJSON.text(m.report), to: "emulation_monolithic.json")
    }
    try context.write(MonolithicGrid.csv(mono.rows), to: "monolithic_grid.csv")

    return Self.output(
      chains: chains, reports: reports, verifyRows: verifyRows, agreement: agreement, leaf: (leafAgree, leafTotal),
      mono: mono, budgetBlocks: budgetBlocks, replay: replay, metrics: metrics, artifacts: artifacts.count, p4: p4,
      p4Stages: generatedChains.map { $0.map(\.program.dependencyStages) },
      monoP4Stages: monoGenerated?.program.dependencyStages, context: context)
  }

  /// What step 6 found: per-switch entry-file agreement on the test samples, and the packet replay
  /// of the chain (and of the monolithic switch) through the programs.
  struct P4VerificationReport: Encodable {
    struct SwitchSamples: Encodable, Sendable {
      var name: String
      var samples: P4Verification.SampleAgreement
    }
    var switches: [SwitchSamples]
    var chainReplay: P4Verification.ReplayAgreement
    /// The replay of the downstream-only `Other` chain, when there is one.
    var downstreamChainReplay: P4Verification.ReplayAgreement?
    var monolithicReplay: P4Verification.ReplayAgreement?
  }

  struct P4Outcome {
    var report: P4VerificationReport
    var metrics: [Metric]
    var rows: [[String]]
    /// Why the step must fail (below 100 %), or nil.
    var failure: String?
    /// The lowest agreement share of all checks (1 when the generated P4 reproduces everything).
    var agreement: Double {
      (report.switches.map(\.samples.share) + [report.chainReplay.share]
        + [report.downstreamChainReplay, report.monolithicReplay].compactMap { $0?.share }).min() ?? 1
    }
  }

  static func verifyP4(
    chains: [Chain], generated generatedChains: [[P4SwitchOutput]], switchKeys: [[[[Int64]]]],
    mono: MonolithicOutcome, monoGenerated: P4SwitchOutput?, tables: [(n: Int, table: SampleTable)], replay: Replay,
    config: ChainEmulatorConfig
  ) throws -> P4Outcome {
    // Independent checks (the chain replay dominates): run them on every core.
    enum Job: Sendable {
      case samples(name: String, program: P4Program, entries: P4EntrySet, compiled: CompiledSubModel, keys: [[Int64]])
      case replay(switches: [ProgramReplay.Switch], compiled: [CompiledSubModel])
    }
    enum Result: Sendable {
      case samples(P4VerificationReport.SwitchSamples)
      case replay(P4Verification.ReplayAgreement)
    }
    // Job order: the chain replays (reference first), the monolithic replay (if any), then the sample
    // checks.
    var sampleJobs: [Job] = []
    var jobs: [Job] = []
    for (c, (generated, keysOfChain)) in zip(chains, zip(generatedChains, switchKeys)) {
      var chain: [ProgramReplay.Switch] = []
      for (g, (s, keys)) in zip(generated, zip(c.switches, keysOfChain)) {
        let entries = try P4Verification.readBack(g)
        sampleJobs.append(
          .samples(
            name: c.p4Folder + g.name, program: g.program, entries: entries, compiled: s.compiled, keys: keys))
        chain.append(ProgramReplay.Switch(program: g.program, entries: entries))
      }
      jobs.append(.replay(switches: chain, compiled: c.switches.map(\.compiled)))
    }
    if let g = monoGenerated, let m = mono.selected {
      let entries = try P4Verification.readBack(g)
      let encoder = TableLookupEvaluator(m.compiled)
      let names = m.compiled.features.map(\.name)
      var keys: [[Int64]] = []
      for t in tables where t.n == m.compiled.inferencePoint {
        keys += try TableVerification.rows(from: t.table, features: names).map { row in encoder.encode { row[$0] } }
      }
      jobs.append(
        .replay(switches: [ProgramReplay.Switch(program: g.program, entries: entries)], compiled: [m.compiled]))
      sampleJobs.append(.samples(name: g.name, program: g.program, entries: entries, compiled: m.compiled, keys: keys))
    }
    let packets = replay.packets
    let work = jobs + sampleJobs
    let results = try parallelMap(count: work.count, threads: ProcessInfo.processInfo.activeProcessorCount) {
      i -> Result in
      switch work[i] {
      case .samples(let name, let program, let entries, let compiled, let keys):
        return .samples(
          .init(
            name: name,
            samples: try P4Verification.samples(program: program, entries: entries, compiled: compiled, keys: keys)))
      case .replay(let switches, let compiled):
        return .replay(
          try P4Verification.replay(switches: switches, compiled: compiled, packets: packets, config: config))
      }
    }
    var perSwitch: [P4VerificationReport.SwitchSamples] = []
    var replays: [P4Verification.ReplayAgreement] = []
    for r in results {
      switch r {
      case .samples(let s): perSwitch.append(s)
      case .replay(let a): replays.append(a)
      }
    }
    let chainReplay = replays[0]
    let downstreamReplay = chains.count > 1 ? replays[1] : nil
    let monoReplay = replays.count > chains.count ? replays[chains.count] : nil
    let report = P4VerificationReport(
      switches: perSwitch, chainReplay: chainReplay, downstreamChainReplay: downstreamReplay,
      monolithicReplay: monoReplay)
    var metrics: [Metric] = []
    var rows: [[String]] = []
    for s in perSwitch {
      metrics.append(Metric("p4EntryAgreement", s.samples.share * 100, unit: "%", labels: ["switch": s.name]))
      rows.append([
        s.name, "test samples (entry files → program tables)", String(s.samples.samples), String(s.samples.agreements),
        NumberFormat.fixed(s.samples.share * 100, 4),
      ])
    }
    let named =
      [("chain", chainReplay)] + (downstreamReplay.map { [("downstream chain", $0)] } ?? [])
      + (monoReplay.map { [("monolithic", $0)] } ?? [])
    for (name, r) in named {
      metrics.append(Metric("p4ReplayAgreement", r.share * 100, unit: "%", labels: ["system": name]))
      rows.append([
        name, "packets through the programs (digests \(r.programDigests) vs \(r.emulatorDigests))", String(r.packets),
        String(r.packets - r.mismatches), NumberFormat.fixed(r.share * 100, 4),
      ])
    }
    var problems: [String] = []
    for s in perSwitch where s.samples.agreements != s.samples.samples {
      problems.append(
        ("\(s.name): entry files disagree with the tables on "
          + "\(s.samples.samples - s.samples.agreements) of \(s.samples.samples) test samples "
          + "(\(s.samples.firstMismatch ?? ""))")
      )
    }
    for (name, r) in named where !r.agrees {
      problems.append(
        ("\(name): \(r.mismatches) of \(r.packets) packets differ from the emulator, digests "
          + "\(r.programDigests) vs \(r.emulatorDigests) "
          + "(\(r.firstMismatches.joined(separator: "; ")))")
      )
    }
    return P4Outcome(
      report: report, metrics: metrics, rows: rows,
      failure: problems.isEmpty
        ? nil : "generated P4 does not reproduce the data plane:\n  " + problems.joined(separator: "\n  "))
  }

  /// `<uc>_test_<N>.csv` files beside the samples anchor, by ascending N.
  static func testSampleFiles(folder: String, useCase: String) throws -> [(n: Int, path: String)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let prefix = "\(useCase)_test_"
    return names.compactMap { name -> (Int, String)? in
      guard name.hasPrefix(prefix), name.hasSuffix(".csv"), let n = Int(name.dropFirst(prefix.count).dropLast(4)) else {
        return nil
      }
      return (n, (folder as NSString).appendingPathComponent(name))
    }.sorted { $0.0 < $1.0 }
  }

  /// The data folder: the argument (project-relative or absolute), else the use case's default, else
  /// the synthetic dataset cached under `.dune/datasets`.
  static func dataFolder(_ data: String?, useCase u: UseCase, context: StepContext) throws -> String {
    if let d = data, !d.isEmpty { return context.resolve(d) }
    if let d = u.dataFolder { return context.resolve(d) }
    if let p = u.synthetic {
      return try ChainStepSupport.located("data") {
        try SyntheticDataset.ensure(p, cacheRoot: context.projectRoot.appendingPathComponent(".dune/datasets").path)
      }
    }
    throw StepError(u.missingDataMessage, argument: ["data"])
  }

  struct MonolithicOutcome {
    var rows: [MonolithicGrid.Row]
    var selected: (row: MonolithicGrid.Row, model: ForestModel, compiled: CompiledSubModel, report: ChainReport)?
  }

  /// The chains as `dune p4 bmv2` and `dune p4 generate` read them: per variant a `ChainSpec`
  /// (`chain.json` for the reference chain, `<variant>.json` for another) whose compiled sub-models
  /// are exactly the step's, so the same programs are regenerated from it, each sub-model's
  /// `ForestModel` beside it (`cluster<q>.json`, `<variant>_cluster<q>.json`), and the monolithic
  /// switch the same way (`monolithic.json`, one sub-model) when there is one.
  static func chainDescription(
    chains: [Chain], scheme: EncodingScheme, config: ChainEmulatorConfig, mono: MonolithicOutcome
  ) throws -> [(name: String, text: String)] {
    func spec(_ subModels: [ChainSpec.SubModel]) -> ChainSpec {
      ChainSpec(
        subModels: subModels, encoding: scheme.mode, timeQuantisation: scheme.timeQuantisation.shifts,
        slots: config.slots, controllerPeriodPackets: config.controllerPeriodPackets)
    }
    func text(_ m: ForestModel) throws -> String { String(decoding: try m.jsonData(), as: UTF8.self) + "\n" }
    var files: [(name: String, text: String)] = []
    for c in chains {
      let prefix = c.variant == "reference" ? "" : c.variant + "_"
      var subModels: [ChainSpec.SubModel] = []
      for (model, s) in zip(c.models, c.switches) {
        let file = prefix + "cluster\(s.cluster).json"
        subModels.append(
          ChainSpec.SubModel(
            name: s.compiled.name, model: file, n: s.compiled.inferencePoint, classes: s.compiled.classMap.ownClasses))
        files.append((file, try text(model)))
      }
      files.append(
        ((c.variant == "reference" ? "chain" : c.variant) + ".json", try DeterministicJSON.text(spec(subModels))))
    }
    if let m = mono.selected {
      let sub = ChainSpec.SubModel(
        name: m.compiled.name, model: "monolithic_model.json", n: m.compiled.inferencePoint,
        classes: m.compiled.classMap.ownClasses)
      files.append(("monolithic.json", try DeterministicJSON.text(spec([sub]))))
      files.append(("monolithic_model.json", try text(m.model)))
    }
    return files
  }

  /// The monolithic grid on all classes (`MonolithicGrid`), its best forest that fits `budget` replayed.
  static func monolithic(
    _ a: Arguments, useCase u: UseCase, anchor: ClustersAnchor, samplesFolder: String, scheme: EncodingScheme,
    budget: SwitchBudget, config: ChainEmulatorConfig, replay: Replay
  ) throws -> MonolithicOutcome {
    let features = try ChainStepSupport.located("useCase") { try FeatureCatalog.resolve(u.featureSets.cluster) }
    let points = a.monolithicN ?? Array(Set(anchor.subModels.map(\.n))).sorted()
    let data = try ChainStepSupport.located("samples") {
      try ClusterAnalysisData.load(
        folder: samplesFolder, useCase: u.name, inferencePoints: points, classes: u.classes, features: features,
        adjust: QuantisedSamples.quantiser(shift: anchor.timeShift ?? 0))
    }
    let settings = MonolithicGrid.Settings(
      treeCounts: a.monolithicTrees ?? MonolithicGrid.Settings.defaultTreeCounts,
      leafBudgets: a.monolithicLeaves ?? MonolithicGrid.Settings.defaultLeafBudgets,
      subsetSizes: a.monolithicSubsets ?? MonolithicGrid.Settings.defaultSubsetSizes, seed: UInt64(a.seed ?? 42))
    let gridPoints = try points.sorted().map { n in
      let p = try data.point(n)
      return MonolithicGrid.Point(n: n, train: p.train, test: p.test)
    }
    let grid = try ChainStepSupport.located("useCase") {
      try MonolithicGrid.run(
        points: gridPoints, classes: u.classes, features: features, settings: settings, scheme: scheme, budget: budget)
    }
    guard let b = grid.selected else { return MonolithicOutcome(rows: grid.rows, selected: nil) }
    switch try MonolithicBaseline.run(
      model: b.model, options: CompileOptions(name: "monolithic", inferencePoint: b.row.n, scheme: scheme),
      budget: budget, config: config, replay: replay)
    {
    case .ran(let run, _):
      return MonolithicOutcome(rows: grid.rows, selected: (b.row, b.model, b.compiled, run.report))
    case .doesNotFit: return MonolithicOutcome(rows: grid.rows, selected: nil)
    }
  }

  static func output(
    chains: [Chain], reports: [ChainReport], verifyRows: [[String]], agreement: Double, leaf: (Int, Int),
    mono: MonolithicOutcome, budgetBlocks: Int, replay: Replay, metrics base: [Metric], artifacts: Int,
    p4: P4Outcome, p4Stages: [[Int]], monoP4Stages: Int?, context: StepContext
  ) -> StepOutput {
    let p = ChainStepSupport.pct
    var metrics = base
    let switches = chains[0].switches
    let dune = reports[0]
    func scores(_ r: ChainReport, _ system: String) {
      let l = ["system": system]
      metrics += [
        Metric("chainedMacroF1FL", r.strict.flowLevel.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedWeightedF1FL", r.strict.flowLevel.weightedF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1PL", r.strict.packetLevel.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1FLExcludingUnknown", r.excludingUnknown.flowLevel.macroF1 * 100, unit: "%", labels: l),
        Metric("chainedMacroF1PLExcludingUnknown", r.excludingUnknown.packetLevel.macroF1 * 100, unit: "%", labels: l),
        Metric("unknownPackets", Double(r.unknownPackets), unit: "packets", labels: l),
      ]
    }
    for (c, r) in zip(chains, reports) { scores(r, c.variant == "reference" ? "dune" : "dune-" + c.variant) }
    if let m = mono.selected { scores(m.report, "monolithic") }
    var resourceRows: [[String]] = []
    for (c, stages) in zip(chains, p4Stages) {
      for (s, d) in zip(c.switches, stages) {
        var l = ["switch": "s\(s.compiled.modelID)", "cluster": String(s.cluster)]
        if c.variant != "reference" { l["chain"] = c.variant }
        metrics += [
          Metric("tcamBlocks", Double(s.estimate.tcamBlocks), unit: "blocks", labels: l),
          Metric("sramBlocks", Double(s.estimate.sramBlocks), unit: "blocks", labels: l),
          Metric("stages", Double(s.estimate.stages), unit: "stages", labels: l),
          Metric("entries", Double(s.entries), unit: "entries", labels: l),
        ]
        l["cluster"] = nil
        metrics.append(Metric("p4DependencyStages", Double(d), unit: "stages", labels: l))
        resourceRows.append([
          c.label(s), "C\(s.cluster)", String(s.compiled.inferencePoint), String(s.compiled.treeCount),
          String(s.entries), String(s.estimate.tcamBlocks), String(s.estimate.sramBlocks), String(s.estimate.stages),
          String(d), p(s.estimate.referenceTCAMShare), s.estimate.fit.fits ? "yes" : "no",
        ])
      }
    }
    if let m = mono.selected {
      let e = ResourceModel.estimate(m.compiled)
      resourceRows.append([
        "monolithic", "all", String(m.compiled.inferencePoint), String(m.compiled.treeCount), String(e.modelEntries),
        String(e.tcamBlocks), String(e.sramBlocks), String(e.stages), monoP4Stages.map(String.init) ?? "",
        p(e.referenceTCAMShare),
        e.fit.fits ? "yes" : "no",
      ])
    }
    var tables = [
      StepTable(
        id: "verification",
        caption:
          "Table lookup versus the model's hard vote on every test sample of every inference point (must be 100 %).",
        columns: ["switch", "cluster", "samples", "agree", "agreement %"], rows: verifyRows),
      StepTable(
        id: "resources",
        caption: ("Per-switch resources (Tofino-1 estimate): model table entries (feature, code and "
          + "voting tables; the controller-filled flow table and the registers are counted in "
          + "SRAM only), TCAM and SRAM blocks, stages of an ideally arranged pipeline (§9.3; "
          + "'fits' is judged on these), the dependency chain of the generated P4 ingress in "
          + "stages (a lower bound for that program as written; Tofino 1 has 12, Tofino 2 20), "
          + "reference TCAM share (%)."),
        columns: [
          "switch", "cluster", "N", "trees", "entries", "TCAM blocks", "SRAM blocks", "stages", "P4 dependency stages",
          "ref. TCAM %",
          "fits",
        ],
        rows: resourceRows),
      StepTable(
        id: "dune-vs-monolithic",
        caption: ("Chained F1 (%) on the replayed test captures: strict counts an unknown result as an "
          + "error, excluded drops unknown packets/flows."),
        columns: [
          "system", "FL macro", "FL weighted", "PL macro", "FL macro (unknown excl.)", "PL macro (unknown excl.)",
          "unknown packets",
        ],
        rows: zip(chains, reports).map { row($0.title, $1) }
          + (mono.selected.map { [row("monolithic", $0.report)] } ?? [])),
    ]
    tables.append(
      StepTable(
        id: "p4-verification",
        caption: ("Generated P4: the emitted entry files (bmv2 commands and Tofino JSON, read back) "
          + "run through each program's tables on every test sample, and the test packets run "
          + "through the programs of the whole chain (registers, hashes, digests, controller), "
          + "compared with the table-lookup evaluator and the chain emulator (must be 100 %)."),
        columns: ["switch / system", "check", "compared", "agree", "agreement %"], rows: p4.rows))
    let cats =
      switches.map { "s\($0.compiled.modelID) (C\($0.cluster))" } + (mono.selected == nil ? [] : ["monolithic"])
    let monoEst = mono.selected.map { ResourceModel.estimate($0.compiled) }
    let tcamSeries = switches.map { Double($0.estimate.tcamBlocks) } + (monoEst.map { [Double($0.tcamBlocks)] } ?? [])
    let sramSeries = switches.map { Double($0.estimate.sramBlocks) } + (monoEst.map { [Double($0.sramBlocks)] } ?? [])
    let res = BarChart(
      labels: ChartLabels(title: "Memory per switch", xLabel: "switch", yLabel: "blocks (Tofino-1 estimate)"),
      categories: cats,
      series: [BarSeries("TCAM blocks", tcamSeries), BarSeries("SRAM blocks", sramSeries)], mode: .stacked,
      valueDecimals: 0)
    var f1Series = zip(chains, reports).map { BarSeries($0.title, f1Values($1)) }
    if let m = mono.selected { f1Series.append(BarSeries("monolithic", f1Values(m.report))) }
    let f1 = BarChart(
      labels: ChartLabels(title: "DUNE vs monolithic", xLabel: "score", yLabel: "F1 (%)"),
      categories: ["FL macro", "FL weighted", "PL macro", "FL macro (unk. excl.)", "PL macro (unk. excl.)"],
      series: f1Series,
      valueDecimals: 1, valueRange: 0...100)
    let figures = [
      ChainStepSupport.figure(
        "fig-switch-resources",
        caption: ("TCAM and SRAM blocks per switch of the chain (and of the one-switch monolithic "
          + "baseline): each sub-model fits one Tofino-1 pipeline with room to spare."),
        .bar(res), shows: ["tcamBlocks", "sramBlocks", "resources"], context: context),
      ChainStepSupport.figure(
        "fig-dune-vs-monolithic",
        caption: ("F1 of the emulated DUNE chain and of the monolithic forest under the same "
          + "per-switch budget, on the same replayed packets."),
        .bar(f1), shows: ["chainedMacroF1FL", "dune-vs-monolithic"], context: context),
    ]
    var values: [String: Value] = [
      "agreement": .double(agreement), "p4Agreement": .double(p4.agreement), "switches": .int(switches.count),
      "budgetTCAMBlocks": .int(budgetBlocks),
      "duneMacroF1FL": .double(dune.strict.flowLevel.macroF1),
      "duneMacroF1PL": .double(dune.strict.packetLevel.macroF1),
      "duneMacroF1FLExcludingUnknown": .double(dune.excludingUnknown.flowLevel.macroF1),
      "monolithicMacroF1FL": .null, "monolithicMacroF1PL": .null, "monolithicMacroF1FLExcludingUnknown": .null,
      "duneDownstreamMacroF1FL": .null, "duneDownstreamMacroF1PL": .null,
      "duneDownstreamMacroF1FLExcludingUnknown": .null,
    ]
    if let d = zip(chains, reports).first(where: { $0.0.variant == "downstream" })?.1 {
      values["duneDownstreamMacroF1FL"] = .double(d.strict.flowLevel.macroF1)
      values["duneDownstreamMacroF1PL"] = .double(d.strict.packetLevel.macroF1)
      values["duneDownstreamMacroF1FLExcludingUnknown"] = .double(d.excludingUnknown.flowLevel.macroF1)
    }
    if let m = mono.selected {
      values["monolithicMacroF1FL"] = .double(m.report.strict.flowLevel.macroF1)
      values["monolithicMacroF1PL"] = .double(m.report.strict.packetLevel.macroF1)
      values["monolithicMacroF1FLExcludingUnknown"] = .double(m.report.excludingUnknown.flowLevel.macroF1)
    }
    var notes = [
      ("tables = model on \(NumberFormat.fixed(agreement * 100, 4)) % of the test samples; "
        + "code-table entry = traversal leaf on \(leaf.0)/\(leaf.1) tree lookups"),
      ("replayed \(replay.packets.count) packets, \(replay.flowCount) flows from "
        + "\(replay.captureNames.count) test captures in timestamp order"),
      ("monolithic budget: \(budgetBlocks) TCAM blocks (the largest per-switch TCAM use of "
        + "the chain\(chains.count > 1 ? "s" : "")); \(mono.rows.filter(\.fits).count) of "
        + "\(mono.rows.count) grid forests fit"),
      "\(artifacts) P4 files (bmv2 and Tofino programs with entries) under p4/",
      ("generated P4 vs data plane: \(p4.report.chainReplay.packets) packets "
        + "(\(p4.report.chainReplay.flows) 5-tuple flows) through the \(switches.count) "
        + "programs with the read-back bmv2 entries, \(p4.report.chainReplay.mismatches) "
        + "header mismatches, \(p4.report.chainReplay.programDigests) digests (emulator "
        + "\(p4.report.chainReplay.emulatorDigests))"),
    ]
    if let m = mono.selected {
      notes.append(
        ("monolithic: N = \(m.row.n), top-\(m.row.features) features, \(m.row.trees) trees, "
          + "leaf budget \(m.row.leafBudget), test-sample macro F1 \(p(m.row.macroF1FL)) %")
      )
    } else {
      notes.append("no monolithic grid forest fits the budget: no baseline")
    }
    return StepOutput(values: values, metrics: metrics, figures: figures, tables: tables, notes: notes)
  }

  static func row(_ name: String, _ r: ChainReport) -> [String] {
    let p = ChainStepSupport.pct
    return [
      name, p(r.strict.flowLevel.macroF1), p(r.strict.flowLevel.weightedF1), p(r.strict.packetLevel.macroF1),
      p(r.excludingUnknown.flowLevel.macroF1), p(r.excludingUnknown.packetLevel.macroF1), String(r.unknownPackets),
    ]
  }

  static func f1Values(_ r: ChainReport) -> [Double] {
    [
      r.strict.flowLevel.macroF1, r.strict.flowLevel.weightedF1, r.strict.packetLevel.macroF1,
      r.excludingUnknown.flowLevel.macroF1,
      r.excludingUnknown.packetLevel.macroF1,
    ].map { $0 * 100 }
  }
}
