import DUNESupport
import Foundation
import Testing
import Traffic

/// Random and mutated inputs: every one must yield packets or throw a `LocatedError`, never trap.
@Suite struct CaptureFuzzTests {
  typealias F = CaptureFixtures
  typealias L = CaptureLinkTypeTests

  /// Valid captures of every container and link type, the seeds for mutation.
  static func seeds() throws -> [Data] {
    let packets = [F.tcp(1_000_000_123, ihl: 28, words: 7), F.udp(2_000_000_000), F.tcp(3_000_000_000, flags: 0x11)]
    var out: [Data] = []
    for (link, nano, big) in [(UInt32(1), false, false), (1, true, true), (101, false, true), (228, true, false)] {
      var w = PcapWriter(linkType: link, nanosecond: nano, bigEndian: big)
      for p in packets { try w.write(p) }
      out.append(w.data)
    }
    var sll = PcapWriter(linkType: 113)
    var sll2 = PcapWriter(linkType: 276, bigEndian: true)
    for p in packets {
      try sll.writeFrame(try L.sll(p), timestampNs: p.timestampNs)
      try sll2.writeFrame(try L.sll2(p), timestampNs: p.timestampNs)
    }
    out += [sll.data, sll2.data]
    for big in [false, true] {
      var ng = PcapngWriter(bigEndian: big)
      ng.addInterface(linkType: 1, tsresol: 9)
      ng.addInterface(linkType: 276, tsresol: 0x80 | 30, tsoffsetSeconds: -3)
      ng.writeEnhancedPacket(
        interface: 0, timestampUnits: 5, frame: try L.ethernet(packets[0], tags: [0x88A8, 0x8100]))
      ng.writeBlock(type: 0x0BAD, body: [1, 2, 3])
      ng.writeEnhancedPacket(interface: 1, timestampUnits: 1 << 40, frame: try L.sll2(packets[1]))
      ng.writeSimplePacket(frame: try L.ethernet(packets[2], tags: []))
      ng.writeObsoletePacket(interface: 1, timestampUnits: 9, frame: try L.sll2(packets[2]))
      ng.startSection(bigEndian: !big)
      ng.addInterface(linkType: 101, tsresol: 3)
      ng.writeEnhancedPacket(interface: 0, timestampUnits: 77, frame: try FrameEncoder.ipv4Datagram(for: packets[1]))
      out.append(ng.data)
    }
    return out
  }

  enum Outcome { case packets, locatedError }

  static func run(_ data: Data) -> Outcome? {
    do {
      let reader = try CaptureReader(data: data, name: "fuzz")
      var n = 0
      while try reader.next() != nil { n += 1 }
      precondition(reader.stats.decoded == n && reader.stats.decoded + reader.stats.skipped == reader.stats.packetsRead)
      return .packets
    } catch is LocatedError {
      return .locatedError
    } catch {
      return nil
    }
  }

  @Test func seedsAreValid() throws {
    // Six classic files of 3 packets, two pcapng files of 5 (EPB, EPB, SPB, OPB, EPB).
    #expect(try Self.seeds().map { try F.readAll($0).packets.count } == [3, 3, 3, 3, 3, 3, 5, 5])
  }

  @Test func randomAndMutatedInputsNeverTrap() throws {
    var rng = SplitMix64(seed: 0xD0E_CAFE)
    let seeds = try Self.seeds()
    let magics: [[UInt8]] = [
      [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4], [0x4D, 0x3C, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D],
      [0x0A, 0x0D, 0x0D, 0x0A],
    ]
    var counts = [0, 0]
    for i in 0..<6000 {
      var bytes: [UInt8]
      switch i % 4 {
      case 0:  // pure noise
        bytes = (0..<rng.int(below: 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      case 1:  // a capture magic followed by noise, to get past the first check
        bytes =
          magics[rng.int(below: magics.count)]
          + (0..<rng.int(below: 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      default:  // a valid capture with byte flips, word overwrites, truncation or insertion
        bytes = [UInt8](seeds[rng.int(below: seeds.count)])
        for _ in 0..<(1 + rng.int(below: 4)) {
          guard !bytes.isEmpty else { break }
          let at = rng.int(below: bytes.count)
          switch rng.int(below: 5) {
          case 0: bytes[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
          case 1:
            let word: [UInt8] = [
              [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [0x0C, 0, 0, 0], [0, 0, 0, 0x0C], [0xFF, 0xFF, 0xFF, 0x7F],
            ][rng.int(below: 5)]
            for k in 0..<4 where at + k < bytes.count { bytes[at + k] = word[k] }
          case 2: bytes.removeSubrange(at...)
          case 3:
            bytes.insert(contentsOf: (0..<rng.int(below: 9)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
          default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
          }
        }
      }
      guard let outcome = Self.run(Data(bytes)) else {
        Issue.record("input \(i) threw something other than LocatedError")
        continue
      }
      counts[outcome == .packets ? 0 : 1] += 1
    }
    // Both outcomes must really occur, or the mutations test nothing.
    #expect(counts[0] > 500 && counts[1] > 500, "\(counts)")
  }

  /// Extreme timestamp resolutions and unit counts: overflow is an error, never a trap.
  @Test func extremeTimestampResolutions() throws {
    var rng = SplitMix64(seed: 42)
    let frame = try FrameEncoder.ethernetFrame(for: F.tcp(0))
    var errors = 0
    for i in 0..<600 {
      var w = PcapngWriter(bigEndian: i % 2 == 0)
      w.addInterface(
        linkType: 1, tsresol: UInt8(i % 256), tsoffsetSeconds: i % 3 == 0 ? Int64(bitPattern: rng.next()) : nil)
      let units = i % 5 == 0 ? UInt64.max : rng.next() >> rng.int(below: 64)
      w.writeEnhancedPacket(interface: 0, timestampUnits: units, frame: frame)
      switch Self.run(w.data) {
      case .packets?: break
      case .locatedError?: errors += 1
      case nil: Issue.record("unexpected error kind at \(i)")
      }
    }
    #expect(errors > 0 && errors < 600)
  }

  @Test func powerOfTwoAndDecimalResolutionsAreExact() throws {
    let frame = try FrameEncoder.ethernetFrame(for: F.tcp(0))
    // (if_tsresol byte, units, expected ns)
    let cases: [(UInt8, UInt64, Int64)] = [
      (6, 1_500_000_123_456, 1_500_000_123_456_000),
      (9, 1_500_000_123_456_789, 1_500_000_123_456_789),
      (0, 17, 17_000_000_000),
      (12, 1_500_000_123_456_789_123 / 10, 150_000_012_345_678),
      (0x80 | 10, 3 << 10 | 512, 3_500_000_000),
      (0x80 | 30, 1 << 30 | 1, 1_000_000_000),  // 2^-30 s is 0.93 ns: floor
      (0x80 | 0, 4, 4_000_000_000),
    ]
    for (resol, units, expected) in cases {
      var w = PcapngWriter()
      w.addInterface(linkType: 1, tsresol: resol)
      w.writeEnhancedPacket(interface: 0, timestampUnits: units, frame: frame)
      #expect(try F.readAll(w.data).packets.first?.timestampNs == expected, "tsresol \(resol)")
    }
  }
}
