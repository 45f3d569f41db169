import DUNESupport
import Foundation

/// What `dune p4 compile --record FILE` writes and chapter 06 reads: every program a run generated,
/// through the real compilers, with the resources the Tofino compiler reports.
///
/// Format `dune-compile-record/1`, JSON with sorted keys. Paths are relative to the results folder
/// the programs came from; each program carries its SHA-256 so a report can tell whether the record
/// still describes what it generates. Only `date` (from `SOURCE_DATE_EPOCH`) and the timings
/// depend on when and where it ran.
public struct CompileRecord: Codable, Sendable, Equatable {
  public static let currentFormat = "dune-compile-record/1"

  /// How far a program got.
  public enum Outcome: String, Codable, Sendable, CaseIterable {
    /// `p4c-bm2-ss` wrote the bmv2 JSON.
    case compiled
    /// `p4c-barefoot` placed it and `bfas` assembled it: it runs on the target.
    case assembled
    /// Only the P4_16 front and mid end with the open-source `tna.p4` ran (no Tofino back end here).
    case frontEndOnly = "front end only"
    /// A compiler refused it (see `message`).
    case failed
  }

  /// One program as the compiler saw it.
  public struct Program: Codable, Sendable, Equatable {
    /// Relative to the results folder, e.g. `06-data-plane/dataplane/p4/s1/tofino/s1.p4`.
    public var path: String
    /// `bmv2` or `tofino`: the folder the generator wrote it to.
    public var target: String
    public var sha256: String
    /// The executable that judged it.
    public var compiler: String
    public var outcome: Outcome
    public var warnings: Int
    /// Warnings of the assembler `bfas` about the compiler's output (its `.bfa` file, not the P4
    /// source: e.g. two tables the compiler placed as mutually exclusive sharing an instruction
    /// slot, which bfas cannot prove exclusive); nil when no assembler ran.
    public var assemblerWarnings: Int?
    /// The first lines of the compiler's complaint, when it failed.
    public var message: String?
    /// From the Tofino compiler's `resources.json`: MAU stages holding any table or ALU, TCAM and
    /// SRAM blocks in use over all stages.
    public var stages: Int?
    public var tcamBlocks: Int?
    public var sramBlocks: Int?
    public var seconds: Double

    public init(
      path: String, target: String, sha256: String, compiler: String, outcome: Outcome, warnings: Int,
      assemblerWarnings: Int? = nil, message: String? = nil, stages: Int? = nil, tcamBlocks: Int? = nil,
      sramBlocks: Int? = nil, seconds: Double
    ) {
      self.path = path
      self.target = target
      self.sha256 = sha256
      self.compiler = compiler
      self.outcome = outcome
      self.warnings = warnings
      self.assemblerWarnings = assemblerWarnings
      self.message = message
      self.stages = stages
      self.tcamBlocks = tcamBlocks
      self.sramBlocks = sramBlocks
      self.seconds = seconds
    }
  }

  public var format: String
  public var date: String?
  /// Tool name → the version it printed.
  public var tools: [String: String]
  public var programs: [Program]

  public init(date: String?, tools: [String: String], programs: [Program]) {
    self.format = Self.currentFormat
    self.date = date
    self.tools = tools
    self.programs = programs
  }

  /// Where a recorded program lies: `<chapter>/<step>/p4/<rest>`, or nil for another layout.
  public static func location(of path: String) -> (chapter: String, step: String, rest: String)? {
    let parts = path.split(separator: "/").map(String.init)
    guard parts.count >= 5, parts[2] == "p4" else { return nil }
    return (parts[0], parts[1], parts[3...].joined(separator: "/"))
  }

  /// The recorded programs of `chapter` whose bytes in `p4Directory` (the `p4/` folder its step
  /// wrote, wherever the run keeps it) differ from the recorded ones, or that are missing, one line
  /// each; and programs there that the record lacks.
  public func differences(p4Directory: String, chapter: String) -> [String] {
    var out: [String] = []
    var known: Set<String> = []
    for p in programs {
      guard let at = Self.location(of: p.path), at.chapter == chapter else { continue }
      known.insert(at.rest)
      let path = (p4Directory as NSString).appendingPathComponent(at.rest)
      guard let now = try? SHA256.hexOfFile(atPath: path) else {
        out.append("\(p.path) is missing")
        continue
      }
      if now != p.sha256 { out.append("\(p.path) differs from the one compiled") }
    }
    for rest in CompileCheck.programFiles(in: p4Directory) where !known.contains(rest) {
      out.append("p4/\(rest) of \(chapter) was never compiled")
    }
    return out
  }

  /// The record as written: pretty, sorted keys, trailing newline.
  public func jsonText() throws -> String {
    try DeterministicJSON.text(self)
  }

