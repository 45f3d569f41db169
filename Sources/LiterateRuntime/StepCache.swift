import DUNESupport
import Foundation
import Literate

/// The content-addressed cache under `.dune/cache/`.
///
/// Layout: `<key>/entry.json` and `<key>/files/…` for each committed result; `steps/<chapter>/<id>.json`
/// for each step's last successful key (first line) and its components (JSON). An entry is committed by renaming a fully
/// written staging folder into place, so a crash leaves either the old state or the new one.
struct StepCache {
  let directory: URL
  let staging: URL

  init(project: Project) {
    directory = project.cacheDirectory
    staging = project.stateDirectory.appendingPathComponent("tmp")
  }

  func entryDirectory(_ key: String) -> URL { directory.appendingPathComponent(key) }
  func filesDirectory(_ key: String) -> URL { entryDirectory(key).appendingPathComponent("files") }

  /// The entry for `key` if present and intact (entry decodes, every file present with its size).
  func load(_ key: String) -> CacheEntry? {
    let url = entryDirectory(key).appendingPathComponent("entry.json")
    guard let data = FileManager.default.contents(atPath: url.path),
      let entry = try? JSONDecoder().decode(CacheEntry.self, from: data), entry.key == key
    else { return nil }
    for f in entry.files {
      let path = filesDirectory(key).appendingPathComponent(f.name).path
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        (attributes[.size] as? NSNumber)?.intValue == f.size
      else { return nil }
    }
    return entry
  }

  /// A fresh, empty staging folder for a run of `key`.
  func makeStaging(_ key: String) throws -> URL {
    let dir = staging.appendingPathComponent("\(key)-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    do {
      try FileManager.default.createDirectory(
        at: dir.appendingPathComponent("files"), withIntermediateDirectories: true)
    } catch {
      throw LocatedError(file: dir.path, "cannot create staging folder: \(error.localizedDescription)")
    }
    return dir
  }

  /// Files written under `files/` of a staging folder, hashed, sorted by name.
  func scanFiles(in stagingDirectory: URL) throws -> [FileRecord] {
    let root = stagingDirectory.appendingPathComponent("files")
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var records: [FileRecord] = []
    while let name = walker.nextObject() as? String {
      let path = root.appendingPathComponent(name).path
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        continue
      }
      if (name as NSString).lastPathComponent.contains(".tmp-") { continue }
      let size = ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.intValue ?? 0
      records.append(FileRecord(name: name, sha256: try SHA256.hexOfFile(atPath: path), size: size))
    }
    return records.sorted { $0.name < $1.name }
  }

  /// Writes `entry.json` into the staging folder and renames the folder to `<key>`.
  func commit(_ entry: CacheEntry, staging stagingDirectory: URL) throws {
    try AtomicFile.write(try Self.encode(entry), to: stagingDirectory.appendingPathComponent("entry.json").path)
    let target = entryDirectory(entry.key)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    if FileManager.default.fileExists(atPath: target.path) {
      // A forced re-run replaces the old entry: move it aside first, since rename(2) cannot replace a non-empty folder.
      let old = staging.appendingPathComponent("\(entry.key)-old-\(getpid())")
      try? FileManager.default.removeItem(at: old)
      try FileManager.default.moveItem(at: target, to: old)
      try? FileManager.default.removeItem(at: old)
    }
    if rename(stagingDirectory.path, target.path) != 0 {
      throw LocatedError(file: target.path, "cannot commit cache entry: \(String(cString: strerror(errno)))")
    }
  }

  func recordPath(chapter: String, step: String) -> String {
    directory.appendingPathComponent("steps").appendingPathComponent(chapter).appendingPathComponent("\(step).json")
      .path
  }

  /// The last successful key of a step: the record's first line, read without decoding its components.
  func recordedKey(chapter: String, step: String) -> String? {
    guard let data = FileManager.default.contents(atPath: recordPath(chapter: chapter, step: step)),
      let newline = data.firstIndex(of: UInt8(ascii: "\n"))
    else { return nil }
    return String(decoding: data[data.startIndex..<newline], as: UTF8.self)
  }

  /// The last successful key and its components (for explanations).
  func record(chapter: String, step: String) -> StepRecord? {
    guard let data = FileManager.default.contents(atPath: recordPath(chapter: chapter, step: step)),
      let newline = data.firstIndex(of: UInt8(ascii: "\n")),
      let components = try? JSONDecoder().decode(KeyComponents.self, from: data[(newline + 1)...])
    else { return nil }
    return StepRecord(key: String(decoding: data[data.startIndex..<newline], as: UTF8.self), components: components)
  }

  /// Writes `<key>\n<components JSON>` so the key alone can be read cheaply.
  func saveRecord(_ record: StepRecord, chapter: String, step: String) throws {
    var data = Data((record.key + "\n").utf8)
    data.append(try Self.encode(record.components))
    try AtomicFile.write(data, to: recordPath(chapter: chapter, step: step))
  }

  static func encode<T: Encodable>(_ value: T) throws -> Data {
    try DeterministicJSON.data(value)
  }
}
