/// Which per-flow registers a sub-model needs (`data-plane.md` §3.2, §3.4).
public enum RegisterPlan {
  /// Flow-level features a switch cannot compute (they need a division).
  public static let nonComputable: Set<String> = ["Packet Length Mean", "Flow IAT Mean"]

  /// Flow-level features whose value is read from a dedicated register (`Packet Count` is the
  /// packet counter itself, so it needs none).
  public static let stateful: [String] = [
    "Min Packet Length", "Max Packet Length", "Packet Length Total", "UDP Len Min", "UDP Len Max",
    "Flow IAT Min", "Flow IAT Max", "Flow Duration", "SYN Flag Count", "ACK Flag Count", "PSH Flag Count",
    "FIN Flag Count", "RST Flag Count", "ECE Flag Count",
  ]

  /// Register width of a stateful feature: its un-quantised source width (32-bit ns for times).
  public static func width(of feature: String) -> Int {
    switch feature {
    case "Flow IAT Min", "Flow IAT Max", "Flow Duration": return 32
    case "SYN Flag Count", "ACK Flag Count", "PSH Flag Count", "FIN Flag Count", "RST Flag Count", "ECE Flag Count":
      return 8
    default: return 16
    }
  }

  /// The registers for a model using `features`: the fixed per-flow state plus one per stateful
  /// feature, plus the previous packet's timestamp when a time feature is used — nanosecond bits
  /// [47:16] in `last_ts` and [15:0] in `last_ts_lo`, so 32-bit arithmetic yields the exact IAT,
  /// saturated at 2^32 − 1 ns, for gaps up to 2^48 ns instead of wrapping after 4.29 s. The low
  /// bits sit in a 32-bit cell so the stateful ALU's difference carries the borrow in its high
  /// half (a Tofino gateway cannot compare two fields). Order:
  /// fixed state, then features in catalog order.
  ///
  /// The fixed state is `flow_state`, a pair of 32-bit halves per slot — the flow identity and its
  /// packet count, 0 meaning a free slot — claimed, checked and counted by one stateful-ALU operation,
  /// and `class_cache`. Keeping "used", identity and count in three registers (§3.2) would chain three
  /// dependent register accesses, three Tofino stages before any feature can be updated; a "notified"
  /// bit is not needed since the count passes the decision point once per occupancy.
  public static func registers(forFeatures features: [String]) -> [RegisterSpec] {
    let used = Set(features)
    var regs = [
      RegisterSpec(name: "flow_state", width: 64, feature: nil),
      RegisterSpec(name: "class_cache", width: 8, feature: nil),
    ]
    if used.contains("Flow IAT Min") || used.contains("Flow IAT Max") || used.contains("Flow Duration")
      || used.contains("Flow IAT Mean")
    {
      regs.append(RegisterSpec(name: "last_ts", width: 32, feature: nil))
      regs.append(RegisterSpec(name: "last_ts_lo", width: 32, feature: nil))
    }
    for f in stateful where used.contains(f) {
      regs.append(RegisterSpec(name: "reg_" + p4Name(f), width: width(of: f), feature: f))
    }
    return regs
  }

  /// A P4-safe identifier for a feature name (`Max Packet Length` → `max_packet_length`).
  public static func p4Name(_ feature: String) -> String {
    String(feature.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }
}
