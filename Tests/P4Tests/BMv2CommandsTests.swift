import DUNESupport
import DataPlane
import Foundation
import Testing

@testable import P4

@Suite struct BMv2CommandsTests {
  let out: DuneProgramBuilder.Output
  init() throws { out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy") }

  func readError(_ text: String) -> LocatedError? {
    do {
      _ = try BMv2Commands.read(text, program: out.program, path: "c.txt")
      return nil
    } catch let e as LocatedError {
      return e
    } catch {
      return nil
    }
  }

  @Test func roundTrip() throws {
    let text = BMv2Commands.write(out.entries, program: out.program)
    #expect(try BMv2Commands.read(text, program: out.program) == out.entries)
  }

  @Test func rejectsBadLinesWithLocation() {
    let e1 = readError("table_add DuneIngress.feature_1 DuneIngress.set_code_1 0->256 => 0b0 0b0 1\n")
    #expect(e1?.location == .line(1, column: 56))
    #expect(e1?.message.contains("8-bit lo->hi range") == true)
    let e2 = readError("\ntable_add DuneIngress.nope DuneIngress.set_code_1 0->1 => 0 0 1")
    #expect(e2?.location == .line(2, column: 11))
    let e3 = readError("table_add DuneIngress.code_0 DuneIngress.set_class_0 0b10&&&0b11 0b0&&&0b1 => 2")
    #expect(e3?.message.contains("and a priority") == true)
    let e4 = readError("table_add DuneIngress.vote DuneIngress.set_final 2 => 2")
    #expect(e4?.message.contains("2 key(s), found 1") == true)
    let e5 = readError("table_add DuneIngress.vote DuneIngress.set_final 2 2 => 256")
    #expect(e5?.message.contains("does not fit parameter 'c'") == true)
    let e6 = readError("table_set_default DuneIngress.vote DuneIngress.set_final 0")
    #expect(e6?.location == .line(1, column: 1))
  }

  @Test func valuesParseAllLiteralForms() {
    #expect(P4Value(literal: "0x2a", width: 8)?.uint64 == 42)
    #expect(P4Value(literal: "0b101", width: 3)?.uint64 == 5)
    #expect(P4Value(literal: "255", width: 8)?.uint64 == 255)
    #expect(P4Value(literal: "256", width: 8) == nil)
    #expect(P4Value(literal: "0b1111", width: 3) == nil)
    #expect(P4Value(literal: "12a", width: 16) == nil)
    let wide = P4Value(literal: "0x1" + String(repeating: "0", count: 20), width: 100)
    #expect(wide?.bitLength == 81)
    #expect(wide?.hexLiteral == "0x1" + String(repeating: "0", count: 20))
    #expect(P4Value(literal: wide!.decimal, width: 100) == wide)
  }

  /// The byte-level reader accepts a line only when the general reader reads the same entry:
  /// every written line and random corruptions of them (digits, separators, spacing, tokens).
  @Test func fastPathAgreesWithTheGeneralReader() throws {
    let fast = BMv2Commands.FastReader(out.program)
    let lines = BMv2Commands.write(out.entries, program: out.program).split(separator: "\n").map(String.init)
    var rng = SplitMix64(seed: 3)
    let pieces = [
      "0", "1", "9", "_", "0b", "0x", "f", "G", " ", "  ", "\t", "&&&", "->", "=>", "-", "+", "é", "256", "0b2",
    ]
    var accepted = 0
    var rejected = 0
    for round in 0..<4000 {
      var line = lines[Int.random(in: 0...(lines.count - 1), using: &rng)]
      if round % 4 != 0 {
        var chars = Array(line)
        for _ in 0..<Int.random(in: 1...2, using: &rng) {
          let at = Int.random(in: 0...chars.count, using: &rng)
          let piece = Array(pieces[Int.random(in: 0...(pieces.count - 1), using: &rng)])
          if Bool.random(using: &rng) && at < chars.count {
            chars.remove(at: at)
          } else {
            chars.insert(contentsOf: piece, at: at)
          }
        }
        line = String(chars)
      }
      let general: P4Entry?
      do { general = try BMv2Commands.readLine(Substring(line), lineNo: 1, program: out.program, path: "c.txt") } catch
      { general = nil }
      if let f = fast.entry(Substring(line)) {
        #expect(f == general && f.keys.map(\.kind) == general?.keys.map(\.kind), "\(line)")
        accepted += 1
      } else {
        rejected += 1
      }
    }
    #expect(accepted > 1000 && rejected > 1000)
  }
}
