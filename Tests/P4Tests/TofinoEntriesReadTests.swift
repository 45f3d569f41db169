import DUNESupport
import DataPlane
import Foundation
import Testing

@testable import P4

/// The Tofino entries JSON read back: exact round trip, and located errors for files that do not
/// fit the program (what the bfrt loader would reject or, worse, load wrongly).
@Suite struct TofinoEntriesReadTests {
  static func toy() throws -> (program: P4Program, entries: P4EntrySet, json: String) {
    let out = try DuneProgramBuilder.build(try toyCompiled(), name: "toy")
    return (out.program, out.entries, TofinoEntries.json(out.entries, program: out.program))
  }

  /// The error thrown when reading `json` (nil if it reads).
  static func error(_ json: String, _ program: P4Program) -> LocatedError? {
    do {
      _ = try TofinoEntries.read(json, program: program, path: "t.json")
      return nil
    } catch let e as LocatedError {
      return e
    } catch {
      return LocatedError(file: "?", "\(error)")
    }
  }

  @Test func roundTrip() throws {
    let t = try Self.toy()
    #expect(try TofinoEntries.read(t.json, program: t.program) == t.entries)
  }

  @Test func locatedErrors() throws {
    let t = try Self.toy()
    let lines = t.json.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let entryLine = lines.firstIndex { $0.contains("\"table\": \"DuneIngress.feature_0\"") }!
    func replacing(_ old: String, _ new: String) -> String {
      var l = lines
      l[entryLine] = l[entryLine].replacingOccurrences(of: old, with: new)
      return l.joined(separator: "\n")
    }
    // Wrong format tag, other program.
    #expect(
      Self.error(t.json.replacingOccurrences(of: TofinoEntries.format, with: "x/2"), t.program)?.message.contains(
        "format") == true)
    #expect(
      Self.error(t.json.replacingOccurrences(of: "\"program\": \"toy\"", with: "\"program\": \"other\""), t.program)
        != nil)
    // A range bound that does not fit the 16-bit key, a missing bound, an unknown key, a float.
    let wide = Self.error(replacing("\"feature0_end\": ", "\"feature0_end\": 9999999"), t.program)
    #expect(wide?.message.contains("16-bit") == true)
    if case .line(let l, let c?)? = wide?.location {
      #expect(l == entryLine + 1 && c > 1)
    } else {
      Issue.record("unlocated: \(String(describing: wide))")
    }
    #expect(
      Self.error(replacing("\"feature0_start\"", "\"feature9_start\""), t.program)?.message.contains("missing") == true)
    #expect(
      Self.error(replacing("\"priority\": 1", "\"priority\": 1.5"), t.program)?.message.contains("priority") == true)
    // Truncated file: the position of the end is named.
    let cut = Self.error(String(t.json.prefix(t.json.count / 2)), t.program)
    #expect(cut != nil && cut?.file == "t.json")
    if case .line(let l, _)? = cut?.location {
      #expect(l > 1)
    } else {
      Issue.record("no line in \(String(describing: cut))")
    }
  }

  @Test func readBackNamesTheFileThatDisagrees() throws {
    let compiled = try toyCompiled()
    let g = try P4Generator.generate(switchName: "s1", model: compiled, targets: [.bmv2, .tofino])
    #expect(try P4Verification.readBack(g) == g.entries)
    var tampered = g
    let i = tampered.artifacts.firstIndex { $0.path.hasSuffix(".entries.json") }!
    // Drop the last entry line (keeping valid JSON): the set differs from the generated one.
    var lines = tampered.artifacts[i].text.split(separator: "\n").map(String.init)
    let last = lines.lastIndex { $0.hasPrefix("    {") }!
    lines.remove(at: last)
    lines[last - 1] = String(lines[last - 1].dropLast(lines[last - 1].hasSuffix(",") ? 1 : 0))
    tampered.artifacts[i].text = lines.joined(separator: "\n") + "\n"
    #expect(throws: LocatedError.self) { try P4Verification.readBack(tampered) }
    do {
      _ = try P4Verification.readBack(tampered)
    } catch let e as LocatedError {
      #expect(e.file.hasSuffix("s1.entries.json") && e.message.contains("read back"))
    }
  }
}
