import DUNESupport
import Foundation
import Testing

@testable import Traffic

/// End-to-end generation on tiny fixtures written as real pcap files (reference layouts of UNSW and
/// ToN-IoT, a folder-labelled layout), plus bad captures and thread-count independence.
@Suite struct SampleGeneratorTests {
  static let devA: UInt64 = 0x00AA_0000_0001, devB: UInt64 = 0x00BB_0000_0002, gw: UInt64 = 0x14CC_2051_33EA

  /// A tiny UNSW-style dataset: two daily traces, device list with the gateway.
  func unswFixture() throws -> String {
    let dir = makeTempDir("unsw")
    writeText(
      "List of Devices,MAC ADDRESS\nAmazon Echo,00:aa:00:00:00:01\nIHome,00:bb:00:00:00:02\nTPLink Router Bridge LAN (Gateway),14:cc:20:51:33:ea\n",
      dir + "/iot_device_list.csv")
    var day1: [Packet] = []
    // Echo uplink
    for i in 0..<4 { day1.append(pkt(Int64(i) * 1000, sport: 4000, srcMAC: Self.devA, dstMAC: Self.gw)) }
    for i in 0..<3 {
      day1.append(
        pkt(
          Int64(i) * 1000 + 500, src: 0x0A00_0002, dst: 0x0A00_0001, sport: 80, dport: 4000, srcMAC: Self.gw,
          dstMAC: Self.devA))
    }  // downlink → Echo
    day1.append(pkt(9000, sport: 9, srcMAC: 0x0777, dstMAC: Self.devA))  // unknown sender → unlabelled
    day1.append(pkt(9500, sport: 10, srcMAC: Self.gw, dstMAC: 0x0777))  // gateway to an unknown MAC → excluded
    try writePcap(day1.sorted { $0.timestampNs < $1.timestampNs }, dir + "/captures/16-09-23.pcap")
    var day2: [Packet] = []
    for i in 0..<2 {
      day2.append(pkt(Int64(i) * 10, sport: 5000, proto: 17, len: 50, udpLen: 30, srcMAC: Self.devB, dstMAC: Self.gw))
    }
    try writePcap(day2, dir + "/captures/16-10-05.pcap")
    return dir
  }

  @Test func unswLayoutWithGatewayRule() throws {
    let dir = try unswFixture()
    defer { removeTemp(dir) }
    var u = UseCase.unsw
    u.classes.append("IHome")
    let out = try SampleGenerator.run(
      useCase: u, dataFolder: dir, options: .init(inferencePoints: [2, 3]), source: .captures)
    let train3 = out.tables["train"]![3]!
    // Echo uplink (4 packets): 2 packet rows + flow row; downlink (3): 2 packet rows + flow row.
    #expect(train3.rowCount == 6)
    #expect(Set(train3.labels) == ["Amazon Echo"])
    #expect(train3.files.allSatisfy { $0 == "captures/16-09-23.pcap" })
    let test2 = out.tables["test"]![2]!
    #expect(test2.rowCount == 2)
    #expect(test2.labels == ["IHome", "IHome"])
    #expect(value(test2, "udp.length", 1) == 30 && value(test2, "UDP Len Max", 1) == 30)
    #expect(out.flowCounts["train"]!["captures/16-09-23.pcap", "10.0.0.1 10.0.0.2 4000 80 6"]?.packetCount == 4)
    #expect(out.flowCounts["train"]!["captures/16-09-23.pcap", "10.0.0.2 10.0.0.1 80 4000 6"]?.packetCount == 3)
    #expect(out.report.packets.skipped["unlabelled"] == 1)
    #expect(out.report.packets.skipped["excludedLabel"] == 1)
    #expect(out.report.packets.used == 9)
  }

  @Test func tonLayoutWithFlowIDFiles() throws {
    let dir = makeTempDir("ton")
    defer { removeTemp(dir) }
    var ps: [Packet] = []
    for i in 0..<5 { ps.append(pkt(Int64(i) * 100, sport: 1111)) }
    for i in 0..<3 { ps.append(pkt(Int64(i) * 100 + 50, sport: 2222)) }
    for i in 0..<2 { ps.append(pkt(Int64(i) * 100 + 70, sport: 3333)) }
    try writePcap(ps.sorted { $0.timestampNs < $1.timestampNs }, dir + "/captures/part1.pcap")
    writeText(
      "Flow ID,Label\n10.0.0.1 10.0.0.2 1111 80 6,normal\n10.0.0.1 10.0.0.2 2222 80 6,xss\n10.0.0.1 10.0.0.2 2222 80 6,ddos\n",
      dir + "/ToN_IoT_Train_Label.csv")
    writeText("Flow ID,label\n10.0.0.1-10.0.0.2-3333-80-6,scanning\n", dir + "/ToN_IoT_Test_Label.csv")
    let out = try SampleGenerator.run(
      useCase: .tonIoT, dataFolder: dir, options: .init(inferencePoints: [3]), source: .captures)
    let train = out.tables["train"]![3]!
    #expect(train.rowCount == 6)
    #expect(train.labels.filter { $0 == "ddos" }.count == 3)  // last row of the repeated Flow ID wins
    #expect(train.labels.filter { $0 == "normal" }.count == 3)
    let test = out.tables["test"]![3]!
    #expect(test.labels == ["scanning", "scanning"])
    #expect(out.flowCounts["train"]!["captures/part1.pcap", "10.0.0.1 10.0.0.2 1111 80 6"]?.packetCount == 5)
    #expect(out.report.packets.framesRead == 10)  // one read counted once, though read per split
    #expect(out.report.packets.skipped["notInFlowList"] == 2 + 8)
  }

