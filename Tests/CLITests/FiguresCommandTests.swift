import Foundation
import Testing

/// `dune run` then `dune figures`: the paper figures of the latest run, exported from the cache.
@Suite struct FiguresCommandTests {
  static let dune: String = {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [here, here.deletingLastPathComponent()]
    where FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("dune").path) {
      return dir.appendingPathComponent("dune").path
    }
    return repoRoot.appendingPathComponent(".build/debug/dune").path
  }()
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.dune)
    p.arguments = args
    let o = Pipe()
    let e = Pipe()
    p.standardOutput = o
    p.standardError = e
    try p.run()
    let out = o.fileHandleForReading.readDataToEndOfFile()
    let err = e.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
  }

  @Test func exportsOnlyTheFigFiguresOfTheLatestRun() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-figures-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
    let reference = Self.repoRoot.appendingPathComponent("paper/inputs").path
    let chapter = """
      # SPP

      ```dune partition
      #| id: ton
      weights: \(reference)/importance_weights_ToN-IoT.csv
      scores: \(reference)/ToN-IoT_score_per_class.csv
      classes: 7
      unwanted: [mitm, dos, backdoor]
      compare: true
      figureSuffix: ton
      ```
      """
    try Data(chapter.utf8).write(to: root.appendingPathComponent("chapters/00-spp.md"))

    let before = try run(["figures", "--project", root.path])
    #expect(before.status != 0)
    #expect(before.err.contains("dune run"))

    let r = try run(["run", "--project", root.path, "--quiet"])
    #expect(r.status == 0, "\(r.err)")
    let f = try run(["figures", "--project", root.path])
    #expect(f.status == 0, "\(f.err)")
    let folder = root.appendingPathComponent("paper/figures")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == ["fig-spp-gain-ton.svg", "fig-spp-methods-ton.svg"])
    let svg = try String(contentsOf: folder.appendingPathComponent("fig-spp-gain-ton.svg"), encoding: .utf8)
    #expect(svg.contains("<svg") && svg.hasSuffix("</svg>\n"))
    #expect(svg.contains("00-spp-ton-fig-spp-gain-ton"))
  }
}
