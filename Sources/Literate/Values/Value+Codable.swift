import Foundation

/// JSON round trip for cache entries: integers stay integers, numbers with a fraction stay doubles.
extension Value: Codable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
      return
    }
    if let b = try? c.decode(Bool.self) {
      self = .bool(b)
      return
    }
    if let i = try? c.decode(Int.self) {
      self = .int(i)
      return
    }
    if let d = try? c.decode(Double.self) {
      self = .double(d)
      return
    }
    if let s = try? c.decode(String.self) {
      self = .string(s)
      return
    }
    if let a = try? c.decode([Value].self) {
      self = .array(a)
      return
    }
    self = .object(try c.decode([String: Value].self))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .int(let i): try c.encode(i)
    case .double(let d): try c.encode(d)
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }

  /// Parses JSON text into a value.
  public static func parseJSON(_ data: Data) throws -> Value {
    try JSONDecoder().decode(Value.self, from: data)
  }
}
