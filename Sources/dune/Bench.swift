import ArgumentParser

/// `dune bench …`: throughput measurements of hot paths (run from a release build).
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure throughput of hot paths (use a release build).",
    subcommands: [BenchEmulator.self, BenchP4.self])
}
