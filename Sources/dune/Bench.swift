import ArgumentParser

/// `dune bench …`: throughput measurements of the hot paths (use a release build).
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Measure hot-path throughput (run a release build).",
    subcommands: [BenchForest.self])
}
