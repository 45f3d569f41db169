/// Behaviour models of the synthetic device classes: each a TCP/IP stack plus a mix of services.
///
/// Some classes are easy on purpose (a unique stack or service), others come in families sharing
/// firmware (same stack and services, slightly different sizes or weights) so per-class F1 spans a
/// wide range: the sensor family, the two plugs, the two bulbs, the coffee maker and the kettle.
public struct SyntheticProfile: Sendable {
  /// One kind of conversation a device starts: protocol, server, sizes, rounds and timing.
  public struct Service: Sendable {
    public var proto: UInt8
    public var port: UInt16
    /// Server address (`0` = the gateway, `~0` = multicast SSDP/mDNS: no answers).
    public var server: UInt32
    public var weight: Double
    /// Payload bytes of a request (mean, standard deviation) and of an answer.
    public var up: (Double, Double)
    public var down: (Double, Double)
    /// Mean number of request/answer rounds of a session (≥ 1, geometric-like tail).
    public var rounds: Double
    /// Mean gap between rounds (ms) and the server round-trip time (ms).
    public var gapMs: Double
    public var rttMs: Double
    /// TCP only: close with RST instead of FIN.
    public var resets: Bool = false
  }

  public var name: String
  public var ttl: UInt8
  public var window: UInt16
  /// TCP data offset (32-bit words) of the SYN and of later segments (options: MSS, SACK, timestamps).
  public var synWords: UInt8
  public var dataWords: UInt8
  /// IPv4 header length in bytes (24 = router-alert style options).
  public var ipHeaderLength: UInt8 = 20
  /// Sets ECE+CWR in the SYN (ECN negotiation).
  public var ecnSyn: Bool = false
  /// Firmware family: devices of one family query the same cloud names, so their DNS sizes match.
  public var firmware: String? = nil
  /// Sessions per capture file at scale 1.
  public var sessions: ClosedRange<Int>
  public var services: [Service]

  /// Payload sizes (query, answer) of this device's DNS traffic: fixed per firmware family,
  /// because query length follows the domain names the firmware looks up.
  var dnsSizes: (up: (Double, Double), down: (Double, Double)) {
    var h: UInt32 = 2_166_136_261  // FNV-1a of the family name: stable across runs and platforms
    for b in (firmware ?? name).utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
    let q = 20 + Double(h % 90)
    return ((q, 1.5), (q + 16 + Double((h >> 8) % 220), 4))
  }
}

extension SyntheticProfile.Service {
  static func tcp(
    _ port: UInt16, server: UInt32, w: Double = 1, up: (Double, Double), down: (Double, Double),
    rounds: Double, gapMs: Double = 400, rttMs: Double = 40, resets: Bool = false
  ) -> Self {
    .init(
      proto: 6, port: port, server: server, weight: w, up: up, down: down, rounds: rounds, gapMs: gapMs,
      rttMs: rttMs, resets: resets)
  }
  static func udp(
    _ port: UInt16, server: UInt32, w: Double = 1, up: (Double, Double), down: (Double, Double),
    rounds: Double = 1, gapMs: Double = 200, rttMs: Double = 20
  ) -> Self {
    .init(
      proto: 17, port: port, server: server, weight: w, up: up, down: down, rounds: rounds, gapMs: gapMs,
      rttMs: rttMs)
  }
  /// DNS to the gateway: every device has it (a shared, hard-to-separate packet population).
  static func dns(_ w: Double = 1.2) -> Self { udp(53, server: 0, w: w, up: (32, 6), down: (96, 30), rttMs: 6) }
  static func ntp(_ w: Double = 0.4) -> Self {
    udp(123, server: ip(162, 159, 200, 1), w: w, up: (48, 0), down: (48, 0), rttMs: 25)
  }
  static func ssdp(_ w: Double = 0.5) -> Self {
    udp(1900, server: ~0, w: w, up: (300, 20), down: (0, 0), rounds: 3, gapMs: 100)
  }
  static func mdns(_ w: Double = 0.5) -> Self {
    udp(5353, server: ~0, w: w, up: (120, 40), down: (0, 0), rounds: 2, gapMs: 1000)
  }
}

