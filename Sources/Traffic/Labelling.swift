/// How packets of a use case get their label (`dune-reference.md` §2.4).
///
/// JSON form: an object with a `scheme` key (`macList`, `flowIDFile`, `directory`) and the
/// scheme's own fields. Paths are relative to the data folder.
public enum Labelling: Sendable, Equatable {
  /// A `List of Devices,MAC ADDRESS` file. Without a gateway: label = the device whose MAC is the
  /// source, else the device whose MAC is the destination. With `gatewayMAC`: UNSW's exact two-pass
  /// rule (source MAC, then destination MAC only for packets sent by the gateway). A MAC listed
  /// twice labels as its last row, as the reference's per-device passes do.
  case macList(file: String, gatewayMAC: String?)
  /// ToN style: one `Flow ID,Label` file per split; only listed flows are kept; the last row of a
  /// Flow ID wins. `labelColumn` nil accepts `Label` or `label`.
  case flowIDFile(files: [String: String], labelColumn: String?)
  /// Label = the first folder below the captures folder. When `deviceMACFile` names a file present
  /// in that folder (e.g. `_iotdevice-mac.txt`), only packets from or to that MAC are kept.
  case directory(deviceMACFile: String?)
}

extension Labelling: Codable {
  private enum Keys: String, CodingKey { case scheme, file, gatewayMAC, files, labelColumn, deviceMACFile }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    let scheme = try c.decode(String.self, forKey: .scheme)
    switch scheme {
    case "macList":
      self = .macList(
        file: try c.decode(String.self, forKey: .file),
        gatewayMAC: try c.decodeIfPresent(String.self, forKey: .gatewayMAC))
    case "flowIDFile":
      self = .flowIDFile(
        files: try c.decode([String: String].self, forKey: .files),
        labelColumn: try c.decodeIfPresent(String.self, forKey: .labelColumn))
    case "directory":
      self = .directory(deviceMACFile: try c.decodeIfPresent(String.self, forKey: .deviceMACFile))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .scheme, in: c,
        debugDescription: "unknown labelling scheme '\(scheme)' (known: macList, flowIDFile, directory)")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    switch self {
    case .macList(let file, let gateway):
      try c.encode("macList", forKey: .scheme)
      try c.encode(file, forKey: .file)
      try c.encodeIfPresent(gateway, forKey: .gatewayMAC)
    case .flowIDFile(let files, let column):
      try c.encode("flowIDFile", forKey: .scheme)
      try c.encode(files, forKey: .files)
      try c.encodeIfPresent(column, forKey: .labelColumn)
    case .directory(let macFile):
      try c.encode("directory", forKey: .scheme)
      try c.encodeIfPresent(macFile, forKey: .deviceMACFile)
    }
  }
}
