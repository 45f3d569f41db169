import DUNESupport
import Foundation
import Testing
import Traffic

/// Structurally broken inputs throw a `LocatedError` naming the file and the byte offset.
@Suite struct CaptureBadInputTests {
  typealias F = CaptureFixtures
  typealias L = CaptureLinkTypeTests
  static let name = "test.pcap"

  static func located(_ offset: Int, _ message: String) -> LocatedError {
    LocatedError(file: name, offset: offset, message)
  }

  static func expectError(
    _ data: Data, offset: Int, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      _ = try F.readAll(data)
      Issue.record("no error", sourceLocation: sourceLocation)
    } catch let e as LocatedError {
      #expect(e.file == name, sourceLocation: sourceLocation)
      #expect(e.location == .byteOffset(offset), "\(e)", sourceLocation: sourceLocation)
      #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  static func twoPacketPcap() throws -> Data {
    var w = PcapWriter()
    try w.write(F.tcp(1_000_000))
    try w.write(F.udp(2_000_000))
    return w.data
  }

  @Test func notACapture() {
    Self.expectError(Data(), offset: 0, containing: "empty file")
    Self.expectError(Data([1, 2, 3]), offset: 0, containing: "too short")
    Self.expectError(Data("hello, world\n".utf8), offset: 0, containing: "not a pcap or pcapng file")
  }

  @Test func classicHeaderProblems() throws {
    let good = try Self.twoPacketPcap()
    Self.expectError(good.prefix(10), offset: 0, containing: "truncated pcap file header")
    var version = good
    version[4] = 3
    Self.expectError(version, offset: 4, containing: "unsupported pcap version 3")
    var link = good
    link[20] = 147
    Self.expectError(link, offset: 20, containing: "unsupported link type 147")
  }

  @Test func classicRecordProblems() throws {
    let good = try Self.twoPacketPcap()
    let firstRecord = 24 + 16 + 74  // header, record header, 14 + 60 bytes of frame
    Self.expectError(good + Data([1, 2, 3, 4, 5]), offset: good.count, containing: "truncated record header")
    Self.expectError(good.prefix(good.count - 1), offset: firstRecord, containing: "truncated record")
    var huge = good
    huge.replaceSubrange((firstRecord + 8)..<(firstRecord + 12), with: [0xF0, 0xFF, 0xFF, 0xFF])
    Self.expectError(huge, offset: firstRecord + 8, containing: "implausible")
  }

  @Test func packetsBeforeAnErrorAreDelivered() throws {
    let good = try Self.twoPacketPcap()
    let reader = try CaptureReader(data: good.prefix(good.count - 3), name: Self.name)
    #expect(try reader.next()?.proto == 6)
    #expect(throws: LocatedError.self) { try reader.next() }
  }

  static func pcapng() throws -> Data {
    var w = PcapngWriter()
    w.addInterface(linkType: 1)
    w.writeEnhancedPacket(interface: 0, timestampUnits: 1, frame: try FrameEncoder.ethernetFrame(for: F.tcp(1000)))
    return w.data
  }

  @Test func pcapngBlockProblems() throws {
    let good = try Self.pcapng()
    let idb = 28  // SHB with no options
    let epb = idb + 20
    Self.expectError(good.prefix(10), offset: 0, containing: "truncated section header")
    var magic = good
    magic[8] = 0
    Self.expectError(magic, offset: 8, containing: "byte-order magic")
    var length = good
    length[epb + 4] = 0x0A  // not a multiple of 4
    Self.expectError(length, offset: epb + 4, containing: "corrupt block length")
    var trailing = good
    trailing[good.count - 4] ^= 0x40
    Self.expectError(trailing, offset: good.count - 4, containing: "trailing block length")
    Self.expectError(good.prefix(good.count - 8), offset: epb, containing: "truncated block")
    Self.expectError(good + Data([6, 0, 0]), offset: good.count, containing: "truncated block header")
    var captured = good
    captured[epb + 21] = 0x10  // captured length 4096 + 74 inside a 108-byte block
    Self.expectError(captured, offset: epb + 20, containing: "overruns block")
    var unknown = good
    unknown[epb] = 0x77  // the EPB becomes an unknown block: skipped by its length
    #expect(try F.readAll(unknown).packets.isEmpty)
    let noInterface = good.prefix(idb) + good.suffix(from: epb)
    Self.expectError(noInterface, offset: idb + 8, containing: "only 0 defined")
  }

  @Test func unreadablePaths() throws {
    #expect(throws: LocatedError.self) { try CaptureReader(path: "/nonexistent/capture.pcap") }
    #expect(throws: LocatedError.self) { try CaptureReader(path: FileManager.default.temporaryDirectory.path) }
  }

  @Test func errorTextNamesFileAndOffset() {
    #expect(
      Self.located(20, "unsupported link type 147").description
        == "test.pcap: byte offset 20: error: unsupported link type 147")
  }
}
