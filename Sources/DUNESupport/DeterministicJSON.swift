import Foundation

/// Foundation's `JSONEncoder` set up once for byte-stable output: keys sorted, slashes unescaped,
/// pretty (two-space indentation) or compact. Every encoded artefact and printout goes through it.
public enum DeterministicJSON {
  /// The encoder: `pretty` adds line breaks and indentation.
  public static func encoder(pretty: Bool = true) -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting =
      pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return e
  }

  /// `value` encoded.
  public static func data<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
    try encoder(pretty: pretty).encode(value)
  }

  /// `value` as text; a pretty document ends with a newline, a compact one does not.
  public static func text<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
    String(decoding: try data(value, pretty: pretty), as: UTF8.self) + (pretty ? "\n" : "")
  }
}
