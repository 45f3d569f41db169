import DUNESupport
import Foundation

/// Chapters + registry → a validated `Plan`, or every problem as a located diagnostic before anything runs.
///
/// Checks: known step kinds; well-formed references to earlier steps, declared outputs and declared
/// parameters; arguments that decode into the kind's typed arguments (references stand in as
/// placeholders of the declared output type); literal input files that exist.
public enum Planner {
  /// Builds the plan. `projectRoot` is used only to check that literal input files exist.
  public static func plan(
    chapters: [Chapter], registry: StepRegistry, overrides: [String: Value] = [:], selection: Selection = Selection(),
    projectRoot: URL
  ) throws -> Plan {
    var errors: [LocatedError] = []
    var steps: [PlannedStep] = []
    // Ids of every block seen so far, including ones that failed planning: a reference to those is
    // not reported again (the block's own error already is).
    var seenIDs: Set<String> = []
    var parameters: [String: [String: Value]] = [:]

    let declared = Set(chapters.flatMap { $0.parameters.keys })
    for name in overrides.keys.sorted() where !declared.contains(name) {
      throw UsageError(
        "-P \(name): no chapter declares a parameter '\(name)' (declared: \(declared.sorted().joined(separator: ", ")))"
      )
    }

    for chapter in chapters {
      var resolved = chapter.parameters
      for (k, v) in overrides where resolved[k] != nil { resolved[k] = v }
      parameters[chapter.name] = resolved
      let ref = ChapterRef(path: chapter.path, name: chapter.name)

      for block in chapter.steps {
        defer { seenIDs.insert(block.id) }
        func fail(_ position: SourcePosition, _ message: String) {
          errors.append(LocatedError(file: chapter.path, line: position.line, column: position.column, message))
        }
        guard let kind = registry.kind(named: block.kind) else {
          fail(block.position, "unknown step kind '\(block.kind)' (known: \(registry.names.joined(separator: ", ")))")
          continue
        }
        let found: [(path: [String], reference: Reference)]
        do {
          found = try References.scan(block.arguments)
        } catch {
          fail(
            block.position(ofArgument: error.path),
            "malformed reference '\(error.text)' (use ${step.<id>.<output>}, ${file.<id>.<name>} or ${params.<name>})")
          continue
        }

        var upstream: [String: Int] = [:]
        var stepParameters: [String: Value] = [:]
        var placeholders: [Reference: Value] = [:]
        var anyTyped: [[String]] = []
        var ok = true
        for (path, reference) in found {
          switch reference {
          case .parameter(let name):
            guard let v = resolved[name] else {
              fail(
                block.position(ofArgument: path),
                "unknown parameter '\(name)' (declared in front matter: \(resolved.keys.sorted().joined(separator: ", ")))"
              )
              ok = false
              continue
            }
            stepParameters[name] = v
            placeholders[reference] = v
          case .step(let id, let output, let subpath):
            guard let target = findStep(id: id, before: steps, chapter: chapter.name) else {
              ok = false
              if seenIDs.contains(id) { continue }
              let later = chapters.contains { $0.steps.contains { $0.id == id } }
              fail(
                block.position(ofArgument: path),
                later
                  ? "reference to step '\(id)', which does not come before this step"
                  : "reference to unknown step '\(id)'")
              continue
            }
            guard let type = steps[target].kind.outputType(output) else {
              let names = steps[target].kind.outputs.map(\.name).joined(separator: ", ")
              fail(
                block.position(ofArgument: path),
                "step '\(id)' (\(steps[target].block.kind)) has no output '\(output)' (outputs: \(names))")
              ok = false
              continue
            }
            upstream[id] = target
            let effective: ValueType = subpath.isEmpty ? type : .any
            if effective == .any { anyTyped.append(path) }
            placeholders[reference] = effective.placeholder
          case .file(let id, _):
            guard let target = findStep(id: id, before: steps, chapter: chapter.name) else {
              ok = false
              if seenIDs.contains(id) { continue }
              fail(block.position(ofArgument: path), "reference to unknown step '\(id)'")
              continue
            }
            upstream[id] = target
            placeholders[reference] = .string("")
          }
        }
        guard ok else { continue }

        // Typed argument check with placeholders standing in for upstream values.
        do {
          let substituted = try References.substitute(block.arguments) { r, _ in placeholders[r] ?? .null }
          try kind.validate(substituted)
        } catch let e as ArgumentError {
          let underAny = anyTyped.contains { e.path.starts(with: $0) }
          if !underAny { fail(block.position(ofArgument: e.path), e.message) }
        } catch {
          fail(block.position, "\(error)")
        }

        // Literal input files must exist now; referenced ones are checked when the step runs.
        var inputs: [String] = []
        for name in kind.inputArguments {
          guard let raw = block.arguments.value(at: [name]) else { continue }
          inputs.append(name)
          let literals: [(String, [String])]
          switch raw {
          case .string(let s): literals = [(s, [name])]
          case .array(let items):
            literals = items.enumerated().compactMap { i, v in v.stringValue.map { ($0, [name, String(i)]) } }
          default: literals = []
          }
          for (p, argPath) in literals where !p.contains("${") && !kind.optionalInputArguments.contains(name) {
            let full = p.hasPrefix("/") ? p : projectRoot.appendingPathComponent(p).path
            if !FileManager.default.fileExists(atPath: full) {
              fail(block.position(ofArgument: argPath), "input file '\(p)' not found")
            }
          }
        }

        let code: [String: String]
        do {
          code = try registry.code.digests(definingModule: kind.definingModule, declared: kind.codeModules)
        } catch {
          fail(
            block.position,
            "step kind '\(kind.name)' uses module '\(error.name)', which has no source digest in this build (modules: \(registry.code.modules.keys.sorted().joined(separator: ", ")))"
          )
          continue
        }

        steps.append(
          PlannedStep(
            index: steps.count, chapter: ref, block: block, kind: kind, upstream: upstream,
            parameters: stepParameters, inputArguments: inputs, code: code))
      }
    }
    if !errors.isEmpty { throw Diagnostics(errors) }

    let targets = try selectTargets(steps: steps, selection: selection, chapters: chapters)
    var needed = Set(targets)
    for i in targets.reversed() { needed.formUnion(upstreamClosure(of: i, in: steps)) }
    return Plan(chapters: chapters, steps: steps, targets: targets, closure: needed.sorted(), parameters: parameters)
  }

