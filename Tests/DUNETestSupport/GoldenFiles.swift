import Foundation
import Testing

/// A test target's committed expected outputs ("golden files"), compared byte for byte.
///
/// `DUNE_RECORD=1 swift test --filter <Suite>` rewrites the files from the current outputs instead
/// of comparing; review the diff before committing it.
public struct GoldenFiles: Sendable {
  /// The folder holding the files.
  public let directory: URL

  /// The golden files in `folder`, next to the calling test file.
  public init(_ folder: String, besideFile filePath: String = #filePath) {
    directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(folder)
  }

  /// True when the run re-records golden files (`DUNE_RECORD=1`).
  public static var recording: Bool { ProcessInfo.processInfo.environment["DUNE_RECORD"] == "1" }

  /// Compares `actual` with golden file `name`, recording an issue at the caller that names the
  /// first differing line; with `DUNE_RECORD=1` writes `actual` to the file instead.
  public func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = directory.appendingPathComponent(name)
    if Self.recording {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
      Issue.record("missing golden file \(name); run with DUNE_RECORD=1 to create it", sourceLocation: sourceLocation)
      return
    }
    if let difference = Self.firstDifference(expected: String(decoding: data, as: UTF8.self), actual: actual) {
      Issue.record("golden \(name) \(difference)\n(DUNE_RECORD=1 re-records)", sourceLocation: sourceLocation)
    }
  }

  /// Where two texts first differ (`differs at line N: expected … actual …`), or nil when equal.
  public static func firstDifference(expected: String, actual: String) -> String? {
    guard expected != actual else { return nil }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let i = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
    func line(_ lines: [Substring]) -> String { i < lines.count ? String(lines[i]) : "<end>" }
    return "differs at line \(i + 1):\n expected: \(line(e))\n actual:   \(line(a))"
  }
}
