import DUNESupport
import Foundation

/// The model file: `ForestModel` as JSON with sorted keys, so equal models give identical bytes.
///
/// Layout (all arrays indexed by node id, scikit-learn's `tree_` layout, see `DecisionTree`):
/// `{"classes": [..], "features": [..], "trees": [{"classCount", "feature", "threshold", "left",
/// "right", "weightedSamples", "impurity", "value"}]}`; leaves have feature −1, left = right = −1.
extension ForestModel {
  /// The canonical JSON bytes of the model.
  public func jsonData() throws -> Data {
    try DeterministicJSON.data(self, pretty: false)
  }

  /// Writes the model atomically to `path`.
  public func write(to path: String) throws {
    try AtomicFile.write(try jsonData(), to: path)
  }

  /// Reads a model file, naming the file on failure.
  public static func read(from path: String) throws -> ForestModel {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read model file")
    }
    do {
      return try JSONDecoder().decode(ForestModel.self, from: data)
    } catch {
      throw LocatedError(file: path, "not a forest model: \(error)")
    }
  }
}
