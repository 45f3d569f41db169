import DUNESupport
import Foundation

/// Decodes a `Decodable` type from a `Value` tree, reporting errors as `ArgumentError`s with a key path.
///
/// Integers are accepted where a floating-point number is expected; a `Double` with an integral
/// value is accepted for an integer. Strings are never converted to numbers: a quoted "3" is an error.
public struct ValueDecoder {
  /// A decoder with no user info.
  public init() {}

  /// Decodes `type` from `value`; throws `ArgumentError` naming the offending path.
  public func decode<T: Decodable>(_ type: T.Type, from value: Value) throws -> T {
    do {
      return try T(from: ValueDecoding(value: value, codingPath: []))
    } catch let e as ArgumentError {
      throw e
    } catch let e as DecodingError {
      throw ArgumentError(decodingError: e)
    }
  }
}

/// A problem with one step argument: which argument (a dotted path) and what is wrong.
public struct ArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Dotted path of the argument (`expect.1.value`); empty for the whole argument mapping.
  public var path: [String]
  /// What is wrong, phrased for a diagnostic.
  public var message: String

  public init(path: [String], _ message: String) {
    self.path = path
    self.message = message
  }

  init(decodingError: DecodingError) {
    switch decodingError {
    case .keyNotFound(let key, let ctx):
      let path = ctx.codingPath.map(\.stringValue)
      self.init(path: path, "missing argument '\((path + [key.stringValue]).joined(separator: "."))'")
    case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
      self.init(path: ctx.codingPath.map(\.stringValue), ctx.debugDescription)
    @unknown default:
      self.init(path: [], "\(decodingError)")
    }
  }

  public var description: String { message }
}

private struct ValueDecoding: Decoder {
  let value: Value
  let codingPath: [CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let o) = value else { throw mismatch(codingPath, "a mapping", value) }
    return KeyedDecodingContainer(KeyedValueContainer<Key>(object: o, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> UnkeyedDecodingContainer {
    guard case .array(let a) = value else { throw mismatch(codingPath, "a list", value) }
    return UnkeyedValueContainer(items: a, codingPath: codingPath)
  }

  func singleValueContainer() throws -> SingleValueDecodingContainer {
    SingleValueContainer(value: value, codingPath: codingPath)
  }
}

private func mismatch(_ path: [CodingKey], _ expected: String, _ found: Value) -> ArgumentError {
  let name = path.map(\.stringValue).joined(separator: ".")
  let subject = name.isEmpty ? "arguments" : "argument '\(name)'"
  return ArgumentError(
    path: path.map(\.stringValue),
    "\(subject): expected \(expected), found \(found.typeDescription) \(found.canonicalJSON)")
}

private struct IndexKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(_ i: Int) {
    stringValue = String(i)
    intValue = i
  }
  init?(stringValue: String) {
    self.stringValue = stringValue
    intValue = Int(stringValue)
  }
  init?(intValue: Int) { self.init(intValue) }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let object: [String: Value]
  let codingPath: [CodingKey]
  var allKeys: [Key] { object.keys.sorted().compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

  private func child(_ key: Key) throws -> ValueDecoding {
    guard let v = object[key.stringValue] else {
      throw ArgumentError(
        path: codingPath.map(\.stringValue) + [key.stringValue],
        "missing argument '\((codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'")
    }
    return ValueDecoding(value: v, codingPath: codingPath + [key])
  }

  func decodeNil(forKey key: Key) throws -> Bool { object[key.stringValue] == nil || object[key.stringValue] == .null }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).singleValue().decode(type) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).singleValue().decode(type) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).singleValue().decode(type) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).singleValue().decode(type) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).singleValue().decode(type) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).singleValue().decode(type) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).singleValue().decode(type) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).singleValue().decode(type) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).singleValue().decode(type) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).singleValue().decode(type) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).singleValue().decode(type) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).singleValue().decode(type) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).singleValue().decode(type) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).singleValue().decode(type) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let c = try child(key)
    if let v = c.value as? T, T.self == Value.self { return v }
    return try T(from: c)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  { try child(key).container(keyedBy: type) }
  func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
  func superDecoder() throws -> Decoder { ValueDecoding(value: .object(object), codingPath: codingPath) }
  func superDecoder(forKey key: Key) throws -> Decoder { try child(key) }
}

extension ValueDecoding {
  fileprivate func singleValue() -> SingleValueContainer { SingleValueContainer(value: value, codingPath: codingPath) }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
  let items: [Value]
  let codingPath: [CodingKey]
  var currentIndex = 0
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  init(items: [Value], codingPath: [CodingKey]) {
    self.items = items
    self.codingPath = codingPath
  }

  private mutating func next() throws -> ValueDecoding {
    guard !isAtEnd else {
      throw ArgumentError(path: codingPath.map(\.stringValue), "list has too few elements")
    }
    defer { currentIndex += 1 }
    return ValueDecoding(value: items[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
  }

  mutating func decodeNil() throws -> Bool {
    if !isAtEnd, items[currentIndex] == .null {
      currentIndex += 1
      return true
    }
    return false
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let c = try next()
    if let v = c.value as? T, T.self == Value.self { return v }
    return try T(from: c)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  { try next().container(keyedBy: type) }
  mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
  mutating func superDecoder() throws -> Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
  let value: Value
  let codingPath: [CodingKey]

  func decodeNil() -> Bool { value == .null }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard case .bool(let b) = value else { throw mismatch(codingPath, "a boolean", value) }
    return b
  }

  func decode(_ type: String.Type) throws -> String {
    guard case .string(let s) = value else { throw mismatch(codingPath, "a string", value) }
    return s
  }

  func decode(_ type: Double.Type) throws -> Double {
    guard let d = value.number else { throw mismatch(codingPath, "a number", value) }
    return d
  }

  func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

  private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
    switch value {
    case .int(let i):
      if let v = I(exactly: i) { return v }
    case .double(let d):
      if let v = I(exactly: d) { return v }
    default: break
    }
    throw mismatch(codingPath, "an integer", value)
  }

  func decode(_ type: Int.Type) throws -> Int { try integer(type) }
  func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
  func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if type == Value.self { return value as! T }
    return try T(from: ValueDecoding(value: value, codingPath: codingPath))
  }
}
