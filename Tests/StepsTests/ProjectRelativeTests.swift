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
}
