import DUNESupport

/// Everything a step's cache key is made of, kept so `--explain` can say which part changed.
public struct KeyComponents: Sendable, Codable, Equatable {
  /// The step kind.
  public var kind: String
  /// The arguments as written (references unresolved): prose edits never touch them.
  public var arguments: Value
  /// `chapter/step` of every referenced step → that step's output hash.
  public var upstream: [String: String]
  /// Declared input file (project-relative path) → SHA-256 of its bytes.
  public var inputs: [String: String]
  /// Values of the parameters the step references.
  public var parameters: [String: Value]
  /// Runner version and result-schema version.
  public var version: String

  public init(
    kind: String, arguments: Value, upstream: [String: String], inputs: [String: String], parameters: [String: Value],
    version: String
  ) {
    self.kind = kind
    self.arguments = arguments
    self.upstream = upstream
    self.inputs = inputs
    self.parameters = parameters
    self.version = version
  }

  /// Canonical bytes: one JSON object with sorted keys, LF-free, shortest round-trip numbers.
  public var canonical: String {
    Value.object([
      "kind": .string(kind),
      "arguments": arguments,
      "upstream": .object(upstream.mapValues { .string($0) }),
      "inputs": .object(inputs.mapValues { .string($0) }),
      "parameters": .object(parameters),
      "version": .string(version),
    ]).canonicalJSON
  }

  /// The cache key: hex SHA-256 of `canonical`.
  public var key: String { SHA256.hex(canonical) }

  /// Human-readable reasons why `self` differs from `old` (empty when equal).
  public func changes(since old: KeyComponents) -> [String] {
    var reasons: [String] = []
    if kind != old.kind { reasons.append("step kind changed (\(old.kind) → \(kind))") }
    if arguments != old.arguments {
      if case .object(let new) = arguments, case .object(let previous) = old.arguments {
        for name in Set(new.keys).union(previous.keys).sorted() where new[name] != previous[name] {
          switch (previous[name], new[name]) {
          case (nil, _): reasons.append("argument '\(name)' added")
          case (_, nil): reasons.append("argument '\(name)' removed")
          default: reasons.append("argument '\(name)' changed")
          }
        }
      } else {
        reasons.append("arguments changed")
      }
    }
    for name in Set(upstream.keys).union(old.upstream.keys).sorted() where upstream[name] != old.upstream[name] {
      if old.upstream[name] == nil {
        reasons.append("now reads upstream step '\(name)'")
      } else if upstream[name] == nil {
        reasons.append("no longer reads upstream step '\(name)'")
      } else {
        reasons.append("upstream step '\(name)' output changed")
      }
    }
    for path in Set(inputs.keys).union(old.inputs.keys).sorted() where inputs[path] != old.inputs[path] {
      if old.inputs[path] == nil {
        reasons.append("new input file '\(path)'")
      } else if inputs[path] == nil {
        reasons.append("input file '\(path)' no longer read")
      } else {
        reasons.append("input file '\(path)' changed")
      }
    }
    for name in Set(parameters.keys).union(old.parameters.keys).sorted() where parameters[name] != old.parameters[name]
    {
      let before = old.parameters[name]?.displayText ?? "unset"
      let after = parameters[name]?.displayText ?? "unset"
      reasons.append("parameter '\(name)' changed (\(before) → \(after))")
    }
    if version != old.version { reasons.append("runner version changed (\(old.version) → \(version))") }
    return reasons
  }
}