  /// The nearest earlier step called `id`: same chapter first, then earlier chapters, latest first.
  static func findStep(id: String, before steps: [PlannedStep], chapter: String) -> Int? {
    if let same = steps.lastIndex(where: { $0.chapter.name == chapter && $0.block.id == id }) { return same }
    return steps.lastIndex(where: { $0.block.id == id })
  }

  static func upstreamClosure(of index: Int, in steps: [PlannedStep]) -> Set<Int> {
    var seen = Set<Int>()
    var stack = [index]
    while let i = stack.popLast() {
      for u in steps[i].upstream.values where seen.insert(u).inserted { stack.append(u) }
    }
    return seen
  }

  private static func selectTargets(steps: [PlannedStep], selection: Selection, chapters: [Chapter]) throws -> [Int] {
    var candidates = Array(steps.indices)
    if !selection.chapters.isEmpty {
      var names = Set<String>()
      for wanted in selection.chapters {
        let stem = ((wanted as NSString).lastPathComponent as NSString).deletingPathExtension
        let matches = chapters.filter { $0.name == stem || $0.name.hasPrefix(stem) }
        guard !matches.isEmpty else {
          throw UsageError("no chapter matches '\(wanted)' (chapters: \(chapters.map(\.name).joined(separator: ", ")))")
        }
        names.formUnion(matches.map(\.name))
      }
      candidates = candidates.filter { names.contains(steps[$0].chapter.name) }
    }
    func locate(_ id: String, _ flag: String) throws -> Int {
      guard let i = candidates.first(where: { steps[$0].block.id == id || steps[$0].label == id }) else {
        throw UsageError("\(flag) \(id): no such step in the selected chapters")
      }
      return i
    }
    if let from = selection.from {
      let i = try locate(from, "--from")
      candidates = candidates.filter { $0 >= i }
    }
    if let until = selection.until {
      let i = try locate(until, "--until")
      candidates = candidates.filter { $0 <= i }
    }
    return candidates
  }
}
