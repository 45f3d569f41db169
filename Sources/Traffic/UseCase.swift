/// Everything a DUNE use case fixes (`dune-reference.md` §9): classes, labelling, split, feature sets.
///
/// Stored as one JSON file per use case (field list: `usecases/README.md`). Built-ins live in
/// `UseCase+Builtins.swift`; `UseCase.resolve(_:)` turns a name or a JSON path into a value.
public struct UseCase: Codable, Sendable, Equatable {
  /// Short identifier, used in output file names (`<name>_<split>_<N>.csv`).
  public var name: String
  /// One-line human description.
  public var description: String
  /// Default data folder, relative to the current directory (nil: must be given with `--data`,
  /// or generated when `synthetic` is set). A user's own use case may name one; the built-ins never
  /// do, because a dataset's location is machine-specific.
  public var dataFolder: String?
  /// Environment variable that may name the data folder when none is given (e.g.
  /// `DUNE_IOT_SENTINEL_DATA`); read by the command-line front end, never inside a cached step.
  public var dataEnvironment: String?
  /// Where to obtain the data, for the error a user sees when it is missing.
  public var dataSource: String?
  /// Folder under the data folder holding the capture files (searched recursively); "" = the data folder.
  public var capturesFolder: String
  /// File-name suffixes accepted as captures (case-insensitive), e.g. `.pcap`, `.pcapng`.
  public var captureExtensions: [String]
  /// The classes used for training and partitioning, in the order of class indices (order matters).
  public var classes: [String]
  /// Label renames applied right after labelling (`from → to`), e.g. two units of one device type.
  public var merges: [String: String]
  /// Labels present in the data but dropped before training and partitioning (SPP `unwanted_classes`).
  /// Their packets are left out of the sample tables and flow counts (counted in the run report),
  /// so the iot-sentinel tables have the README's row counts.
  public var unwantedClasses: [String]
  /// Labels whose packets are dropped at labelling time (e.g. UNSW's gateway and unlabelled devices).
  /// Labels in neither list nor `classes` are kept in the tables (visible in the report).
  public var excludedLabels: [String]
  /// Named feature sets (`FeatureCatalog.sets` keys) for the unconstrained and the cluster analysis.
  public var featureSets: FeatureSetChoice
  /// Inference points N searched by the analysis (samples are generated for each).
  public var inferencePoints: [Int]
  /// How packets get their label.
  public var labelling: Labelling
  /// How captures (or flows) are assigned to the train and test splits.
  public var split: SplitRule
  /// Set-partitioning parameters.
  public var spp: SPPParameters
  /// When set, the data folder is the synthetic dataset with these parameters, generated on demand.
  public var synthetic: SyntheticParameters?

  public init(
    name: String, description: String, dataFolder: String?, dataEnvironment: String? = nil,
    dataSource: String? = nil, capturesFolder: String = "captures",
    captureExtensions: [String] = UseCase.defaultCaptureExtensions, classes: [String],
    merges: [String: String] = [:], unwantedClasses: [String] = [], excludedLabels: [String] = [],
    featureSets: FeatureSetChoice, inferencePoints: [Int] = [2, 3, 4], labelling: Labelling,
    split: SplitRule, spp: SPPParameters, synthetic: SyntheticParameters? = nil
  ) {
    self.name = name
    self.description = description
    self.dataFolder = dataFolder
    self.dataEnvironment = dataEnvironment
    self.dataSource = dataSource
    self.capturesFolder = capturesFolder
    self.captureExtensions = captureExtensions
    self.classes = classes
    self.merges = merges
    self.unwantedClasses = unwantedClasses
    self.excludedLabels = excludedLabels
    self.featureSets = featureSets
    self.inferencePoints = inferencePoints
    self.labelling = labelling
    self.split = split
    self.spp = spp
    self.synthetic = synthetic
  }

  /// The capture suffixes used when a JSON file does not list its own.
  public static let defaultCaptureExtensions = [".pcap", ".pcapng", ".cap"]

  /// The two split names every rule produces, in output order.
  public static let splitNames = ["train", "test"]
}

