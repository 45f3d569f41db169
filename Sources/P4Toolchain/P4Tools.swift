import Foundation

/// The open P4 toolchain (p4c, bmv2, the open-source Tofino back end), found on this machine.
///
/// The tools are test oracles, never a dependency: nothing in `dune run` or the default test path
/// needs them. Where they are: `DUNE_P4TOOLS_BIN` (a folder holding the executables), else
/// `$P4TOOLS/install/bin`, else `$HOME/p4tools/install/bin` (the layout of the build recipe in the
/// README, "Generated P4").
public struct P4Tools: Sendable, Equatable {
  /// One executable of the toolchain.
  public enum Tool: String, Sendable, CaseIterable {
    /// P4_16 front and mid end.
    case p4test
    /// The bmv2 back end (v1model → bmv2 JSON).
    case p4cBMv2 = "p4c-bm2-ss"
    /// The bmv2 software switch and its runtime CLI.
    case simpleSwitch = "simple_switch"
    case simpleSwitchCLI = "simple_switch_CLI"
    /// Front/mid end with the open-source `tna.p4` / `t2na.p4`.
    case p4testTNA = "p4test-tna"
    /// The full Tofino compile (PHV, placement) followed by the assembler `bfas`.
    case bfP4cCheck = "bf-p4c-check"
  }

  /// The folder holding the executables.
  public var binDirectory: String

  public init(binDirectory: String) { self.binDirectory = binDirectory }

  /// The toolchain named by the environment (see the type's documentation), or nil when none of the
  /// candidate folders exists.
  public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> P4Tools? {
    var candidates: [String] = []
    if let bin = environment["DUNE_P4TOOLS_BIN"], !bin.isEmpty { candidates.append(bin) }
    if let root = environment["P4TOOLS"], !root.isEmpty { candidates.append(root + "/install/bin") }
    if let home = environment["HOME"], !home.isEmpty { candidates.append(home + "/p4tools/install/bin") }
    var isDirectory: ObjCBool = false
    return candidates.first {
      FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue
    }
    .map(P4Tools.init)
  }

  /// The path of `tool` when it is installed and executable.
  public func path(_ tool: Tool) -> String? {
    let p = (binDirectory as NSString).appendingPathComponent(tool.rawValue)
    return FileManager.default.isExecutableFile(atPath: p) ? p : nil
  }

  /// bmv2's generated Python Thrift modules (`bm_runtime`), installed beside the executables'
  /// folder by the build recipe (`install/bmv2-py`).
  public var bmv2PythonDirectory: String {
    ((binDirectory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("bmv2-py")
  }

  /// What `tool --version` says: the line naming the version (p4c prints it first, bmv2 on its
  /// own), or "unknown" when the tool is absent or silent. `bf-p4c-check` is a wrapper script, so
  /// its compiler, `p4c-barefoot` beside it, is asked instead.
  public func version(of tool: Tool) -> String {
    guard var exe = path(tool) else { return "unknown" }
    if tool == .bfP4cCheck {
      let compiler = ((exe as NSString).deletingLastPathComponent as NSString).appendingPathComponent("p4c-barefoot")
      if FileManager.default.isExecutableFile(atPath: compiler) { exe = compiler }
    }
    guard let r = try? ToolRun.run(exe, ["--version"]) else { return "unknown" }
    let lines = (r.stdout + r.stderr).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.first { $0.lowercased().contains("version") || $0.first?.isNumber == true } ?? lines.first ?? "unknown"
  }

  /// Whether every tool of `tools` is installed.
  public func has(_ tools: Tool...) -> Bool { tools.allSatisfy { path($0) != nil } }

  /// Why a test or command that needs `tools` cannot run here, or nil when it can.
  public static func missing(_ tools: [Tool], environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    guard let found = locate(environment: environment) else {
      return "the P4 toolchain is not installed (set DUNE_P4TOOLS_BIN to the folder with "
        + tools.map(\.rawValue).joined(separator: ", ") + "; README, \"Generated P4\")"
    }
    let absent = tools.filter { found.path($0) == nil }
    guard !absent.isEmpty else { return nil }
    return "\(found.binDirectory) lacks " + absent.map(\.rawValue).joined(separator: ", ")
  }
}
