import Foundation
import Traffic

/// Whether a feature is known on every packet or only once the flow has reached its inference point.
public enum FeatureKind: String, Codable, Sendable, Equatable {
  /// A header field of the current packet (never −1 in training data).
  case packetLevel
  /// An aggregate over packets 1..N of the flow (−1 in training packet rows: "not available yet").
  case flowLevel
}

/// Which value/threshold convention the compiler and the emulator share (`data-plane.md` §2.2).
public enum EncodingMode: String, Codable, Sendable, Equatable, CaseIterable {
  /// The canonical convention: flow-level values shifted by +1 so 0 means "unavailable",
  /// thresholds `k = ⌊θ⌋ + δ_f`. Reproduces `x ≤ θ` exactly for every non-saturating integer input.
  case canonical
  /// The deployed reference behaviour (D5/B12): raw values, 0 for "unavailable", thresholds
  /// truncated toward zero. Use only to reproduce reference numbers; it misroutes genuine zeros.
  case referenceSentinel
}

/// The data-plane encoding of one model feature: key width, kind, quantisation and the encoding rule.
///
/// This is the single definition of e_f and of the compiled threshold k used by the table compiler,
/// the table-lookup evaluator, the chain emulator and (later) the P4 emitters (`data-plane.md` §2.2).
///
/// * packet-level: e(x) = min(x, MAX_f)
/// * flow-level, unavailable (x = −1): e(x) = 0
/// * flow-level, available: e(x) = min(x + 1, MAX_f)
/// * threshold: k = ⌊θ⌋ + δ_f with δ_f = 1 for flow-level features, 0 for packet-level ones
/// * split bit: 0 (left) iff e(x) ≤ k; k < 0 is constant right, k ≥ MAX_f constant left.
public struct FeatureEncoding: Codable, Sendable, Equatable {
  /// Feature (column) name, as in the model's feature list.
  public var name: String
  public var kind: FeatureKind
  /// Width in bits of the switch key (after quantisation). MAX_f = 2^width − 1.
  public var width: Int
  /// Width in bits of the value the switch computes before quantisation (e.g. 32 for ns times).
  public var sourceWidth: Int
  /// Quantisation: the key is bits `[sourceWidth − 1 : quantisationShift]` of the source value
  /// (`data-plane.md` §3.5). 0 means the key is the value itself.
  public var quantisationShift: Int
  public var mode: EncodingMode

  /// Creates an encoding; `width` is derived as `sourceWidth − quantisationShift`.
  public init(name: String, kind: FeatureKind, sourceWidth: Int, quantisationShift: Int = 0, mode: EncodingMode) {
    precondition(sourceWidth > 0 && sourceWidth <= 62 && quantisationShift >= 0 && quantisationShift < sourceWidth)
    self.name = name
    self.kind = kind
    self.sourceWidth = sourceWidth
    self.quantisationShift = quantisationShift
    self.width = sourceWidth - quantisationShift
    self.mode = mode
  }

  /// MAX_f = 2^width − 1, the largest key value.
  @inlinable public var maxValue: Int64 { (Int64(1) << Int64(width)) - 1 }

  /// δ_f: 1 for flow-level features in canonical mode (the +1 shift of available values), else 0.
  @inlinable public var delta: Int64 { mode == .canonical && kind == .flowLevel ? 1 : 0 }

  /// e_f(x): the key value the switch matches for training value `x` (already quantised, integer).
  ///
  /// Non-integer inputs are floored (switch values are integers); −1 (or any negative value) on a
  /// flow-level feature means "unavailable" and encodes as 0 in both modes.
  @inlinable public func encode(_ x: Double) -> Int64 {
    if x < 0 { return 0 }
    let v = x >= 9.0e18 ? Int64.max - 1 : Int64(x.rounded(.down))
    let shifted = v + delta
    return shifted > maxValue ? maxValue : shifted
  }

  /// The encoding of an integer switch-side value that is *available* (flow features at N,
  /// packet fields): `min(v + δ, MAX_f)`. `v` is already quantised.
  @inlinable public func encodeAvailable(_ v: Int64) -> Int64 {
    let shifted = v + delta
    return shifted > maxValue ? maxValue : shifted
  }

  /// Compiled integer threshold of a split at real threshold θ: canonical `⌊θ⌋ + δ_f`,
  /// reference-sentinel `trunc(θ)` (toward zero, the reference's behaviour).
  @inlinable public func compiledThreshold(_ theta: Double) -> Int64 {
    switch mode {
    case .canonical: return Int64(clampingDouble: theta.rounded(.down)) + delta
    case .referenceSentinel: return Int64(clampingDouble: theta.rounded(.towardZero))
    }
  }

  /// Whether an encoded key value would be saturated (the exactness guarantee stops there).
  public func saturates(_ x: Double) -> Bool {
    x >= 0 && Int64(clampingDouble: x.rounded(.down)) + delta > maxValue
  }

  /// Quantises a switch-side source value to the key slice (`value >> shift`), saturating the
  /// source at 2^sourceWidth − 1 first. The emulator and the sample-table quantiser use this.
  @inlinable public func quantise(_ source: Int64) -> Int64 {
    let cap = (Int64(1) << Int64(sourceWidth)) - 1
    let v = source < 0 ? 0 : (source > cap ? cap : source)
    return v >> Int64(quantisationShift)
  }
}

extension Int64 {
  /// Converts a Double to Int64, clamping out-of-range values instead of trapping.
  @usableFromInline init(clampingDouble x: Double) {
    if x.isNaN {
      self = 0
    } else if x >= 9.2e18 {
      self = Int64.max / 2
    } else if x <= -9.2e18 {
      self = Int64.min / 2
    } else {
      self = Int64(x)
    }
  }
}

/// `ip.hdr_len` is trained in bytes but IPv4 carries IHL in 32-bit words (`data-plane.md` §2.2).
///
/// A switch that keys on the 4-bit IHL field instead of computing IHL·4 into metadata uses the
/// threshold k' = ⌊k/4⌋: 4·IHL ≤ k ⟺ IHL ≤ ⌊k/4⌋ for every integer k (floor division, also for
/// negative k). `tcp.hdr_len` is already in words and needs no conversion.
public func ihlThreshold(fromByteThreshold k: Int64) -> Int64 {
  k >= 0 ? k / 4 : -((-k + 3) / 4)
}