  /// Reads a record; errors name the file.
  public static func load(path: String) throws -> CompileRecord {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read the compile record")
    }
    let r: CompileRecord
    do {
      r = try JSONDecoder().decode(CompileRecord.self, from: data)
    } catch {
      throw LocatedError(file: path, "not a compile record: \(error)")
    }
    guard r.format == currentFormat else {
      throw LocatedError(file: path, "format '\(r.format)', expected '\(currentFormat)'")
    }
    return r
  }
}

/// Runs every generated program of a results folder through the compilers that are installed.
public enum CompileCheck {
  /// The programs below `p4Directory` (`…/{bmv2,tofino}/*.p4`: one step's `p4/` folder holds
  /// `<switch>/<target>/<switch>.p4`), relative, sorted.
  public static func programFiles(in p4Directory: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: p4Directory) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
      guard rel.hasSuffix(".p4"), let target = rel.split(separator: "/").dropLast().last,
        target == "bmv2" || target == "tofino"
      else { continue }
      out.append(rel)
    }
    return out.sorted()
  }

  /// The generated programs of the run in `resultsDirectory`:
  /// `<chapter>/<step>/p4/…/{bmv2,tofino}/*.p4`, relative and sorted. A run kept inside another's
  /// folder (`results/iot-sentinel/`) is not part of it.
  public static func programs(in resultsDirectory: String) -> [String] {
    programFiles(in: resultsDirectory).filter { CompileRecord.location(of: $0) != nil }
  }

  /// Compiles every program of `resultsDirectory`: v1model with `p4c-bm2-ss`, TNA with
  /// `bf-p4c-check` (full compile, placement and assembly) when installed, else with `p4test-tna`
  /// (front and mid end only, said so in the record). `progress` is told each program's path.
  public static func run(
    resultsDirectory: String, tools: P4Tools, date: String? = CompileRecord.date(), jobs: Int = 1,
    progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }
  ) throws -> CompileRecord {
    // Absolute: some tools run in a scratch folder of their own.
    let resultsDirectory = URL(fileURLWithPath: resultsDirectory).standardizedFileURL.path
    let all = programs(in: resultsDirectory)
    guard !all.isEmpty else {
      throw LocatedError(file: resultsDirectory, "no generated P4 programs (p4/<switch>/<target>/*.p4) here")
    }
    guard let bm = tools.path(.p4cBMv2) else {
      throw UsageError("p4c-bm2-ss is not installed in \(tools.binDirectory)")
    }
    let tofino = tools.path(.bfP4cCheck)
    let frontEnd = tools.path(.p4testTNA)
    var versions: [String: String] = ["p4c-bm2-ss": tools.version(of: .p4cBMv2)]
    if tofino != nil {
      versions["bf-p4c-check"] = tools.version(of: .bfP4cCheck)
    } else if frontEnd != nil {
      versions["p4test-tna"] = tools.version(of: .p4testTNA)
    }
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("dune-compile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    // Programs are independent; `jobs` compilers run at once (each job has its own scratch folder).
    let out = try parallelMap(count: all.count, threads: jobs) { i throws(any Error) -> CompileRecord.Program in
      let rel = all[i]
      progress(rel, i, all.count)
      let path = (resultsDirectory as NSString).appendingPathComponent(rel)
      let target = rel.split(separator: "/").dropLast().last.map(String.init) ?? ""
      let digest = try SHA256.hexOfFile(atPath: path)
      let work = (scratch as NSString).appendingPathComponent("\(i)")
      try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
      let program: CompileRecord.Program
      if target == "bmv2" {
        let r = try ToolRun.run(bm, ["--std", "p4-16", "-o", work + "/out.json", path])
        program = CompileRecord.Program(
          path: rel, target: target, sha256: digest, compiler: "p4c-bm2-ss",
          outcome: r.status == 0 ? .compiled : .failed,
          warnings: warnings(r), message: r.status == 0 ? nil : excerpt(r), seconds: BMv2Record.rounded(r.seconds))
      } else if let t = tofino {
        let r = try ToolRun.run(t, ["-o", work, path, "-g"])
        let res = r.status == 0 ? TofinoResources.read(outputDirectory: work) : nil
        program = CompileRecord.Program(
          path: rel, target: target, sha256: digest, compiler: "bf-p4c-check",
          outcome: r.status == 0 ? .assembled : .failed, warnings: warnings(r),
          assemblerWarnings: assemblerWarnings(r),
          message: r.status == 0 ? nil : excerpt(r),
          stages: res?.stages, tcamBlocks: res?.tcamBlocks, sramBlocks: res?.sramBlocks,
          seconds: BMv2Record.rounded(r.seconds))
      } else if let f = frontEnd {
        let r = try ToolRun.run(f, [path], in: work)
        program = CompileRecord.Program(
          path: rel, target: target, sha256: digest, compiler: "p4test-tna",
          outcome: r.status == 0 ? .frontEndOnly : .failed, warnings: warnings(r),
          message: r.status == 0 ? nil : excerpt(r), seconds: BMv2Record.rounded(r.seconds))
      } else {
        throw UsageError("neither bf-p4c-check nor p4test-tna is installed in \(tools.binDirectory) (for \(rel))")
      }
      try? FileManager.default.removeItem(atPath: work)
      return program
    }
    return CompileRecord(date: date, tools: versions, programs: out)
  }

  /// Lines a p4c compiler prints as warnings about the program. p4c-barefoot also reports, as a
  /// warning, how it unrolls the padding loop it inserts itself into parser paths shorter than the
  /// hardware's minimum parse depth (state `min_parse_depth_accept_loop`): that names no line of
  /// the program and no program avoids it, so it is not counted; nor is its closing tally
  /// ("0 errors, 2 warnings generated."); nor are the assembler's (`assemblerWarnings`).
  static func warnings(_ r: ToolRun) -> Int {
    (r.stderr + "\n" + r.stdout).split(separator: "\n")
      .filter {
        $0.contains("warning") && !$0.contains(".bfa:") && !$0.contains("min_parse_depth_accept_loop")
          && !isTally($0)
      }
      .count
  }

  /// The closing tally of a p4c compiler ("1 error, 2 warnings generated.").
  static func isTally(_ line: Substring) -> Bool {
    line.hasSuffix("warnings generated.") || line.hasSuffix("warning generated.")
  }

  /// Warnings `bfas` printed about the assembly the compiler wrote (lines `<file>.bfa:<line>:
  /// warning: …`), each counted once: the lines that only point at the other party of a conflict
  /// ("and table …", "previous definition here") are not counted again.
  static func assemblerWarnings(_ r: ToolRun) -> Int? {
    let lines = (r.stderr + "\n" + r.stdout).split(separator: "\n")
    // The compiler failed before writing assembly: bfas did not run.
    if r.status != 0 && !lines.contains(where: { $0.contains(".bfa:") }) { return nil }
    return lines.filter {
      $0.contains(".bfa:") && $0.contains(": warning: ") && !$0.contains(": warning: and table ")
        && !$0.hasSuffix("previous definition here")
    }
    .count
  }

  /// The complaint: its error lines when it has any (bfas prints its stage overflow after many
  /// warnings), else its first lines; 12 lines at most.
  static func excerpt(_ r: ToolRun) -> String {
    let text = r.stderr.isEmpty ? r.stdout : r.stderr
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    let errors = lines.filter { $0.contains("error") && !isTally($0) }
    return (errors.isEmpty ? lines : errors).prefix(12).joined(separator: "\n")
  }
}

