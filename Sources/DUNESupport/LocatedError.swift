/// An error that names where in an input it happened: a file and a line/column or a byte offset.
///
/// Every bad-input path of the project reports through this type so the CLI can print
/// `path:line:col: error: message` (text inputs) or `path: byte offset N: message` (binary inputs).
public struct LocatedError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Location: Sendable, Equatable {
    case none
    case line(Int, column: Int?)
    case byteOffset(Int)
  }

  public var file: String
  public var location: Location
  public var message: String

  public init(file: String, location: Location = .none, _ message: String) {
    self.file = file
    self.location = location
    self.message = message
  }

  public init(file: String, line: Int, column: Int? = nil, _ message: String) {
    self.init(file: file, location: .line(line, column: column), message)
  }

  public init(file: String, offset: Int, _ message: String) {
    self.init(file: file, location: .byteOffset(offset), message)
  }

  public var description: String {
    switch location {
    case .none: return "\(file): error: \(message)"
    case .line(let l, let c?): return "\(file):\(l):\(c): error: \(message)"
    case .line(let l, nil): return "\(file):\(l): error: \(message)"
    case .byteOffset(let o): return "\(file): byte offset \(o): error: \(message)"
    }
  }
}

/// A plain usage or configuration error without a source location.
public struct UsageError: Error, CustomStringConvertible, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "error: \(message)" }
}
