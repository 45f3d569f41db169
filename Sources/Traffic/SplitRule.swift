/// How a use case assigns data to the `train` and `test` splits (§2.1: the split is given, never random).
///
/// JSON form: an object with a `rule` key (`fileNames`, `indexModulo`, `labelFiles`).
public enum SplitRule: Sendable, Equatable {
  /// Captures whose file name (or path relative to the captures folder) matches one of the glob
  /// patterns go to test, the rest to train (UNSW: `16-10-05.pcap`).
  case fileNames(test: [String])
  /// Captures sorted by path in byte order (per folder when `perFolder`); the one at 0-based
  /// position i goes to test when `i % modulus` is in `testRemainders`.
  case indexModulo(modulus: Int, testRemainders: [Int], perFolder: Bool)
  /// Every capture is read once per split; the split's flow-ID label file decides membership
  /// (requires `Labelling.flowIDFile`).
  case labelFiles
}

extension SplitRule: Codable {
  private enum Keys: String, CodingKey { case rule, test, modulus, testRemainders, perFolder }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    let rule = try c.decode(String.self, forKey: .rule)
    switch rule {
    case "fileNames":
      self = .fileNames(test: try c.decode([String].self, forKey: .test))
    case "indexModulo":
      self = .indexModulo(
        modulus: try c.decode(Int.self, forKey: .modulus),
        testRemainders: try c.decode([Int].self, forKey: .testRemainders),
        perFolder: try c.decodeIfPresent(Bool.self, forKey: .perFolder) ?? true)
    case "labelFiles":
      self = .labelFiles
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .rule, in: c,
        debugDescription: "unknown split rule '\(rule)' (known: fileNames, indexModulo, labelFiles)")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    switch self {
    case .fileNames(let test):
      try c.encode("fileNames", forKey: .rule)
      try c.encode(test, forKey: .test)
    case .indexModulo(let m, let r, let perFolder):
      try c.encode("indexModulo", forKey: .rule)
      try c.encode(m, forKey: .modulus)
      try c.encode(r, forKey: .testRemainders)
      try c.encode(perFolder, forKey: .perFolder)
    case .labelFiles:
      try c.encode("labelFiles", forKey: .rule)
    }
  }
}