/// IPv4 address from its four bytes.
func ip(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 { a << 24 | b << 16 | c << 8 | d }

extension SyntheticDataset {
  /// All device profiles; the first `classes` of them are used.
  public static let profiles: [SyntheticProfile] = {
    typealias S = SyntheticProfile.Service
    // A sensor family on one firmware: only the payload sizes and the mix differ a little.
    func sensor(_ name: String, up: Double, w: Double) -> SyntheticProfile {
      SyntheticProfile(
        name: name, ttl: 64, window: 5840, synWords: 6, dataWords: 5, firmware: "SensorKit", sessions: 14...22,
        services: [
          .dns(), .ntp(),
          .tcp(8883, server: ip(52, 28, 14, 7), w: 3, up: (up, 12), down: (34, 6), rounds: 4, gapMs: 900),
          .udp(10000, server: ip(52, 28, 14, 9), w: w, up: (up * 0.6, 6), down: (24, 2), rounds: 2),
        ])
    }
    func plug(_ name: String, tcpUp: Double, bw: Double) -> SyntheticProfile {
      SyntheticProfile(
        name: name, ttl: 64, window: 2920, synWords: 6, dataWords: 5, firmware: "PlugOS", sessions: 16...24,
        services: [
          .dns(), .ntp(0.8),
          .tcp(9999, server: ip(54, 74, 10, 3), w: 3, up: (tcpUp, 20), down: (64, 10), rounds: 5, gapMs: 600),
          .udp(9999, server: ~0, w: bw, up: (140, 10), down: (0, 0), rounds: 3, gapMs: 300),
        ])
    }
    func bulb(_ name: String, size: Double) -> SyntheticProfile {
      SyntheticProfile(
        name: name, ttl: 64, window: 4380, synWords: 6, dataWords: 5, firmware: "BulbOS", sessions: 18...26,
        services: [
          .dns(1),
          .udp(56700, server: ip(104, 198, 46, 2), w: 4, up: (size, 4), down: (size + 8, 4), rounds: 6, gapMs: 150),
          .tcp(56700, server: ip(104, 198, 46, 2), w: 1, up: (90, 20), down: (120, 30), rounds: 2),
        ])
    }
    func appliance(_ name: String, port: UInt16, up: Double) -> SyntheticProfile {
      SyntheticProfile(
        name: name, ttl: 255, window: 1460, synWords: 6, dataWords: 5, firmware: "KitchenOS", sessions: 8...14,
        services: [
          .dns(1.5),
          .tcp(port, server: 0, w: 2, up: (up, 3), down: (up + 2, 3), rounds: 1.3, gapMs: 50, rttMs: 3, resets: true),
        ])
    }
    return [
      SyntheticProfile(
        name: "CloudCam-HD", ttl: 64, window: 29200, synWords: 10, dataWords: 8, sessions: 10...16,
        services: [
          .dns(), .ntp(),
          .tcp(443, server: ip(34, 200, 12, 8), w: 2, up: (1200, 250), down: (90, 20), rounds: 30, gapMs: 40),
          .udp(
            10001, server: ip(34, 200, 12, 9), w: 2, up: (1100, 200), down: (60, 10), rounds: 25, gapMs: 30, rttMs: 30),
        ]),
      SyntheticProfile(
        name: "CloudCam-Lite", ttl: 64, window: 29200, synWords: 10, dataWords: 8, sessions: 10...16,
        services: [
          .dns(), .ntp(),
          .tcp(443, server: ip(34, 200, 12, 8), w: 2, up: (800, 300), down: (90, 20), rounds: 18, gapMs: 60),
          .udp(10001, server: ip(34, 200, 12, 9), w: 1, up: (700, 250), down: (60, 10), rounds: 15, gapMs: 40),
        ]),
      sensor("DoorSensor", up: 60, w: 1.0),
      sensor("WaterSensor", up: 64, w: 1.2),
      sensor("Siren", up: 72, w: 0.8),
      plug("SmartPlug-A", tcpUp: 110, bw: 1.0),
      plug("SmartPlug-B", tcpUp: 118, bw: 1.3),
      SyntheticProfile(
        name: "Thermostat", ttl: 255, window: 2048, synWords: 6, dataWords: 5, sessions: 10...16,
        services: [
          .dns(), .ntp(1.5),
          .tcp(443, server: ip(35, 160, 1, 20), w: 3, up: (230, 40), down: (180, 40), rounds: 3, gapMs: 2000),
        ]),
      SyntheticProfile(
        name: "ZigbeeHub", ttl: 64, window: 14600, synWords: 10, dataWords: 8, sessions: 16...24,
        services: [
          .dns(), .mdns(1.5), .ssdp(1),
          .tcp(443, server: ip(52, 1, 1, 4), w: 3, up: (300, 120), down: (260, 100), rounds: 6, gapMs: 300),
        ]),
      SyntheticProfile(
        name: "Printer", ttl: 64, window: 8760, synWords: 8, dataWords: 5, sessions: 10...16,
        services: [
          .dns(1), .mdns(2), .ssdp(1.5),
          .tcp(
            631, server: ip(192, 168, 1, 20), w: 2, up: (400, 200), down: (600, 300), rounds: 4, gapMs: 100, rttMs: 2),
        ]),
      SyntheticProfile(
        name: "SmartSpeaker", ttl: 64, window: 65535, synWords: 10, dataWords: 8, ecnSyn: true, sessions: 12...18,
        services: [
          .dns(), .ntp(),
          .tcp(443, server: ip(54, 239, 28, 85), w: 3, up: (120, 40), down: (1400, 50), rounds: 20, gapMs: 20),
          .udp(4070, server: ip(54, 239, 28, 90), w: 1, up: (160, 30), down: (200, 30), rounds: 4),
        ]),
      SyntheticProfile(
        name: "WeatherStation", ttl: 128, window: 8192, synWords: 6, dataWords: 5, sessions: 8...12,
        services: [
          .dns(),
          .tcp(80, server: ip(37, 187, 22, 5), w: 3, up: (310, 15), down: (220, 15), rounds: 2, gapMs: 1500),
        ]),
      SyntheticProfile(
        name: "SmartScale", ttl: 255, window: 4096, synWords: 6, dataWords: 5, sessions: 6...10,
        services: [
          .dns(), .ntp(),
          .tcp(443, server: ip(89, 30, 121, 150), w: 3, up: (500, 150), down: (140, 30), rounds: 3, gapMs: 500),
        ]),
      bulb("LightBulb-A", size: 36),
      bulb("LightBulb-B", size: 40),
      SyntheticProfile(
        name: "BabyMonitor", ttl: 64, window: 14600, synWords: 10, dataWords: 8, sessions: 10...14,
        services: [
          .dns(), .ntp(),
          .udp(5004, server: ip(89, 30, 121, 160), w: 2, up: (960, 120), down: (0, 0), rounds: 30, gapMs: 20),
          .tcp(443, server: ip(89, 30, 121, 150), w: 1, up: (200, 80), down: (300, 100), rounds: 4),
        ]),
      appliance("CoffeeMaker", port: 2081, up: 12),
      appliance("Kettle", port: 2000, up: 14),
      SyntheticProfile(
        name: "Tablet", ttl: 64, window: 65535, synWords: 10, dataWords: 8, sessions: 18...26,
        services: [
          .dns(3), .ntp(0.5), .mdns(0.5),
          .tcp(443, server: ip(142, 250, 0, 1), w: 3, up: (350, 250), down: (1000, 450), rounds: 8, gapMs: 100),
          .tcp(5228, server: ip(142, 250, 0, 188), w: 1, up: (80, 30), down: (80, 30), rounds: 3, gapMs: 3000),
        ]),
      SyntheticProfile(
        name: "Laptop", ttl: 128, window: 64240, synWords: 8, dataWords: 5, sessions: 18...26,
        services: [
          .dns(3), .ssdp(0.8), .mdns(0.4),
          .tcp(443, server: ip(142, 250, 0, 1), w: 3, up: (380, 250), down: (1000, 450), rounds: 8, gapMs: 100),
          .tcp(80, server: ip(93, 184, 216, 34), w: 1, up: (420, 80), down: (1200, 300), rounds: 3),
        ]),
      SyntheticProfile(
        name: "SmokeAlarm", ttl: 64, window: 5840, synWords: 6, dataWords: 5, sessions: 6...10,
        services: [
          .dns(), .ntp(),
          .tcp(8883, server: ip(52, 28, 14, 7), w: 3, up: (66, 14), down: (34, 6), rounds: 3, gapMs: 1200),
        ]),
      SyntheticProfile(
        name: "PhotoFrame", ttl: 64, window: 5840, synWords: 10, dataWords: 8, sessions: 8...12,
        services: [
          .dns(),
          .tcp(80, server: ip(198, 51, 100, 7), w: 3, up: (250, 30), down: (1400, 60), rounds: 12, gapMs: 30),
        ]),
      SyntheticProfile(
        name: "Doorbell", ttl: 64, window: 14600, synWords: 10, dataWords: 8, ipHeaderLength: 24, sessions: 10...14,
        services: [
          .dns(), .udp(3478, server: ip(74, 125, 250, 129), w: 2, up: (100, 10), down: (112, 10), rounds: 4),
          .tcp(443, server: ip(52, 2, 2, 2), w: 2, up: (700, 300), down: (150, 50), rounds: 10, gapMs: 80),
        ]),
      SyntheticProfile(
        name: "RobotVacuum", ttl: 64, window: 29200, synWords: 10, dataWords: 8, sessions: 10...14,
        services: [
          .dns(), .ntp(),
          .tcp(8883, server: ip(47, 88, 1, 1), w: 3, up: (180, 60), down: (90, 30), rounds: 8, gapMs: 500),
        ]),
      SyntheticProfile(
        name: "SmartTV", ttl: 64, window: 65535, synWords: 10, dataWords: 8, sessions: 14...20,
        services: [
          .dns(2), .ssdp(1.5),
          .tcp(443, server: ip(23, 55, 1, 1), w: 3, up: (150, 60), down: (1400, 40), rounds: 25, gapMs: 15),
        ]),
    ]
  }()
}
