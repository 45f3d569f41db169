import Foundation

/// The canonical feature columns of DUNE's hybrid samples, their sets, kinds and data-plane widths.
///
/// Names, order and widths follow `dune-reference.md` §2.6, §2.7, §2.9 and §9.3 verbatim.
public enum FeatureCatalog {
  /// The 15 packet-level features, in canonical column order.
  public static let packetFeatures: [String] = [
    "ip.len", "ip.ttl", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.push", "tcp.flags.fin",
    "tcp.flags.rst", "tcp.flags.ece", "ip.proto", "srcport", "dstport", "ip.hdr_len",
    "tcp.window_size_value", "tcp.hdr_len", "udp.length",
  ]

  /// The 17 flow-level columns, in canonical column order (`Packet Count` is generated, never a feature).
  public static let flowColumns: [String] = [
    "Min Packet Length", "Max Packet Length", "Packet Length Mean", "Packet Length Total",
    "UDP Len Min", "UDP Len Max", "Packet Count", "Flow IAT Min", "Flow IAT Max", "Flow IAT Mean",
    "Flow Duration", "SYN Flag Count", "ACK Flag Count", "PSH Flag Count", "FIN Flag Count",
    "RST Flag Count", "ECE Flag Count",
  ]

  /// All 32 numeric columns of a sample table, in canonical order (packet features, then flow columns).
  public static let numericColumns: [String] = packetFeatures + flowColumns

  /// The full canonical CSV header of a hybrid sample file.
  public static let sampleHeader: [String] = ["Flow ID"] + numericColumns + ["Label", "File"]

  /// `feats_flow`: the 16 flow-level features (no `Packet Count`).
  public static let flowFeatures: [String] = flowColumns.filter { $0 != "Packet Count" }

  /// Named feature sets of §9.3, keyed by the short names use cases and the CLI accept.
  public static let sets: [String: [String]] = {
    let all = packetFeatures + flowFeatures
    let easy = all.filter { $0 != "Packet Length Mean" && $0 != "Flow IAT Mean" }
    let timeLike: Set<String> = [
      "ip.hdr_len", "UDP Len Min", "UDP Len Max", "Flow IAT Min", "Flow IAT Max", "Flow Duration",
    ]
    let noTime = easy.filter { !timeLike.contains($0) }
    return ["pkt": packetFeatures, "flow": flowFeatures, "all": all, "easy": easy, "no_time": noTime]
  }()

  /// True for the flow-level columns (value −1 in packet rows).
  public static func isFlowLevel(_ name: String) -> Bool { flowColumnSet.contains(name) }
  private static let flowColumnSet = Set(flowColumns)

  /// Data-plane key width in bits of a feature (§2.6/§2.7 of the reference spec).
  public static func bitWidth(_ name: String) -> Int? { widths[name] }
  private static let widths: [String: Int] = [
    "ip.len": 16, "ip.hdr_len": 16, "ip.ttl": 8, "tcp.flags.syn": 1, "tcp.flags.ack": 1,
    "tcp.flags.push": 1, "tcp.flags.fin": 1, "tcp.flags.rst": 1, "tcp.flags.ece": 1, "ip.proto": 8,
    "srcport": 16, "dstport": 16, "tcp.window_size_value": 16, "tcp.hdr_len": 4, "udp.length": 16,
    "Min Packet Length": 16, "Max Packet Length": 16, "Packet Length Mean": 16,
    "Packet Length Total": 16, "UDP Len Min": 16, "UDP Len Max": 16, "Packet Count": 16,
    "Flow IAT Min": 32, "Flow IAT Max": 32, "Flow IAT Mean": 32, "Flow Duration": 32,
    "SYN Flag Count": 8, "ACK Flag Count": 8, "PSH Flag Count": 8, "FIN Flag Count": 8,
    "RST Flag Count": 8, "ECE Flag Count": 8,
  ]

  /// Resolves a feature-set argument: a set name (`easy`) or a comma-separated list of column names.
  public static func resolve(_ spec: String) throws -> [String] {
    if let set = sets[spec] { return set }
    let names = spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    for n in names where !numericColumnSet.contains(n) {
      throw FeatureSetError(message: "unknown feature '\(n)' (sets: \(sets.keys.sorted().joined(separator: ", ")))")
    }
    return names
  }
  private static let numericColumnSet = Set(numericColumns)
}

/// A feature-set specification that names an unknown feature.
public struct FeatureSetError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var description: String { "error: \(message)" }
}
