import DUNESupport
import Forest
import Foundation

/// The chain description read by `dune dataplane emulate --chain FILE.json`.
///
/// ```json
/// {
///   "subModels": [
///     { "name": "m1", "model": "m1.json", "n": 2, "classes": ["normal"] },
///     { "name": "m2", "model": "m2.json", "n": 3, "classes": ["ddos", "xss"] }
///   ],
///   "encoding": "canonical",
///   "timeQuantisation": { "Flow IAT Max": 16 },
///   "tieRule": "other",
///   "voteBudget": 65536,
///   "slots": 65536,
///   "slotHash": "crc16",
///   "controllerPeriodPackets": 64,
///   "evictionTimeoutNs": null
/// }
/// ```
///
/// `subModels` are in chain order (position k = index + 1, class offsets accumulate in this
/// order). `model` is a `ForestModel` JSON file, relative to the chain file's folder; its classes
/// must be the listed own `classes` followed by `Other` (the last sub-model may omit `Other`).
/// Every other key is optional with the defaults shown.
public struct ChainSpec: Codable, Sendable, Equatable {
  public struct SubModel: Codable, Sendable, Equatable {
    public var name: String?
    public var model: String
    public var n: Int
    public var classes: [String]

    public init(name: String? = nil, model: String, n: Int, classes: [String]) {
      self.name = name
      self.model = model
      self.n = n
      self.classes = classes
    }
  }

  public var subModels: [SubModel]
  public var encoding: EncodingMode?
  public var timeQuantisation: [String: Int]?
  public var tieRule: VoteTieRule?
  public var voteBudget: Int?
  public var slots: Int?
  /// Slot hash: `crc16` (bmv2, default), `crcCCITT`, `crc32Low16`.
  public var slotHash: SlotHash?
  public var controllerPeriodPackets: Int?
  /// Optional age-based slot eviction (ns); absent = the reference behaviour (no eviction).
  public var evictionTimeoutNs: Int64?

  public init(
    subModels: [SubModel], encoding: EncodingMode? = nil, timeQuantisation: [String: Int]? = nil,
    tieRule: VoteTieRule? = nil, voteBudget: Int? = nil, slots: Int? = nil, slotHash: SlotHash? = nil,
    controllerPeriodPackets: Int? = nil, evictionTimeoutNs: Int64? = nil
  ) {
    self.subModels = subModels
    self.encoding = encoding
    self.timeQuantisation = timeQuantisation
    self.tieRule = tieRule
    self.voteBudget = voteBudget
    self.slots = slots
    self.slotHash = slotHash
    self.controllerPeriodPackets = controllerPeriodPackets
    self.evictionTimeoutNs = evictionTimeoutNs
  }

  /// The encoding scheme the chain's sub-models were trained for.
  public var scheme: EncodingScheme {
    EncodingScheme(mode: encoding ?? .canonical, timeQuantisation: TimeQuantisation(shifts: timeQuantisation ?? [:]))
  }

  /// Emulator settings from the spec.
  public var emulatorConfig: ChainEmulatorConfig {
    ChainEmulatorConfig(
      slots: slots ?? 65_536, controllerPeriodPackets: controllerPeriodPackets ?? 64,
      evictionTimeoutNs: evictionTimeoutNs
    )
  }

  /// Reads and validates a chain file; errors name the chain or model file.
  public static func load(path: String) throws -> ChainSpec {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read chain file")
    }
    let spec: ChainSpec
    do {
      spec = try JSONDecoder().decode(ChainSpec.self, from: data)
    } catch {
      throw LocatedError(file: path, "not a chain description: \(JSONErrorText.describe(error))")
    }
    guard !spec.subModels.isEmpty else { throw LocatedError(file: path, "subModels is empty") }
    return spec
  }

  /// Loads every model, checks its classes and compiles the chain (offsets in chain order).
  public func compile(relativeTo chainPath: String) throws -> [CompiledSubModel] {
    let base = URL(fileURLWithPath: chainPath).deletingLastPathComponent()
    var offset = 0
    var out: [CompiledSubModel] = []
    for (i, s) in subModels.enumerated() {
      let path = s.model.hasPrefix("/") ? s.model : base.appendingPathComponent(s.model).path
      let model = try ForestModelFile.load(path: path)
      let own = model.classes.last == TableCompiler.otherClassName ? Array(model.classes.dropLast()) : model.classes
      guard own == s.classes else {
        throw LocatedError(
          file: chainPath,
          "sub-model \(i + 1): classes \(s.classes) differ from the model's own classes \(own) in \(s.model)")
      }
      let name = s.name ?? URL(fileURLWithPath: s.model).deletingPathExtension().lastPathComponent
      do {
        out.append(
          try TableCompiler.compile(
            model,
            options: CompileOptions(
              name: name, modelID: i + 1, inferencePoint: s.n, classOffset: offset, scheme: scheme,
              tieRule: tieRule ?? .other, voteBudget: voteBudget ?? 65_536)))
      } catch let e as UsageError {
        throw LocatedError(file: path, e.message)
      }
      offset += own.count
    }
    return out
  }
}

/// Reading a `ForestModel` JSON file (the model's Codable encoding).
public enum ForestModelFile {
  public static func load(path: String) throws -> ForestModel {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read model file")
    }
    do {
      return try JSONDecoder().decode(ForestModel.self, from: data)
    } catch {
      throw LocatedError(file: path, "not a ForestModel JSON: \(JSONErrorText.describe(error))")
    }
  }
}

/// Short, located text for JSON decoding errors.
enum JSONErrorText {
  static func describe(_ error: Error) -> String {
    guard let e = error as? DecodingError else { return "\(error)" }
    func path(_ c: DecodingError.Context) -> String {
      let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return p.isEmpty ? c.debugDescription : "\(p): \(c.debugDescription)"
    }
    switch e {
    case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return path(c)
    case .keyNotFound(let k, let c): return "\(path(c)) missing key '\(k.stringValue)'"
    @unknown default: return "\(e)"
    }
  }
}
