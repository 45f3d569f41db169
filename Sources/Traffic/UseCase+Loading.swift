import DUNESupport
import Foundation

/// Resolving, validating, reading and writing use-case JSON files.
extension UseCase {
  /// A built-in use case by name, or the JSON file at `nameOrPath`.
  ///
  /// Throws a `UsageError` listing the known names when neither exists, and a `LocatedError`
  /// naming the file when its JSON is malformed or fails validation.
  public static func resolve(_ nameOrPath: String) throws -> UseCase {
    if let u = builtin(nameOrPath) { return u }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDir), !isDir.boolValue {
      return try load(path: nameOrPath)
    }
    throw UsageError(
      "unknown use case '\(nameOrPath)' (known: \(builtinNames.joined(separator: ", ")); or a path to a use-case JSON file)"
    )
  }

  /// Reads and validates the use-case JSON file at `path`.
  public static func load(path: String) throws -> UseCase {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read use-case file")
    }
    let u: UseCase
    do {
      u = try JSONDecoder().decode(UseCase.self, from: data)
    } catch let e as DecodingError {
      throw LocatedError(file: path, "invalid use case: \(describe(e))")
    } catch {
      throw LocatedError(file: path, "invalid JSON: \(error.localizedDescription)")
    }
    do {
      try u.validate()
    } catch let e as UsageError {
      throw LocatedError(file: path, e.message)
    }
    return u
  }

  /// Checks the cross-field rules a decoder cannot: known feature sets, N ≥ 2, split/labelling pairing.
  public func validate() throws {
    func fail(_ m: String) -> UsageError { UsageError("use case '\(name)': \(m)") }
    if name.isEmpty || name.contains("/") { throw fail("name must be non-empty and contain no '/'") }
    if classes.isEmpty { throw fail("empty class list") }
    if Set(classes).count != classes.count { throw fail("duplicate class in class list") }
    for s in [featureSets.unconstrained, featureSets.cluster] where FeatureCatalog.sets[s] == nil {
      throw fail("unknown feature set '\(s)' (known: \(FeatureCatalog.sets.keys.sorted().joined(separator: ", ")))")
    }
    if inferencePoints.isEmpty || inferencePoints.contains(where: { $0 < 2 }) {
      throw fail("inference points must be ≥ 2")
    }
    if spp.nClasses < 1 || spp.nFeatures < 1 { throw fail("spp.nClasses and spp.nFeatures must be ≥ 1") }
    switch (split, labelling) {
    case (.labelFiles, .flowIDFile(let files, _)):
      for s in UseCase.splitNames where files[s] == nil { throw fail("flowIDFile labelling has no '\(s)' file") }
    case (.labelFiles, _):
      throw fail("split rule 'labelFiles' needs the 'flowIDFile' labelling scheme")
    case (_, .flowIDFile):
      throw fail("the 'flowIDFile' labelling scheme needs the 'labelFiles' split rule")
    case (.indexModulo(let m, let r, _), _):
      if m < 1 || r.contains(where: { $0 < 0 || $0 >= m }) {
        throw fail("indexModulo needs modulus ≥ 1 and remainders in 0..<modulus")
      }
    default: break
    }
    if case .macList(_, let gw?) = labelling, MACAddress.parse(gw) == nil {
      throw fail("gatewayMAC '\(gw)' is not a MAC address")
    }
    if let p = synthetic, p.classes < 1 || p.classes > SyntheticDataset.profiles.count || !(p.scale > 0) {
      throw fail("synthetic needs 1 ≤ classes ≤ \(SyntheticDataset.profiles.count) and scale > 0")
    }
  }

  /// The use case as pretty-printed JSON with sorted keys (deterministic).
  public func jsonText() -> String {
    // Encoding plain value types cannot fail.
    try! DeterministicJSON.text(self)
  }

  private static func describe(_ e: DecodingError) -> String {
    func path(_ c: DecodingError.Context) -> String {
      let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return p.isEmpty ? "" : " at \(p)"
    }
    switch e {
    case .keyNotFound(let k, let c): return "missing field '\(k.stringValue)'\(path(c))"
    case .typeMismatch(let t, let c): return "expected \(t)\(path(c)): \(c.debugDescription)"
    case .valueNotFound(let t, let c): return "missing \(t)\(path(c))"
    case .dataCorrupted(let c):
      let under = (c.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
      return "\(c.debugDescription)\(path(c))\(under.map { ": \($0)" } ?? "")"
    @unknown default: return "\(e)"
    }
  }
}
