import ArgumentParser

/// `dune bench <thing>`: throughput of hot paths (use a release build).
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure throughput of hot paths (build with -c release).",
    subcommands: [BenchRunner.self])
}
