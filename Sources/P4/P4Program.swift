/// A target-neutral P4_16 program: headers, metadata, parser, ingress declarations and control flow.
///
/// The model is built once per switch (one sub-model of the chain) and printed by a `P4Emitter`
/// for bmv2/v1model or Tofino/TNA. Architecture details (package, intrinsic metadata, register
/// externs, digest mechanics) are the emitter's business; everything that is the same on both
/// targets — names, widths, tables, entries' shapes, apply order — lives here, so the two programs
/// cannot drift apart.
public struct P4Program: Sendable, Equatable {
  /// Program name (file stem and bfrt program name), a valid P4 identifier.
  public var name: String
  /// Comment lines printed at the top of the file (provenance, model summary).
  public var banner: [String]
  /// Named compile-time constants (`const bit<W> NAME = value;`).
  public var constants: [P4Constant]
  /// Packet headers in deparser (emit) order.
  public var headers: [P4Header]
  /// The user metadata struct's fields.
  public var metadata: [P4Field]
  /// The digest sent to the controller (whole bytes).
  public var digest: P4Digest?
  /// Parser states; the first is entered after the target's intrinsic-metadata prologue.
  public var parserStates: [P4ParserState]
  /// Metadata assignments done once at parser start (TNA does not zero metadata for us).
  public var metadataInit: [P4Field]
  /// Per-flow register arrays and the operations the program performs on them.
  public var registers: [P4Register]
  /// Hash computations (CRC16 slot index, CRC32 flow identity).
  public var hashes: [P4Hash]
  /// Actions declared in the ingress control.
  public var actions: [P4Action]
  /// Tables declared in the ingress control.
  public var tables: [P4Table]
  /// The ingress apply block.
  public var ingress: [P4Stmt]
  /// Name of the ingress control (runtime names are prefixed with it).
  public var ingressControl: String
  /// The model-evaluation statements (feature → code → vote → class map), also embedded in
  /// `ingress`; the entry evaluator executes exactly these against the runtime entries.
  public var inferenceBlock: [P4Stmt] = []

  public init(
    name: String, banner: [String] = [], constants: [P4Constant] = [], headers: [P4Header] = [],
    metadata: [P4Field] = [], digest: P4Digest? = nil, parserStates: [P4ParserState] = [],
    metadataInit: [P4Field] = [], registers: [P4Register] = [], hashes: [P4Hash] = [],
    actions: [P4Action] = [], tables: [P4Table] = [], ingress: [P4Stmt] = [],
    ingressControl: String = "DuneIngress"
  ) {
    self.name = name
    self.banner = banner
    self.constants = constants
    self.headers = headers
    self.metadata = metadata
    self.digest = digest
    self.parserStates = parserStates
    self.metadataInit = metadataInit
    self.registers = registers
    self.hashes = hashes
    self.actions = actions
    self.tables = tables
    self.ingress = ingress
    self.ingressControl = ingressControl
  }

  /// The table called `name`, if declared.
  public func table(_ name: String) -> P4Table? { tables.first { $0.name == name } }
  /// The action called `name`, if declared.
  public func action(_ name: String) -> P4Action? { actions.first { $0.name == name } }
  /// The width of a metadata field, if declared.
  public func metadataWidth(_ name: String) -> Int? { metadata.first { $0.name == name }?.width }
}

/// A named unsigned constant of a fixed width.
public struct P4Constant: Sendable, Equatable {
  public var name: String
  public var width: Int
  public var value: UInt64
  /// Print the value in hexadecimal (EtherTypes, flag masks).
  public var hex: Bool
  public init(_ name: String, width: Int, value: UInt64, hex: Bool = false) {
    self.name = name
    self.width = width
    self.value = value
    self.hex = hex
  }
}

/// A field of a header, struct or action: a name and a `bit<W>` width.
public struct P4Field: Sendable, Equatable {
  public var name: String
  public var width: Int
  public init(_ name: String, _ width: Int) {
    self.name = name
    self.width = width
  }
}

/// A packet header type and its instance name in the headers struct.
public struct P4Header: Sendable, Equatable {
  /// Type name (`ethernet_h`).
  public var typeName: String
  /// Instance name in `headers_t` (`ethernet`).
  public var instance: String
  public var fields: [P4Field]
  public init(typeName: String, instance: String, fields: [P4Field]) {
    self.typeName = typeName
    self.instance = instance
    self.fields = fields
  }
  /// Total width in bits (targets require a multiple of 8).
  public var bitWidth: Int { fields.reduce(0) { $0 + $1.width } }
}

/// The digest struct and its receiver id (v1model) / digest type (TNA).
public struct P4Digest: Sendable, Equatable {
  public var typeName: String
  /// Each field and the expression that fills it when the digest is generated.
  public var fields: [(field: P4Field, value: P4Expr)]
  public init(typeName: String, fields: [(field: P4Field, value: P4Expr)]) {
    self.typeName = typeName
    self.fields = fields
  }
  public static func == (a: P4Digest, b: P4Digest) -> Bool {
    a.typeName == b.typeName && a.fields.map(\.field) == b.fields.map(\.field)
      && a.fields.map(\.value) == b.fields.map(\.value)
  }
}

/// One parser state: headers to extract, then a transition.
public struct P4ParserState: Sendable, Equatable {
  public var name: String
  /// Header instances extracted in order.
  public var extracts: [String]
  /// Metadata assignments done in this state (after the extracts).
  public var assignments: [(lhs: String, rhs: P4Expr)]
  public var transition: P4Transition
  public init(
    name: String, extracts: [String] = [], assignments: [(lhs: String, rhs: P4Expr)] = [],
    transition: P4Transition
  ) {
    self.name = name
    self.extracts = extracts
    self.assignments = assignments
    self.transition = transition
  }
  public static func == (a: P4ParserState, b: P4ParserState) -> Bool {
    a.name == b.name && a.extracts == b.extracts && a.assignments.map(\.lhs) == b.assignments.map(\.lhs)
      && a.assignments.map(\.rhs) == b.assignments.map(\.rhs) && a.transition == b.transition
  }
}

/// A parser transition: `accept`, a direct state, or a `select` on one expression.
public enum P4Transition: Sendable, Equatable {
  case accept
  case state(String)
  /// `select(k1, k2, …) { (v1, v2, …): state; … default: otherwise }`; each key carries the width
  /// its case values are printed at.
  case select(on: [(expr: P4Expr, width: Int)], cases: [(values: [UInt64], state: String)], otherwise: String)

  public static func == (a: P4Transition, b: P4Transition) -> Bool {
    switch (a, b) {
    case (.accept, .accept): return true
    case (.state(let x), .state(let y)): return x == y
    case (.select(let k1, let c1, let o1), .select(let k2, let c2, let o2)):
      return k1.map(\.expr) == k2.map(\.expr) && k1.map(\.width) == k2.map(\.width) && o1 == o2
        && c1.map(\.values) == c2.map(\.values) && c1.map(\.state) == c2.map(\.state)
    default: return false
    }
  }
}

/// Where the hash input comes from and which CRC it is.
public struct P4Hash: Sendable, Equatable {
  public enum Algorithm: String, Sendable { case crc16, crc32 }
  public var name: String
  public var algorithm: Algorithm
  /// Output width (16 for the slot index, 32 for the identity).
  public var width: Int
  /// Metadata field receiving the result.
  public var output: String
  public var inputs: [P4Expr]
  public init(name: String, algorithm: Algorithm, width: Int, output: String, inputs: [P4Expr]) {
    self.name = name
    self.algorithm = algorithm
    self.width = width
    self.output = output
    self.inputs = inputs
  }
}
