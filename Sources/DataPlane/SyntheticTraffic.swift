import DUNESupport
import Foundation
import Traffic

/// Deterministic synthetic captures for emulator tests and the benchmark.
///
/// Each class has its own destination port, protocol, TTL, packet-length band and pacing, so small
/// trees can separate them; flows have random sources and lengths 1…`maxFlowLength`.
public struct SyntheticTraffic: Sendable {
  public var classes: [String]
  public var flowsPerCapture: Int
  public var captures: Int
  public var maxFlowLength: Int
  public var seed: UInt64

  public init(classes: [String], flowsPerCapture: Int, captures: Int = 1, maxFlowLength: Int = 30, seed: UInt64) {
    self.classes = classes
    self.flowsPerCapture = flowsPerCapture
    self.captures = captures
    self.maxFlowLength = maxFlowLength
    self.seed = seed
  }

  /// Generates the captures (packets in timestamp order within each capture).
  public func generate() -> [ReplayCapture] {
    var rng = SplitMix64(seed: seed)
    var out: [ReplayCapture] = []
    for c in 0..<captures {
      var packets: [Packet] = []
      var labels: [FiveTuple: String] = [:]
      for _ in 0..<flowsPerCapture {
        let k = Int.random(in: 0..<classes.count, using: &rng)
        let tcp = k % 3 != 2
        var tuple: FiveTuple
        repeat {
          tuple = FiveTuple(
            srcIP: 0x0A00_0000 | UInt32.random(in: 1...0xFFFF, using: &rng), dstIP: 0xC0A8_0000 | UInt32(k + 1),
            srcPort: UInt16.random(in: 1024...65535, using: &rng), dstPort: UInt16(1000 + 7 * k),
            proto: tcp ? 6 : 17)
        } while labels[tuple] != nil
        labels[tuple] = classes[k]
        let length = 1 + Int(Double(maxFlowLength) * pow(Double.random(in: 0..<1, using: &rng), 2))
        var t = Int64.random(in: 0..<10_000_000_000, using: &rng)
        let pace = Int64(50_000 * (k + 1))
        for j in 0..<length {
          let len = UInt16(60 + 40 * k + Int.random(in: 0..<(80 + 20 * k), using: &rng))
          let flags: UInt8 = tcp ? (j == 0 ? 0x02 : (Int.random(in: 0..<4, using: &rng) == 0 ? 0x18 : 0x10)) : 0
          packets.append(
            Packet(
              timestampNs: t, srcIP: tuple.srcIP, dstIP: tuple.dstIP, proto: tuple.proto, srcPort: tuple.srcPort,
              dstPort: tuple.dstPort, ipLength: len, ttl: UInt8(64 - k + Int.random(in: 0...2, using: &rng)),
              tcpFlags: flags, tcpWindow: tcp ? UInt16(1000 * (k + 1)) : 0, tcpHeaderWords: tcp ? 5 : 0,
              udpLength: tcp ? 0 : len - 20))
          t += pace / 2 + Int64.random(in: 0..<pace, using: &rng)
        }
      }
      packets.sort { $0.timestampNs < $1.timestampNs }
      out.append(ReplayCapture(name: "capture\(c)", packets: packets, labels: labels))
    }
    return out
  }
}
