import Foundation
import PackagePlugin

/// Build-tool plugin: embeds a digest of every module's sources, and the module graph, into the
/// target it is applied to (`SourceDigests`), so step cache keys change when the code that computes
/// a step changes.
///
/// Every source file of every non-test module is an input of the generated file, so the build
/// system re-runs the tool exactly when a source file changes (and re-plans when files are added or
/// removed). Products of other packages enter as their name, version and revision.
@main
struct SourceDigestPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
    let tool = try context.tool(named: "source-digest")
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("SourceDigests+Generated.swift")
    var arguments = [output.path]
    var inputs: [URL] = []
    for module in context.package.targets where module.name != target.name {
      let files: [URL]
      if let source = module as? SourceModuleTarget {
        guard source.kind == .generic || source.kind == .executable else { continue }
        // Documentation catalogues do not compute anything.
        files = source.sourceFiles.map(\.url).filter { !$0.path.contains(".docc") }
      } else if let system = module as? SystemLibraryTarget {
        files = Self.regularFiles(in: system.directoryURL)
      } else {
        continue
      }
      var dependencies: [String] = []
      for dependency in module.dependencies {
        switch dependency {
        case .target(let t) where t.name != target.name: dependencies.append(t.name)
        case .target: break
        case .product(let p):
          dependencies.append(p.name)
          arguments += ["--external", p.name, Self.origin(of: p, in: context.package)]
        @unknown default: break
        }
      }
      arguments += [
        "--module", module.name, "--dependencies", dependencies.sorted().joined(separator: ","), "--directory",
        module.directoryURL.path,
      ]
      arguments += files.map(\.path)
      inputs += files
    }
    return [
      .buildCommand(
        displayName: "Digesting module sources for \(target.name)", executable: tool.url, arguments: arguments,
        inputFiles: inputs, outputFiles: [output])
    ]
  }

  /// Files (not folders) under `directory`, recursively.
  static func regularFiles(in directory: URL) -> [URL] {
    guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    else { return [] }
    var out: [URL] = []
    for case let url as URL in walker
    where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
      out.append(url)
    }
    return out
  }

  /// `<package identity> <version> <revision>` of the package that vends `product`.
  static func origin(of product: Product, in root: Package) -> String {
    var queue = root.dependencies.map(\.package)
    var seen = Set<String>()
    while let package = queue.popLast() {
      guard seen.insert(package.id).inserted else { continue }
      if package.products.contains(where: { $0.id == product.id }) {
        switch package.origin {
        case .repository(let url, let version, let revision):
          return "\(package.id) \(version) \(revision) \(url.split(separator: "/").last ?? "")"
        case .registry(let identity, let version): return "\(identity) \(version)"
        case .local(let path): return "\(package.id) local \((path as NSString).lastPathComponent)"
        case .root: return "\(package.id) root"
        @unknown default: return package.id
        }
      }
      queue += package.dependencies.map(\.package)
    }
    return product.name
  }
}
