import Foundation
import Testing

@testable import Traffic

@Suite struct CaptureFilesTests {
  @Test func indexModuloPerFolderInByteOrder() {
    let paths = [
      "captures/A/Setup-1.pcap", "captures/A/Setup-10.pcap", "captures/A/Setup-2.pcap", "captures/A/Setup-3.pcap",
      "captures/A/Setup-4.pcap", "captures/B/x.pcap", "captures/B/y.pcap", "captures/B/z.pcap", "captures/B/zz.pcap",
    ].sorted(by: CaptureFiles.byteOrder)
    #expect(paths[1] == "captures/A/Setup-10.pcap")  // byte order, not numeric
    let s = CaptureFiles.splits(
      of: paths, rule: .indexModulo(modulus: 4, testRemainders: [3], perFolder: true), capturesFolder: "captures")
    #expect(s.map { $0[0] } == ["train", "train", "train", "test", "train", "train", "train", "train", "test"])
    let global = CaptureFiles.splits(
      of: paths, rule: .indexModulo(modulus: 4, testRemainders: [3], perFolder: false), capturesFolder: "captures")
    #expect(global.map { $0[0] } == ["train", "train", "train", "test", "train", "train", "train", "test", "train"])
  }

  @Test func fileNamePatterns() {
    let paths = ["captures/16-09-23.pcap", "captures/16-10-05.pcap", "captures/day/16-10-05.pcap"]
    let s = CaptureFiles.splits(of: paths, rule: .fileNames(test: ["16-10-05.pcap"]), capturesFolder: "captures")
    #expect(s == [["train"], ["test"], ["test"]])
    let g = CaptureFiles.splits(of: paths, rule: .fileNames(test: ["day/*"]), capturesFolder: "captures")
    #expect(g == [["train"], ["train"], ["test"]])
  }

  @Test func labelFilesReadEveryCaptureForBothSplits() {
    let s = CaptureFiles.splits(of: ["captures/a.pcap"], rule: .labelFiles, capturesFolder: "captures")
    #expect(s == [["train", "test"]])
  }

  @Test func topFolderAndListing() throws {
    #expect(CaptureFiles.topFolder("captures/Aria/x.pcap", capturesFolder: "captures") == "Aria")
    #expect(CaptureFiles.topFolder("captures/x.pcap", capturesFolder: "captures") == "")
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    for f in [
      "captures/B/b.pcap", "captures/A/a.PCAP", "captures/A/._a.pcap", "captures/A/notes.txt", "captures/A/c.pcapng",
    ] {
      writeText("x", dir + "/" + f)
    }
    var u = UseCase.iotSentinel
    u.dataFolder = dir
    #expect(
      try CaptureFiles.list(useCase: u, dataFolder: dir) == [
        "captures/A/a.PCAP", "captures/A/c.pcapng", "captures/B/b.pcap",
      ])
    #expect(throws: (any Error).self) { try CaptureFiles.list(useCase: u, dataFolder: dir + "/nothing") }
  }
}
