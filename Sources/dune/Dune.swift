import ArgumentParser

/// The `dune` command: a thin front end over the pipeline libraries and the literate runner.
@main
struct Dune: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dune",
    abstract: "Distributed in-network ML inference in the style of DUNE, as a literate runner.",
    subcommands: [
      // One line per command group; each group lives in its own file.
      RunChapters.self,
      RenderReport.self,
      MetricsCommand.self,
      FiguresCommand.self,
      DataCommand.self,
      ForestGroup.self,
      PartitionCommand.self,
      SequenceCommand.self,
      ClustersCommand.self,
      DataPlaneCommand.self,
      P4Command.self,
      ShardCommand.self,
      Bench.self,
    ]
  )
}
