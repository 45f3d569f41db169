import DUNESupport
import DataPlane
import Foundation
import Testing
import Traffic

@Suite struct ReplayInputTests {
  @Test func packetCSVRoundTripAndLocatedErrors() throws {
    let caps = SyntheticTraffic(classes: ["a", "b", "c"], flowsPerCapture: 20, maxFlowLength: 5, seed: 9).generate()
    let text = PacketCSV.write(caps[0])
    let back = try PacketCSV.parse(try CSVTable.parse(CSVReader(bytes: Array(text.utf8), path: "cap.csv")), name: "cap")
    #expect(back.packets == caps[0].packets)
    #expect(back.labels == caps[0].labels)
    let bad = PacketCSV.header.joined(separator: ",") + "\n1,10.0.0.300,10.0.0.2,1,2,6,60,20,64,0,0,5,0,x\n"
    #expect(throws: LocatedError(file: "bad.csv", line: 2, column: 2, "'10.0.0.300' is not an IPv4 address")) {
      try PacketCSV.parse(try CSVTable.parse(CSVReader(bytes: Array(bad.utf8), path: "bad.csv")), name: "bad")
    }
    let header = "timestamp,src\n1,2\n"
    #expect(throws: LocatedError.self) {
      try PacketCSV.parse(try CSVTable.parse(CSVReader(bytes: Array(header.utf8), path: "h.csv")), name: "h")
    }
  }

  @Test func replayInterleavesCapturesByTimeAndScoresTheirFlowsApart() {
    let p1 = Packet(timestampNs: 10, srcIP: 1, dstIP: 2, proto: 6, srcPort: 3, dstPort: 4, ipLength: 60, ttl: 64)
    var p2 = p1
    p2.timestampNs = 5
    var p3 = p1
    p3.timestampNs = 20
    let t = p1.fiveTuple
    let r = Replay(captures: [
      ReplayCapture(name: "x", packets: [p1, p3], labels: [t: "a"]),
      ReplayCapture(name: "y", packets: [p2], labels: [t: "b"]),
    ])
    #expect(r.packets.map(\.timestampNs) == [5, 10, 20])
    #expect(r.flowCount == 2)  // the same 5-tuple in two captures is two flows
    #expect(r.flowOfPacket == [0, 1, 1])
    #expect(r.flowLabel == ["b", "a"])
    #expect(r.flowLength == [1, 2])
    // ... but one switch flow: a switch sees the plain 5-tuple, hashed as the programs hash it
    // (the 13-byte bmv2 field list).
    #expect(r.keyCount == 1 && r.keyOfFlow == [0, 0])
    #expect(r.flowCRC32[0] == r.flowCRC32[1] && r.flowCRC16[0] == r.flowCRC16[1])
    #expect(r.flowCRC16[0] == CRC.crc16(Replay.hashInput(t)))
    #expect(r.flowCRC32[0] == CRC.crc32(Replay.hashInput(t)))
    #expect(Replay.hashInput(t) == [0, 0, 0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 6])
  }

  @Test func chainSpecErrorsNameTheFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dp-spec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("chain.json").path
    try #"{"subModels":[{"model":"m.json","classes":["a"]}]}"#.write(toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try ChainSpec.load(path: path)
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.file == path)
      #expect(e.message.contains("missing key 'n'"))
    }
  }
}
