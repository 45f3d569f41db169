import DUNESupport
import Foundation

/// The default dataset: generated smart-home captures, one folder per device class, plus a MAC list.
///
/// Layout of a generated folder: `captures/<Class>/capture-<k>.pcap` (classic pcap, Ethernet,
/// µs timestamps), `devices.csv` (`List of Devices,MAC ADDRESS`) and `COMPLETE` (written last, so
/// an interrupted generation is redone). Every capture is one device's traffic with its cloud
/// servers through the gateway; it depends only on (seed, class, capture index), so files are
/// generated independently and the output is byte-identical for a seed at any thread count.
public enum SyntheticDataset {
  /// Captures per class (a multiple of 4 keeps the by-file split at 3 train : 1 test).
  public static let capturesPerClass = 8
  /// Multiplier of the profiles' session ranges at scale 1 (20 classes ≈ 80k packets).
  static let sessionFactor = 2.2
  /// The MAC label file, relative to the dataset folder.
  public static let deviceListFile = "devices.csv"
  /// Marker written after every other file.
  public static let completeMarker = "COMPLETE"
  /// The gateway's MAC (source of downlink traffic, not a listed device).
  public static let gatewayMAC: UInt64 = 0x02_00_5E_00_00_01
  static let gatewayIP = ip(192, 168, 1, 1)

  /// The first `count` class names.
  public static func classNames(count: Int) -> [String] {
    profiles.prefix(max(0, min(count, profiles.count))).map(\.name)
  }

  /// The MAC of class `i` (locally administered, unique per class).
  public static func deviceMAC(classIndex i: Int) -> UInt64 { 0x02_42_D0_00_00_00 | UInt64(i + 1) << 8 | 0x10 }

  /// The cache folder of a parameter set, relative to the current directory.
  public static func cacheFolder(_ p: SyntheticParameters) -> String {
    ".dune/datasets/synthetic-\(p.seed)-\(NumberFormat.shortest(p.scale))-\(p.classes)"
  }

  /// The device list CSV text.
  public static func deviceListText(classes: Int) -> String {
    var w = CSVWriter()
    w.row(["List of Devices", "MAC ADDRESS"])
    for (i, name) in classNames(count: classes).enumerated() {
      w.row([name, MACAddress.text(deviceMAC(classIndex: i))])
    }
    return w.text
  }

  /// Relative path of capture `k` of class `i`.
  public static func capturePath(classIndex i: Int, capture k: Int) -> String {
    "captures/\(profiles[i].name)/capture-\(k).pcap"
  }

  /// The packets of capture `k` of class `classIndex`, in capture (time) order.
  public static func packets(_ p: SyntheticParameters, classIndex: Int, capture k: Int) -> [Packet] {
    var rng = SplitMix64(seed: p.seed, stream: UInt64(classIndex), UInt64(k))
    let profile = profiles[classIndex]
    let device = DeviceEndpoint(
      mac: deviceMAC(classIndex: classIndex), ip: ip(192, 168, 1, 100 + UInt32(rng.int(in: 0...50))))
    let base = Int64(1_700_000_000 + classIndex * 86_400 + k * 3_600) * 1_000_000_000
    let lo = Double(profile.sessions.lowerBound) * p.scale * sessionFactor
    let hi = Double(profile.sessions.upperBound) * p.scale * sessionFactor
    let sessions = max(1, Int((lo + (hi - lo) * rng.unit()).rounded()))
    var timed: [(t: Int64, seq: Int, p: Packet)] = []
    var usedPorts = Set<UInt16>()
    for _ in 0..<sessions {
      let service = profile.services[rng.pick(weights: profile.services.map(\.weight))]
      // A setup run lasts about two minutes; sessions start uniformly inside it (µs clock).
      let start = base + Int64(rng.unit() * 120e6) * 1000
      var port: UInt16
      repeat { port = UInt16(rng.int(in: 32768...60999)) } while !usedPorts.insert(port).inserted
      if service.port == 5353 { port = 5353 }  // mDNS answers from its own port
      var s = SessionWriter(profile: profile, service: service, device: device, clientPort: port, time: start)
      s.run(&rng)
      for q in s.packets { timed.append((q.timestampNs, timed.count, q)) }
    }
    timed.sort { ($0.t, $0.seq) < ($1.t, $1.seq) }
    return timed.map(\.p)
  }

  /// Total packets of a parameter set (generates in memory; for reports and tests).
  public static func packetCount(_ p: SyntheticParameters) -> Int {
    var n = 0
    for c in 0..<p.classes { for k in 0..<capturesPerClass { n += packets(p, classIndex: c, capture: k).count } }
    return n
  }
}

struct DeviceEndpoint {
  var mac: UInt64
  var ip: UInt32
}

/// Writes the packets of one session (one client port): both directions, with realistic TCP flags.
struct SessionWriter {
  let profile: SyntheticProfile
  let service: SyntheticProfile.Service
  let device: DeviceEndpoint
  let clientPort: UInt16
  var time: Int64
  var packets: [Packet] = []

  init(
    profile: SyntheticProfile, service: SyntheticProfile.Service, device: DeviceEndpoint, clientPort: UInt16,
    time: Int64
  ) {
    self.profile = profile
    self.service = service
    self.device = device
    self.clientPort = clientPort
    self.time = time
  }

