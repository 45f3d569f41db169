import DUNESupport
import Foundation
import Literate

/// The folders a run uses: chapters to read, `.dune/` for cache, lock and store, `results/` to publish.
public struct Project: Sendable {
  /// The project root; chapter paths and input paths are relative to it.
  public var root: URL
  /// `chapters/` under the root.
  public var chaptersDirectory: URL
  /// `.dune/` under the root.
  public var stateDirectory: URL
  /// The SQLite store (default `.dune/dune.sqlite`).
  public var databasePath: String
  /// Where results and report pages go (default `results/`).
  public var resultsDirectory: URL

  /// A project at `root` with the default layout, optionally overriding the store path and results folder.
  public init(root: URL, databasePath: String? = nil, resultsDirectory: String? = nil) {
    let base = root.standardizedFileURL
    self.root = base
    chaptersDirectory = base.appendingPathComponent("chapters")
    stateDirectory = base.appendingPathComponent(".dune")
    self.databasePath =
      databasePath.map { Self.absolute($0, root: base) }
      ?? base.appendingPathComponent(".dune/dune.sqlite").path
    self.resultsDirectory = URL(
      fileURLWithPath: resultsDirectory.map { Self.absolute($0, root: base) }
        ?? base.appendingPathComponent("results").path)
  }

  private static func absolute(_ path: String, root: URL) -> String {
    path.hasPrefix("/") ? path : root.appendingPathComponent(path).path
  }

  /// `.dune/cache/`.
  public var cacheDirectory: URL { stateDirectory.appendingPathComponent("cache") }

  /// `path` relative to the root when it lies inside it, else unchanged.
  public func relative(_ path: String) -> String {
    let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  /// Reads and parses every `chapters/*.md`, in file-name order; all parse errors are reported together.
  public func loadChapters() throws -> [Chapter] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: chaptersDirectory.path)
        .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
    } catch {
      throw LocatedError(file: relative(chaptersDirectory.path), "cannot list chapters: no such folder")
    }
    var chapters: [Chapter] = []
    var errors: [LocatedError] = []
    for name in names {
      let path = "chapters/\(name)"
      guard let data = FileManager.default.contents(atPath: chaptersDirectory.appendingPathComponent(name).path),
        let text = String(data: data, encoding: .utf8)
      else {
        errors.append(LocatedError(file: path, "cannot read chapter (not UTF-8?)"))
        continue
      }
      do {
        chapters.append(try ChapterParser.parse(text, path: path))
      } catch let d as Diagnostics {
        errors += d.errors
      }
    }
    if !errors.isEmpty { throw Diagnostics(errors) }
    return chapters
  }
}
