import DUNESupport
import DataPlane
import Foundation
import Testing
import Traffic

/// The steps quantise sample tables in memory (`QuantisedSamples.quantiser`) instead of reading the
/// quantised copy `prepare` writes: both must give the very same values, bit for bit.
@Suite struct QuantisedSamplesTests {
  @Test func inMemoryQuantisationEqualsThePreparedCopy() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dune-quantised-test-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let p = SyntheticParameters(classes: 3, seed: 9, scale: 0.15)
    try SyntheticDataset.write(p, to: root + "/data")
    let u = UseCase.synthetic(p)
    let out = try SampleGenerator.run(
      useCase: u, dataFolder: root + "/data", options: .init(inferencePoints: [2, 3]), source: .captures)
    let samples = root + "/samples"
    try FileManager.default.createDirectory(atPath: samples, withIntermediateDirectories: true)
    var names: [String] = []
    for (split, byN) in out.tables {
      for (n, table) in byN {
        names.append("\(u.name)_\(split)_\(n).csv")
        try table.write(toCSV: samples + "/" + names.last!)
      }
    }
    let shift = 16
    let prepared = try QuantisedSamples.prepare(folder: samples, useCase: u.name, shift: shift)
    defer { QuantisedSamples.cleanup(prepared, shift: shift) }
    let quantise = QuantisedSamples.quantiser(shift: shift)
    var changed = 0
    for name in names.sorted() {
      let raw = try SampleTable.read(csvAt: samples + "/" + name)
      let copy = try SampleTable.read(csvAt: prepared + "/" + name)
      let memory = quantise(raw)
      #expect(memory.columns == copy.columns)
      #expect(memory.values.map { $0.map(\.bitPattern) } == copy.values.map { $0.map(\.bitPattern) }, "\(name)")
      #expect(memory.labels == copy.labels && memory.flowIDs == copy.flowIDs && memory.files == copy.files)
      changed += zip(raw.values, memory.values).reduce(0) { $0 + zip($1.0, $1.1).filter { $0 != $1 }.count }
      // The verification rows of the data-plane step, from the table and from the copy's CSV.
      let features = ["Flow IAT Min", "Flow Duration", "ip.len", "tcp.window_size_value"]
      let fromTable = try TableVerification.rows(from: memory, features: features)
      let fromCSV = try TableVerification.rows(from: CSVTable.read(path: prepared + "/" + name), features: features)
      #expect(fromTable.map { $0.map(\.bitPattern) } == fromCSV.map { $0.map(\.bitPattern) }, "\(name)")
    }
    #expect(changed > 0, "the fixture must have time values that quantisation changes")
    #expect(
      QuantisedSamples.quantiser(shift: 0)(try SampleTable.read(csvAt: samples + "/" + names[0])).values
        == (try SampleTable.read(csvAt: samples + "/" + names[0])).values)
  }
}
