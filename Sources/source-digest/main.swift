import DUNESupport
import Foundation

// Writes the Swift file behind `SourceDigests`: per module, the SHA-256 of its source files (each as
// its path relative to the module folder, its length and its bytes, in path order) and its direct
// dependencies. Relative names only, so every checkout of the same sources gets the same digests.
//
// Usage (from SourceDigestPlugin):
//   source-digest OUTPUT [--external NAME ORIGIN]... [--module NAME --dependencies A,B --directory DIR FILE...]...

struct Module {
  var name: String
  var dependencies: [String]
  var directory: String
  var files: [String] = []
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("source-digest: error: \(message)\n".utf8))
  exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard !arguments.isEmpty else { fail("missing output path") }
let output = arguments.removeFirst()
var modules: [Module] = []
var externals: [String: String] = [:]
var i = 0
while i < arguments.count {
  switch arguments[i] {
  case "--external":
    guard i + 2 < arguments.count else { fail("--external needs a name and an origin") }
    externals[arguments[i + 1]] = arguments[i + 2]
    i += 3
  case "--module":
    guard i + 5 < arguments.count, arguments[i + 2] == "--dependencies", arguments[i + 4] == "--directory" else {
      fail("--module NAME --dependencies LIST --directory DIR expected at argument \(i + 2)")
    }
    let dependencies = arguments[i + 3].split(separator: ",").map(String.init)
    modules.append(Module(name: arguments[i + 1], dependencies: dependencies, directory: arguments[i + 5]))
    i += 6
  default:
    guard !modules.isEmpty else { fail("file '\(arguments[i])' before any --module") }
    modules[modules.count - 1].files.append(arguments[i])
    i += 1
  }
}

func relative(_ path: String, to directory: String) -> String {
  let prefix = directory.hasSuffix("/") ? directory : directory + "/"
  guard path.hasPrefix(prefix) else { fail("\(path) is not inside its module folder \(directory)") }
  return String(path.dropFirst(prefix.count))
}

var digests: [String: String] = [:]
for module in modules {
  var hash = SHA256()
  for (name, path) in module.files.map({ (relative($0, to: module.directory), $0) }).sorted(by: { $0.0 < $1.0 }) {
    guard let bytes = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    hash.update("\(name)\u{0}\(bytes.count)\u{0}")
    hash.update(bytes)
  }
  digests[module.name] = SHA256.hexString(hash.finalize())
}
for (name, origin) in externals where digests[name] == nil { digests[name] = SHA256.hex("external \(origin)") }

func literal(_ s: String) -> String {
  "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
var text = "// Generated at build time by source-digest (SourceDigestPlugin): do not edit.\n\n"
text += "extension SourceDigests {\n"
text += "  /// Module name → SHA-256 of its sources (products of other packages: of their version and revision).\n"
text += "  public static let modules: [String: String] = [\n"
for name in digests.keys.sorted() { text += "    \(literal(name)): \(literal(digests[name]!)),\n" }
text += "  ]\n\n"
text += "  /// Module name → the modules and products it depends on directly.\n"
text += "  public static let dependencies: [String: [String]] = [\n"
for module in modules.sorted(by: { $0.name < $1.name }) {
  text += "    \(literal(module.name)): [\(module.dependencies.map(literal).joined(separator: ", "))],\n"
}
text += "  ]\n}\n"

// Unchanged output keeps its modification time, so nothing downstream recompiles.
if FileManager.default.contents(atPath: output) != Data(text.utf8) {
  do { try AtomicFile.write(Data(text.utf8), to: output) } catch { fail("cannot write \(output): \(error)") }
}
