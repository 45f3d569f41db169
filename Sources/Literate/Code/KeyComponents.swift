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
  /// Module → source digest of the code that computes the step (`PlannedStep.code`). This replaces a
  /// hand-bumped runner version: the runner's own cache format is checked when an entry is read.
  public var code: [String: String]

  public init(
    kind: String, arguments: Value, upstream: [String: String], inputs: [String: String], parameters: [String: Value],
    code: [String: String]
  ) {
    self.kind = kind
    self.arguments = arguments
    self.upstream = upstream
    self.inputs = inputs
    self.parameters = parameters
    self.code = code
  }

  /// Canonical bytes: one JSON object with sorted keys, LF-free, shortest round-trip numbers.
  public var canonical: String {
    Value.object([
      "kind": .string(kind),
      "arguments": arguments,
      "upstream": .object(upstream.mapValues { .string($0) }),
      "inputs": .object(inputs.mapValues { .string($0) }),
      "parameters": .object(parameters),
      "code": .object(code.mapValues { .string($0) }),
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
    for module in Set(code.keys).union(old.code.keys).sorted() where code[module] != old.code[module] {
      if old.code[module] == nil {
        reasons.append("now uses code module '\(module)'")
      } else if code[module] == nil {
        reasons.append("no longer uses code module '\(module)'")
      } else {
        reasons.append("code of module '\(module)' changed")
      }
    }
    return reasons
  }
}
