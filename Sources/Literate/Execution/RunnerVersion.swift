/// Versions folded into every cache key: bump `resultSchema` when the cache entry format or the
/// meaning of step outputs changes, so old entries go stale instead of being misread.
public enum RunnerVersion {
  /// The runner's version, shown in provenance.
  public static let tool = "0.1.0"
  /// Version of the cache-entry layout and key canonicalisation.
  public static let resultSchema = 1
  /// The string hashed into keys.
  public static var keyString: String { "dune \(tool) schema \(resultSchema)" }
}
