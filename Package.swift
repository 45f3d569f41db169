// swift-tools-version:6.1
// DUNE: distributed in-network ML inference, as a reproducible literate runner.
// One library target per pipeline stage; `dune` is a thin command-line front end.
import PackageDescription

let package = Package(
  name: "DUNE",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "dune", targets: ["dune"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // System libraries (apt: libsqlite3-dev, libcmark-gfm-dev, libcmark-gfm-extensions-dev).
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(
      name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

    // Shared, dependency-free helpers: CSV, atomic file writes, located errors, number formatting.
    .target(name: "DUNESupport"),
    // Stage 1: captures → labelled packets → hybrid samples; use cases; synthetic dataset.
    .target(name: "Traffic", dependencies: ["DUNESupport"]),
    // Stage 2: CART / random forest, FL/PL evaluation, MDI and PCFI, grid search.
    .target(name: "Forest", dependencies: ["DUNESupport", "Traffic"]),
    // Stage 6 core: forest → match-action tables, resource model, switch-chain emulator.
    .target(name: "DataPlane", dependencies: ["DUNESupport", "Traffic", "Forest"]),
    // Stages 3–5: set partitioning (SPP), cluster analysis, sequencing.
    .target(name: "Partition", dependencies: ["DUNESupport", "Traffic", "Forest"]),
    // Where DUNE wins: chains built from a partition, budget sweeps, chain lengths, seed repeats, paired tests.
    .target(name: "Experiments", dependencies: ["DUNESupport", "Forest", "DataPlane", "Partition"]),
    // Shard jobs on a shared folder and the executors that compute them (Slurm job arrays).
    .target(name: "Shards", dependencies: ["DUNESupport"]),
    // P4 program model, v1model and TNA emitters, runtime entries, structural checker.
    .target(name: "P4", dependencies: ["DUNESupport", "Traffic", "DataPlane"]),
    // The real P4 tools as test oracles (p4c, bmv2, the Tofino back end): locating and running them.
    // IO only; nothing else depends on the tools being installed.
    // Also the bmv2 chain replay (`dune p4 bmv2`) and its record.
    .target(name: "P4Toolchain", dependencies: ["DUNESupport", "Traffic", "DataPlane", "P4"]),
    // Literate runner core: chapter parsing (cmark-gfm), step blocks, planner, cache keys. Pure: no store, no pages.
    .target(name: "Literate", dependencies: ["DUNESupport", "CCmarkGFM", .product(name: "Yams", package: "Yams")]),
    // The runner's execution layer: cache, runs, the store and the report pages wired together.
    .target(name: "LiterateRuntime", dependencies: ["DUNESupport", "Literate", "Store", "Report"]),
    // Digests of every module's sources, generated at build time (step cache keys include them).
    .target(name: "SourceDigests", plugins: ["SourceDigestPlugin"]),
    .executableTarget(name: "source-digest", dependencies: ["DUNESupport"]),
    .plugin(name: "SourceDigestPlugin", capability: .buildTool(), dependencies: ["source-digest"]),
    // SQLite store of runs, step executions, metrics and artifacts.
    .target(name: "Store", dependencies: ["DUNESupport", "CSQLite"]),
    // XHTML5 writer, SVG charts, report pages.
    .target(name: "Report", dependencies: ["DUNESupport"]),
    // The step kinds chapters can name, wired to the pipeline libraries.
    .target(
      name: "Steps",
      dependencies: [
        "DUNESupport", "Traffic", "Forest", "Partition", "DataPlane", "Experiments", "P4", "P4Toolchain", "Literate",
        "Report", "SourceDigests", "Shards",
      ]),
    .executableTarget(
      name: "dune",
      dependencies: [
        "DUNESupport", "Traffic", "Forest", "Partition", "DataPlane", "P4", "P4Toolchain", "Literate",
        "LiterateRuntime", "Store", "Report", "Steps", "Shards",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Shared by the test targets: golden files (DUNE_RECORD=1 re-records), random and hand-built forests.
    .target(
      name: "DUNETestSupport", dependencies: ["DUNESupport", "Traffic", "Forest", "DataPlane", "Partition"],
      path: "Tests/DUNETestSupport"),
    .testTarget(name: "DUNESupportTests", dependencies: ["DUNESupport"]),
    .testTarget(name: "TrafficTests", dependencies: ["Traffic"], exclude: ["Fixtures"]),
    .testTarget(name: "ForestTests", dependencies: ["DUNESupport", "Traffic", "Forest"]),
    .testTarget(
      name: "DataPlaneTests", dependencies: ["DUNESupport", "Traffic", "Forest", "DataPlane", "DUNETestSupport"]),
    .testTarget(
      name: "PartitionTests", dependencies: ["DUNESupport", "Traffic", "Forest", "Partition", "DUNETestSupport"]),
    .testTarget(name: "ExperimentsTests", dependencies: ["Experiments"]),
    .testTarget(
      name: "P4Tests", dependencies: ["DUNESupport", "Traffic", "Forest", "DataPlane", "P4", "DUNETestSupport"],
      exclude: ["Golden"]),
    .testTarget(
      name: "LiterateTests", dependencies: ["DUNESupport", "Literate", "LiterateRuntime", "Store", "Report"]),
    .testTarget(name: "StoreTests", dependencies: ["DUNESupport", "Store"]),
    .testTarget(
      name: "P4ToolchainTests", dependencies: ["DUNESupport", "Traffic", "Forest", "DataPlane", "P4", "P4Toolchain"]),
    .testTarget(
      name: "ReportTests", dependencies: ["DUNESupport", "Report", "DUNETestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "CLITests", dependencies: ["dune", "Traffic"]),
    .testTarget(name: "ShardsTests", dependencies: ["DUNESupport", "Shards"]),
    .testTarget(
      name: "StepsTests",
      dependencies: [
        "DUNESupport", "Traffic", "Forest", "Partition", "DataPlane", "Literate", "LiterateRuntime", "SourceDigests",
        "Steps", "P4Toolchain", "DUNETestSupport",
      ]),
  ],
  swiftLanguageModes: [.v6]
)

// Every file imports the modules whose members it uses (SE-0444), so a file's imports say what it needs.
for target in package.targets where target.type != .system && target.type != .plugin {
  target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
