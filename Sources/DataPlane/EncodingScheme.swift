import DUNESupport
import Foundation
import Traffic

/// How every feature of a model is encoded on the switch: the encoding mode plus time quantisation.
///
/// Widths and kinds come from `FeatureCatalog` (`dune-reference.md` §2.6/§2.7); a time feature listed
/// in `timeQuantisation` is keyed on a high bit slice of its 32-bit nanosecond value.
public struct EncodingScheme: Codable, Sendable, Equatable {
  public var mode: EncodingMode
  public var timeQuantisation: TimeQuantisation

  public init(mode: EncodingMode = .canonical, timeQuantisation: TimeQuantisation = .none) {
    self.mode = mode
    self.timeQuantisation = timeQuantisation
  }

  /// The default scheme: canonical encoding, no quantisation.
  public static let canonical = EncodingScheme()

  /// The encoding of one named feature, or an error when the catalog does not know its width.
  public func encoding(for name: String) throws -> FeatureEncoding {
    guard let w = FeatureCatalog.bitWidth(name) else {
      throw UsageError("feature '\(name)' has no data-plane width in the feature catalog")
    }
    let kind: FeatureKind = FeatureCatalog.isFlowLevel(name) ? .flowLevel : .packetLevel
    let shift = timeQuantisation.shift(for: name)
    guard shift < w else { throw UsageError("quantisation shift \(shift) of '\(name)' must be below its width \(w)") }
    return FeatureEncoding(name: name, kind: kind, sourceWidth: w, quantisationShift: shift, mode: mode)
  }

  /// Encodings of a model's features in model order.
  public func encodings(for names: [String]) throws -> [FeatureEncoding] {
    try names.map { try encoding(for: $0) }
  }
}