/// The feature-set names (keys of `FeatureCatalog.sets`) a use case analyses with.
public struct FeatureSetChoice: Codable, Sendable, Equatable {
  /// Candidate features of the unconstrained model (§9.1: UNSW `all`, ToN `no_time`).
  public var unconstrained: String
  /// Candidate features of the per-cluster models (§9.1: UNSW `easy`, ToN `no_time`).
  public var cluster: String

  public init(unconstrained: String, cluster: String) {
    self.unconstrained = unconstrained
    self.cluster = cluster
  }
}

/// Parameters of the set-partitioning step (§5).
public struct SPPParameters: Codable, Sendable, Equatable {
  /// Number of classes partitioned (normally `classes.count`).
  public var nClasses: Int
  /// Number of features each block may use.
  public var nFeatures: Int

  public init(nClasses: Int, nFeatures: Int) {
    self.nClasses = nClasses
    self.nFeatures = nFeatures
  }
}

/// Parameters of the generated synthetic dataset (`SyntheticDataset`).
public struct SyntheticParameters: Codable, Sendable, Equatable {
  /// Number of device classes (at most `SyntheticDataset.profiles.count`).
  public var classes: Int
  /// Seed of the generator: same seed and scale → byte-identical files.
  public var seed: UInt64
  /// Multiplier of the number of sessions per capture (1 ≈ 100k packets for 20 classes).
  public var scale: Double

  public init(classes: Int = 20, seed: UInt64 = 1, scale: Double = 1) {
    self.classes = classes
    self.seed = seed
    self.scale = scale
  }
}

extension UseCase {
  private enum CodingKeys: String, CodingKey {
    case name, description, dataFolder, dataEnvironment, dataSource, capturesFolder, captureExtensions, classes, merges
    case unwantedClasses, excludedLabels, featureSets, inferencePoints, labelling, split, spp, synthetic
  }

  /// Decodes a use case; list-valued fields and the captures layout may be omitted (defaults apply).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try c.decode(String.self, forKey: .name),
      description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
      dataFolder: try c.decodeIfPresent(String.self, forKey: .dataFolder),
      dataEnvironment: try c.decodeIfPresent(String.self, forKey: .dataEnvironment),
      dataSource: try c.decodeIfPresent(String.self, forKey: .dataSource),
      capturesFolder: try c.decodeIfPresent(String.self, forKey: .capturesFolder) ?? "captures",
      captureExtensions: try c.decodeIfPresent([String].self, forKey: .captureExtensions)
        ?? UseCase.defaultCaptureExtensions,
      classes: try c.decode([String].self, forKey: .classes),
      merges: try c.decodeIfPresent([String: String].self, forKey: .merges) ?? [:],
      unwantedClasses: try c.decodeIfPresent([String].self, forKey: .unwantedClasses) ?? [],
      excludedLabels: try c.decodeIfPresent([String].self, forKey: .excludedLabels) ?? [],
      featureSets: try c.decode(FeatureSetChoice.self, forKey: .featureSets),
      inferencePoints: try c.decodeIfPresent([Int].self, forKey: .inferencePoints) ?? [2, 3, 4],
      labelling: try c.decode(Labelling.self, forKey: .labelling),
      split: try c.decode(SplitRule.self, forKey: .split),
      spp: try c.decode(SPPParameters.self, forKey: .spp),
      synthetic: try c.decodeIfPresent(SyntheticParameters.self, forKey: .synthetic))
  }
}

extension UseCase {
  /// The data folder named by `dataEnvironment` in `environment`, when set and not empty.
  public func environmentDataFolder(_ environment: [String: String]) -> String? {
    guard let name = dataEnvironment, let value = environment[name], !value.isEmpty else { return nil }
    return value
  }

  /// What to tell a user who ran this use case without a data folder: how to pass one, and where
  /// the data comes from.
  public var missingDataMessage: String {
    var text = "use case '\(name)' needs its data: pass -P data=DIR to `dune run` (--data DIR to `dune data`)"
    if let env = dataEnvironment { text += " or set \(env)=DIR" }
    text += "; DIR must hold the captures under '\(capturesFolder.isEmpty ? "." : capturesFolder)/'"
    if let source = dataSource { text += ". Get them from \(source)" }
    return text
  }
}
