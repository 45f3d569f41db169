import Foundation
import Testing

@testable import Steps

@Suite struct ProjectRelativeTests {
  @Test func pathsInsideAndOutsideTheProjectBecomeRelative() {
    let root = URL(fileURLWithPath: "/home/u/dune")
    #expect(StepValues.projectRelative("/home/u/dune", root: root) == ".")
    #expect(StepValues.projectRelative("/home/u/dune/.dune/datasets/x.pcap", root: root) == ".dune/datasets/x.pcap")
    #expect(StepValues.projectRelative("/home/u/dune/../shared/d/a.pcap", root: root) == "../shared/d/a.pcap")
    #expect(StepValues.projectRelative("/data/caps/a.pcap", root: root) == "../../../data/caps/a.pcap")
  }

  @Test func aSymlinkedSiblingStaysASiblingPath() throws {
    // <tmp>/clone and <tmp>/shared → <tmp>/elsewhere/shared: the published path must not follow the link.
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dune-rel-\(UInt64.random(in: 0...UInt64.max))")
    let target = tmp.appendingPathComponent("elsewhere/shared/d")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: tmp.appendingPathComponent("clone"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: tmp.appendingPathComponent("shared"), withDestinationURL: tmp.appendingPathComponent("elsewhere/shared"))
    defer { try? FileManager.default.removeItem(at: tmp) }
    let root = tmp.appendingPathComponent("clone")
    #expect(StepValues.projectRelative(root.path + "/../shared/d", root: root) == "../shared/d")
  }
}
