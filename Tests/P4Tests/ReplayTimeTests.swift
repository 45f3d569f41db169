import DataPlane
import Foundation
import Testing

@testable import P4

/// The conditional sections of C-preprocessor text: `#ifdef`, `#ifndef`, `#else`, `#endif` (the only
/// directives the emitters write besides `#include`), as `cpp` selects them. Other lines are kept
/// unchanged, so the result is what the compiler sees, line for line.
enum Preprocessor {
  static func select(_ text: String, defined: Set<String>) -> String {
    var out: [Substring] = []
    var active: [Bool] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let words = line.split(separator: " ")
      switch words.first {
      case "#ifdef": active.append(defined.contains(String(words[1])))
      case "#ifndef": active.append(!defined.contains(String(words[1])))
      case "#else": active[active.count - 1].toggle()
      case "#endif": active.removeLast()
      default: if active.allSatisfy({ $0 }) { out.append(line) }
      }
    }
    return out.joined(separator: "\n")
  }
}

/// Replay builds of the v1model program (`-DDUNE_REPLAY_TIME`): the capture time arrives in a header
/// before Ethernet and replaces the switch clock; without the symbol nothing changes.
@Suite struct ReplayTimeTests {
  let flow: DuneProgramBuilder.Output
  init() throws { flow = try DuneProgramBuilder.build(try flowCompiled(), name: "flow") }

  @Test func theReplayBuildReadsTimeOnlyFromTheHeader() throws {
    let text = Preprocessor.select(V1ModelEmitter().emit(flow.program), defined: [V1ModelEmitter.replayDefine])
    #expect(!text.contains("ingress_global_timestamp"))
    #expect(text.contains("meta.now_ts = hdr.replay_time.ns[47:16];"))
    #expect(text.contains("meta.now_ts_lo = (bit<32>)hdr.replay_time.ns[15:0];"))
    // Parsed before Ethernet (in the start state), emitted before it.
    let start = try #require(text.range(of: "state start {"))
    let extract = try #require(text.range(of: "pkt.extract(hdr.replay_time);"))
    let toEthernet = try #require(text.range(of: "transition parse_ethernet;"))
    #expect(start.upperBound < extract.lowerBound && extract.upperBound < toEthernet.lowerBound)
    let emits = text.components(separatedBy: "\n").filter { $0.contains("pkt.emit(") }
    #expect(emits.first?.contains("hdr.replay_time") == true && emits.dropFirst().first?.contains("ethernet") == true)
  }

  @Test func theDeployedBuildHasNoReplayHeader() {
    let text = Preprocessor.select(V1ModelEmitter().emit(flow.program), defined: [])
    #expect(!text.contains("replay_time"))
    #expect(text.contains("meta.now_ts = (standard_metadata.ingress_global_timestamp * 48w1000)[47:16];"))
  }

  @Test func programsWithoutTimeFeaturesStillCarryTheHeader() throws {
    // Every switch of a replayed chain passes the header on, whether or not it reads the time.
    let toy = try DuneProgramBuilder.build(try toyCompiled(), name: "toy")
    let text = Preprocessor.select(V1ModelEmitter().emit(toy.program), defined: [V1ModelEmitter.replayDefine])
    #expect(text.contains("pkt.extract(hdr.replay_time);") && text.contains("pkt.emit(hdr.replay_time);"))
    #expect(!text.contains("ingress_global_timestamp"))
  }

  @Test func directivesAreBalancedAndTofinoHasNone() {
    let text = V1ModelEmitter().emit(flow.program)
    let lines = text.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("#ifdef") }.count == lines.filter { $0.hasPrefix("#endif") }.count)
    #expect(lines.filter { $0.hasPrefix("#ifdef") }.count == 6)
    #expect(!TofinoEmitter().emit(flow.program).contains("#if"))
  }
}
