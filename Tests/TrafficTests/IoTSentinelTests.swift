import Foundation
import Testing

@testable import Traffic

/// The canonical iot-sentinel use case on the real captures: the README's sample counts at N = 3.
@Suite struct IoTSentinelTests {
  @Test(.enabled(if: IoTSentinelData.folder != nil, IoTSentinelData.skipReason))
  func readmeCountsAtN3() throws {
    let out = try SampleGenerator.run(
      useCase: .iotSentinel, dataFolder: try #require(IoTSentinelData.folder),
      options: .init(inferencePoints: [3], strict: true),
      source: .captures)
    #expect(out.tables["train"]![3]!.rowCount == 46_440)
    #expect(out.tables["test"]![3]!.rowCount == 15_403)
    #expect(out.report.files.total == 550)
    #expect(out.report.packets.decoded == 183_396)
    // Every used packet belongs to exactly one counted flow.
    let counted = (out.flowCounts["train"]!.keys + out.flowCounts["test"]!.keys).reduce(0) { acc, k in
      acc + (out.flowCounts["train"]![k] ?? out.flowCounts["test"]![k]!).packetCount
    }
    #expect(counted == out.report.packets.used)
    #expect(Set(out.tables["train"]![3]!.labels) == Set(UseCase.iotSentinel.classes))
  }
}
