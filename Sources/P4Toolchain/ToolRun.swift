import Foundation

/// A finished run of an external tool: its exit status and what it printed.
public struct ToolRun: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  public var seconds: Double

  /// Runs `executable` with `arguments` in `directory`, feeding `input` to its standard input, and
  /// waits for it. Output is collected concurrently so a chatty tool never blocks on a full pipe.
  public static func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil, input: String? = nil,
    environment: [String: String]? = nil
  ) throws -> ToolRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input == nil ? FileHandle.nullDevice : inp
    let start = Date()
    try process.run()
    // stderr is drained on another thread while this one writes the input and drains stdout.
    let errBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errBox.data = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if let input {
      let writer = inp.fileHandleForWriting
      let bytes = Data(input.utf8)
      group.enter()
      DispatchQueue.global().async {
        writer.write(bytes)
        try? writer.close()
        group.leave()
      }
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    group.wait()
    return ToolRun(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errBox.data, as: UTF8.self), seconds: Date().timeIntervalSince(start))
  }
}

/// Bytes handed from a reader thread to the waiting one (the group's wait orders the accesses).
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
