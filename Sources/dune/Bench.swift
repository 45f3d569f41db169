import ArgumentParser

/// `dune bench …`: throughput measurements of hot paths (run them in a release build).
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the throughput of pipeline hot paths (use a release build).",
    subcommands: [
      BenchSamples.self,
      BenchForest.self,
    ])
}