extension CompileRecord {
  /// The UTC day named by `SOURCE_DATE_EPOCH`, if set.
  public static func date(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    BMv2Record.date(environment: environment)
  }
}

/// The totals of a Tofino compile's `resources.json` (`pipe/logs/resources.json` of `-g` builds).
public struct TofinoResources: Sendable, Equatable {
  /// MAU stages in which anything is placed (tables, gateways, stateful ALUs, hash bits).
  public var stages: Int
  public var tcamBlocks: Int
  public var sramBlocks: Int

  public init(stages: Int, tcamBlocks: Int, sramBlocks: Int) {
    self.stages = stages
    self.tcamBlocks = tcamBlocks
    self.sramBlocks = sramBlocks
  }

  /// Reads the first `resources.json` below `outputDirectory`, or nil.
  public static func read(outputDirectory: String) -> TofinoResources? {
    guard let e = FileManager.default.enumerator(atPath: outputDirectory) else { return nil }
    var found: [String] = []
    while let rel = e.nextObject() as? String {
      if rel.hasSuffix("resources.json") { found.append(rel) }
    }
    guard let first = found.sorted().first,
      let data = FileManager.default.contents(atPath: (outputDirectory as NSString).appendingPathComponent(first))
    else { return nil }
    return try? parse(data)
  }

  /// Totals of `resources.mau.mau_stages`: a stage counts when any `usages` list inside it is
  /// non-empty; TCAM and SRAM blocks are the entries of each stage's `tcams.tcams` and `rams.srams`.
  public static func parse(_ data: Data) throws -> TofinoResources {
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let resources = root["resources"] as? [String: Any], let mau = resources["mau"] as? [String: Any],
      let stages = mau["mau_stages"] as? [[String: Any]]
    else { throw UsageError("resources.json has no resources.mau.mau_stages") }
    var used = 0
    var tcam = 0
    var sram = 0
    for s in stages {
      tcam += ((s["tcams"] as? [String: Any])?["tcams"] as? [Any])?.count ?? 0
      sram += ((s["rams"] as? [String: Any])?["srams"] as? [Any])?.count ?? 0
      if hasUsage(s) { used += 1 }
    }
    return TofinoResources(stages: used, tcamBlocks: tcam, sramBlocks: sram)
  }

  static func hasUsage(_ value: Any) -> Bool {
    if let d = value as? [String: Any] {
      if let u = d["usages"] as? [Any], !u.isEmpty { return true }
      return d.values.contains { hasUsage($0) }
    }
    if let a = value as? [Any] { return a.contains { hasUsage($0) } }
    return false
  }
}
