import ArgumentParser

/// `dune bench …`: throughput measurements of the hot paths (meaningful in a release build).
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the throughput of hot paths (build with -c release).",
    subcommands: [
      BenchCapture.self,
      BenchSamples.self,
    ]
  )
}
