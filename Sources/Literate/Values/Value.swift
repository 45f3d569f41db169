import DUNESupport

/// A JSON-like value: step arguments after YAML decoding, step outputs, resolved parameters.
///
/// The project's one JSON model (`DUNESupport.JSONValue`): canonical and pretty text, literals, Codable.
public typealias Value = JSONValue

extension Value {
  /// A command-line value (`-P n=3`, `-P useCase=ton`, `-P grid=[1,2]`) read as YAML; text that is not valid YAML stays a string.
  public static func parsingCommandLine(_ text: String) -> Value {
    (try? YAMLValue.parse(text, file: "<command line>", lineOffset: 0, columnOffset: 0).value) ?? .string(text)
  }
}
