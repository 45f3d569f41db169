/// One node of a markup tree: an element, escaped text, or trusted markup copied verbatim.
///
/// Text is always escaped by the writer; only `.trusted` bypasses escaping, so every place that
/// creates one must have checked the markup first (see `XMLCheck` and `TrustedHTML`).
public enum Node: Sendable, Equatable, Hashable {
  /// A child element.
  case element(Element)
  /// Character data, escaped on output (`&`, `<`, `>`), with invalid XML characters replaced.
  case text(String)
  /// Markup written verbatim (already well-formed XML: checked prose or caller-built SVG).
  case trusted(String)
}

/// A markup element: a name, attributes in the order given, and children.
///
/// Attribute order is preserved exactly, which keeps the serialised bytes stable. Names are code
/// constants; the writer still replaces characters that cannot appear in an XML name.
public struct Element: Sendable, Equatable, Hashable {
  /// Tag name, e.g. `div`, `svg`, `rect`.
  public var name: String
  /// Attributes as ordered (name, value) pairs; values are escaped on output.
  public var attributes: [Attribute]
  /// Child nodes in document order.
  public var children: [Node]

  /// Creates an element; `attributes` keep their order.
  public init(_ name: String, _ attributes: [Attribute] = [], _ children: [Node] = []) {
    self.name = name
    self.attributes = attributes
    self.children = children
  }

  /// Creates an element from `(name, value)` pairs, keeping their order.
  public init(_ name: String, attrs: KeyValuePairs<String, String>, _ children: [Node] = []) {
    self.init(name, attrs.map { Attribute($0.key, $0.value) }, children)
  }
}

/// One attribute of an element.
public struct Attribute: Sendable, Equatable, Hashable {
  /// Attribute name, e.g. `class`, `viewBox`.
  public var name: String
  /// Unescaped value; the writer escapes `&`, `<`, `>`, `"` and whitespace controls.
  public var value: String

  /// Creates an attribute.
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

extension Element {
  /// Appends a child element.
  public mutating func append(_ child: Element) { children.append(.element(child)) }
  /// Appends a text child.
  public mutating func append(text: String) { children.append(.text(text)) }
  /// The value of the first attribute called `name`, if any.
  public func attribute(_ name: String) -> String? {
    attributes.first(where: { $0.name == name })?.value
  }
}
