import ArgumentParser
import DUNESupport
import Foundation

/// Runs `body`; a project error is printed to standard error as a compiler-style diagnostic
/// (`path:line:col: error: …`) and turned into exit code 1 instead of a stack trace.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch let e as ExitCode {
    throw e
  } catch let e as CleanExit {
    throw e
  } catch let e as ValidationError {
    throw e
  } catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    throw ExitCode(1)
  }
}

/// Prints `text` followed by a newline to standard output, without buffering surprises.
func printOut(_ text: String) {
  FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
