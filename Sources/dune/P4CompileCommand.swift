import ArgumentParser
import DUNESupport
import Foundation
import P4Toolchain

/// `dune p4 compile`: every generated program of a results folder through the real compilers.
struct P4Compile: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile",
    abstract: "Compile every generated P4 program of a results folder with p4c-bm2-ss and the Tofino back end.",
    discussion: """
      v1model programs go through p4c-bm2-ss; TNA programs through bf-p4c-check (p4c-barefoot, then the \
      assembler bfas, which rejects programs needing more stages than the target has), or only through \
      p4test-tna (front and mid end) when the Tofino back end is not installed. The tools are found in \
      DUNE_P4TOOLS_BIN, $P4TOOLS/install/bin or ~/p4tools/install/bin. With --record, the result (per program: \
      SHA-256, outcome, warnings, the Tofino compiler's stages, TCAM and SRAM blocks) is written for chapter 06 \
      to show (toolchain/<use case>/compile.json). Exits 1 when a program fails to compile.
      """)

  @Option(help: "The results folder of a run (dune run --results); every p4/<switch>/<target>/*.p4 below it.")
  var results = "results"
  @Option(help: "Write the record here (JSON), e.g. toolchain/<use-case>/compile.json.") var record: String?
  @Option(help: "Compilers run at once (default: every core; the Tofino back end needs about 1 GB each).")
  var jobs: Int = defaultThreadCount

  func run() async throws {
    try await reportingErrors {
      guard let tools = P4Tools.locate() else {
        throw UsageError(P4Tools.missing([.p4cBMv2, .bfP4cCheck]) ?? "the P4 toolchain is not installed")
      }
      guard jobs >= 1 else { throw UsageError("--jobs must be at least 1 (got \(jobs))") }
      let r = try CompileCheck.run(resultsDirectory: results, tools: tools, jobs: jobs) { path, i, n in
        FileHandle.standardError.write(Data("[\(i + 1)/\(n)] \(path)\n".utf8))
      }
      var failed = 0
      for p in r.programs {
        var line = "\(p.outcome.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(p.path)"
        if p.warnings > 0 { line += "  (\(p.warnings) warning\(p.warnings == 1 ? "" : "s"))" }
        if let a = p.assemblerWarnings, a > 0 { line += "  (bfas: \(a) on the compiler's assembly)" }
        if let s = p.stages { line += "  stages \(s), TCAM \(p.tcamBlocks ?? 0), SRAM \(p.sramBlocks ?? 0)" }
        printOut(line)
        if let m = p.message {
          failed += 1
          printOut(m.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        }
      }
      printOut("\(r.programs.count - failed) of \(r.programs.count) programs compiled")
      if let path = record {
        try AtomicFile.write(try r.jsonText(), to: path)
        printOut(path)
      }
      if failed > 0 { throw ExitCode(1) }
    }
  }
}
