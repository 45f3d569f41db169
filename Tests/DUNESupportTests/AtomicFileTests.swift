import DUNESupport
import Foundation
import Testing

/// `AtomicFile.write`: the bytes land under the name, replace what was there, leave no temporary
/// behind, and a failure names the file.
@Suite struct AtomicFileTests {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dune-atomic-\(UUID().uuidString)").path

  @Test func writesReplacesAndLeavesNoTemporary() throws {
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/sub/out.bin"
    let bytes = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try AtomicFile.write(bytes, to: path)
    #expect(FileManager.default.contents(atPath: path) == bytes)
    try AtomicFile.write("short\n", to: path)
    #expect(FileManager.default.contents(atPath: path) == Data("short\n".utf8))
    try AtomicFile.write(Data(), to: dir + "/sub/empty")
    #expect(FileManager.default.contents(atPath: dir + "/sub/empty") == Data())
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/sub").sorted() == ["empty", "out.bin"])
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
    #expect(mode.map { $0.intValue & 0o600 } == 0o600, "the owner reads and writes the file")
  }

  @Test func failureNamesTheFile() throws {
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    // A folder where the file should go: the rename fails, the temporary is removed.
    try FileManager.default.createDirectory(atPath: dir + "/taken/x", withIntermediateDirectories: true)
    #expect {
      try AtomicFile.write("a", to: dir + "/taken")
    } throws: { error in
      "\(error)".contains(dir + "/taken")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["taken"])
    #expect(AtomicFile.writeFile(Data("a".utf8), to: dir + "/missing/file") != nil)
  }
}
