import ArgumentParser

/// `dune bench <thing>`: throughput and timing of the hot paths (run in a release build).
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the hot paths (use a release build: swift run -c release dune bench …).",
    subcommands: [
      BenchCapture.self,
      BenchSamples.self,
      BenchForest.self,
      BenchPartition.self,
      BenchClusters.self,
      BenchEmulator.self,
      BenchP4.self,
      BenchRunner.self,
      BenchReport.self,
      BenchChapters.self,
      BenchCSV.self,
    ]
  )
}
