import DUNESupport
import Foundation

/// Finding a use case's capture files and assigning them to splits (`SplitRule`).
public enum CaptureFiles {
  /// Capture paths relative to `dataFolder`, in byte order, found recursively below the captures folder.
  public static func list(useCase: UseCase, dataFolder: String) throws -> [String] {
    let root = joinPath(dataFolder, useCase.capturesFolder)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
      throw LocatedError(
        file: root, "captures folder not found (use case '\(useCase.name)', data folder '\(dataFolder)')")
    }
    guard let e = FileManager.default.enumerator(atPath: root) else {
      throw LocatedError(file: root, "cannot list the captures folder")
    }
    let exts = useCase.captureExtensions.map { $0.lowercased() }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
      let name = (rel as NSString).lastPathComponent
      if name.hasPrefix(".") { continue }  // editor and OS droppings such as `._x.pcap`
      let lower = name.lowercased()
      guard exts.contains(where: { lower.hasSuffix($0) }) else { continue }
      var d: ObjCBool = false
      if FileManager.default.fileExists(atPath: joinPath(root, rel), isDirectory: &d), d.boolValue { continue }
      out.append(joinPath(useCase.capturesFolder, rel))
    }
    out.sort(by: byteOrder)
    if out.isEmpty {
      throw LocatedError(
        file: root, "no capture files (\(useCase.captureExtensions.joined(separator: ", "))) below the captures folder")
    }
    return out
  }

  /// Byte-wise (UTF-8) ordering of paths, independent of locale and Unicode normalisation.
  public static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

  /// The path below the captures folder (`captures/A/x.pcap` → `A/x.pcap`).
  public static func innerPath(_ path: String, capturesFolder: String) -> String {
    guard !capturesFolder.isEmpty else { return path }
    let prefix = capturesFolder.hasSuffix("/") ? capturesFolder : capturesFolder + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  /// The first folder below the captures folder ("" for a capture directly in it): the label of
  /// the directory scheme.
  public static func topFolder(_ path: String, capturesFolder: String) -> String {
    let inner = innerPath(path, capturesFolder: capturesFolder)
    guard let slash = inner.firstIndex(of: "/") else { return "" }
    return String(inner[..<slash])
  }

  /// The splits each capture is read for, in split order (`train`, `test`).
  ///
  /// `paths` must be in byte order (as `list` returns them). With `labelFiles` every capture is
  /// read for both splits; otherwise each capture belongs to exactly one.
  public static func splits(of paths: [String], rule: SplitRule, capturesFolder: String) -> [[String]] {
    switch rule {
    case .labelFiles:
      return paths.map { _ in UseCase.splitNames }
    case .fileNames(let patterns):
      return paths.map { p in
        let inner = innerPath(p, capturesFolder: capturesFolder)
        let name = (p as NSString).lastPathComponent
        let test = patterns.contains { fnmatch($0, name, 0) == 0 || fnmatch($0, inner, 0) == 0 }
        return [test ? "test" : "train"]
      }
    case .indexModulo(let m, let remainders, let perFolder):
      var position: [String: Int] = [:]
      return paths.map { p in
        let group = perFolder ? (p as NSString).deletingLastPathComponent : ""
        let i = position[group, default: 0]
        position[group] = i + 1
        return [remainders.contains(i % m) ? "test" : "train"]
      }
    }
  }
}