  /// Folder labels, merges, per-folder split, and a corrupt capture: skipped (reported) or fatal.
  @Test func directoryLayoutBadCaptureSkippedOrStrict() throws {
    let dir = makeTempDir("dir")
    defer { removeTemp(dir) }
    for (folder, mac) in [("Cam1", Self.devA), ("Cam2", Self.devB)] {
      writeText(MACAddress.text(mac) + "\n", "\(dir)/captures/\(folder)/_iotdevice-mac.txt")
      for k in 0..<4 {
        var ps = (0..<3).map { pkt(Int64($0) * 1000, sport: UInt16(100 + k), srcMAC: mac, dstMAC: Self.gw) }
        ps.append(pkt(5000, sport: 7, srcMAC: 0x0123, dstMAC: 0x0456))  // not the device: dropped
        try writePcap(ps, "\(dir)/captures/\(folder)/run-\(k).pcap")
      }
    }
    var u = UseCase.iotSentinel
    u.name = "cams"
    u.classes = ["Cam"]
    u.merges = ["Cam1": "Cam", "Cam2": "Cam"]
    let good = try SampleGenerator.run(
      useCase: u, dataFolder: dir, options: .init(inferencePoints: [2]), source: .captures)
    #expect(good.report.splits["test"]!.files == 2)
    #expect(Set(good.tables["test"]![2]!.files) == ["captures/Cam1/run-3.pcap", "captures/Cam2/run-3.pcap"])
    #expect(Set(good.tables["train"]![2]!.labels) == ["Cam"])
    #expect(good.report.packets.skipped["macMismatch"] == 8)
    // Truncate one capture in the middle of a record.
    let bad = "\(dir)/captures/Cam1/run-1.pcap"
    let data = FileManager.default.contents(atPath: bad)!
    try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: bad))
    let skipped = try SampleGenerator.run(
      useCase: u, dataFolder: dir, options: .init(inferencePoints: [2]), source: .captures)
    #expect(skipped.report.badFiles.count == 1)
    #expect(skipped.report.badFiles[0].error.contains("run-1.pcap"))
    #expect(skipped.report.badFiles[0].error.contains("byte offset"))
    #expect(skipped.report.files.skipped == 1)
    #expect(!skipped.tables["train"]![2]!.files.contains("captures/Cam1/run-1.pcap"))
    // one 3-packet flow: 1 packet row + 1 flow row
    #expect(skipped.tables["train"]![2]!.rowCount == good.tables["train"]![2]!.rowCount - 2)
    #expect(throws: LocatedError.self) {
      try SampleGenerator.run(
        useCase: u, dataFolder: dir, options: .init(inferencePoints: [2], strict: true), source: .captures)
    }
  }

  /// The output does not depend on the number of worker threads.
  @Test func threadCountIndependence() throws {
    let dir = makeTempDir("threads")
    defer { removeTemp(dir) }
    let p = SyntheticParameters(classes: 3, seed: 5, scale: 0.15)
    try SyntheticDataset.write(p, to: dir)
    let u = UseCase.synthetic(p)
    let one = try SampleGenerator.run(
      useCase: u, dataFolder: dir, options: .init(inferencePoints: [2, 3], threads: 1), source: .captures)
    let many = try SampleGenerator.run(
      useCase: u, dataFolder: dir, options: .init(inferencePoints: [2, 3], threads: 4), source: .captures)
    for s in UseCase.splitNames {
      for n in [2, 3] { #expect(one.tables[s]![n]!.csvText() == many.tables[s]![n]!.csvText()) }
      #expect(one.flowCounts[s]! == many.flowCounts[s]!)
    }
    #expect(one.report == many.report)
    #expect(Set(one.tables["train"]![3]!.labels) == Set(u.classes))
    #expect(one.report.packets.skipped.isEmpty)
  }

  @Test func atomicFileSetWritesAllOrNothing() throws {
    let dir = makeTempDir("atomic")
    defer { removeTemp(dir) }
    writeText("x", dir + "/blocker")  // a file where a folder is needed
    #expect(throws: LocatedError.self) {
      try AtomicFileSet.write([(dir + "/ok.csv", Data("a".utf8)), (dir + "/blocker/no.csv", Data("b".utf8))])
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/ok.csv"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["blocker"])
  }
}