  var multicast: Bool { service.server == ~0 }
  var serverIP: UInt32 {
    if multicast { return service.port == 5353 ? ip(224, 0, 0, 251) : ip(239, 255, 255, 250) }
    return service.server == 0 ? SyntheticDataset.gatewayIP : service.server
  }
  var serverMAC: UInt64 {
    if multicast { return 0x01_00_5E_00_00_00 | UInt64(serverIP & 0x7F_FFFF) }
    return SyntheticDataset.gatewayMAC
  }
  /// A stable per-server mix: each cloud has its own path length (TTL) and stack (window).
  var serverHash: UInt32 { (serverIP &* 2_654_435_761) >> 7 }
  /// Servers far away have a lower remaining TTL; the gateway answers with 64.
  var serverTTL: UInt8 { service.server == 0 ? 64 : UInt8(36 + serverHash % 24) }
  var serverWindow: UInt16 { UInt16(8192 + (serverHash >> 5) % 24 * 2048) }

  /// Rounds the session clock to the µs (classic pcap resolution) so files round-trip exactly.
  mutating func advance(ms: Double) {
    time += Int64((max(ms, 0.001) * 1000).rounded()) * 1000
  }

  mutating func emit(up: Bool, flags: UInt8 = 0, payload: Int, words: UInt8 = 5) {
    let isTCP = service.proto == 6
    let l4 = isTCP ? Int(words) * 4 : 8
    let ipLen = Int(profile.ipHeaderLength) + l4 + payload
    let serverPort = service.port == 5353 ? 5353 : service.port
    packets.append(
      Packet(
        timestampNs: time, srcMAC: up ? device.mac : SyntheticDataset.gatewayMAC,
        dstMAC: up ? serverMAC : device.mac, srcIP: up ? device.ip : serverIP, dstIP: up ? serverIP : device.ip,
        proto: service.proto, srcPort: up ? clientPort : serverPort, dstPort: up ? serverPort : clientPort,
        ipLength: UInt16(ipLen), ipHeaderLength: up ? profile.ipHeaderLength : 20,
        ttl: up ? profile.ttl : serverTTL, tcpFlags: isTCP ? flags : 0,
        tcpWindow: isTCP ? (up ? profile.window : serverWindow) : 0,
        tcpHeaderWords: isTCP ? words : 0, udpLength: isTCP ? 0 : UInt16(8 + payload)))
  }

  static func size(_ m: (Double, Double), _ rng: inout SplitMix64) -> Int {
    Int(min(1400, max(0, m.0 + m.1 * rng.normal())).rounded())
  }

  mutating func run(_ rng: inout SplitMix64) {
    let rounds = 1 + Int(rng.exponential(mean: max(0, service.rounds - 1)))
    let rttMs = service.rttMs
    let rtt = { (r: inout SplitMix64) -> Double in rttMs * (0.7 + 0.6 * r.unit()) }
    if service.proto == 17 {
      let (upSize, downSize) = service.port == 53 ? profile.dnsSizes : (service.up, service.down)
      for _ in 0..<rounds {
        emit(up: true, payload: Self.size(upSize, &rng))
        if !multicast && downSize.0 > 0 {
          advance(ms: rtt(&rng))
          emit(up: false, payload: Self.size(downSize, &rng))
        }
        advance(ms: rng.exponential(mean: service.gapMs))
      }
      return
    }
    let syn: UInt8 = profile.ecnSyn ? 0xC2 : 0x02
    emit(up: true, flags: syn, payload: 0, words: profile.synWords)
    advance(ms: rtt(&rng))
    emit(up: false, flags: 0x12, payload: 0, words: 8)
    advance(ms: 0.2)
    emit(up: true, flags: 0x10, payload: 0, words: profile.dataWords)
    for _ in 0..<rounds {
      advance(ms: rng.exponential(mean: service.gapMs * 0.2) + 0.1)
      emit(up: true, flags: 0x18, payload: max(1, Self.size(service.up, &rng)), words: profile.dataWords)
      advance(ms: rtt(&rng))
      // Large answers arrive as several full segments, then the rest with PSH.
      var answer = max(1, Self.size(service.down, &rng) * (service.down.0 >= 1400 ? 1 + rng.int(in: 0...3) : 1))
      while answer > 1400 {
        emit(up: false, flags: 0x10, payload: 1400, words: 8)
        advance(ms: 0.3)
        answer -= 1400
      }
      emit(up: false, flags: 0x18, payload: answer, words: 8)
      advance(ms: 0.5 + rng.unit())
      emit(up: true, flags: 0x10, payload: 0, words: profile.dataWords)
    }
    advance(ms: rng.exponential(mean: service.gapMs))
    if service.resets {
      emit(up: true, flags: 0x14, payload: 0, words: profile.dataWords)
    } else {
      emit(up: true, flags: 0x11, payload: 0, words: profile.dataWords)
      advance(ms: rtt(&rng))
      emit(up: false, flags: 0x11, payload: 0, words: 8)
      advance(ms: 0.3)
      emit(up: true, flags: 0x10, payload: 0, words: profile.dataWords)
    }
  }
}
