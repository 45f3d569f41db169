/// Expressions common to both targets. Architecture-specific values are `intrinsic` and are
/// spelled by the emitter (`standard_metadata.ingress_port` versus `ig_intr_md.ingress_port`).
public indirect enum P4Expr: Sendable, Equatable {
  /// A path such as `hdr.ipv4.ttl` or `meta.slot`, or an action parameter name.
  case ref(String)
  /// A named constant declared in `P4Program.constants`.
  case constant(String)
  /// A sized literal, printed as `<width>w<value>`.
  case int(UInt64, width: Int)
  case intrinsic(P4Intrinsic)
  /// Infix operator (`+`, `|+|`, `-`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `&`, `|`, `<<`).
  case binary(String, P4Expr, P4Expr)
  case not(P4Expr)
  /// `(bit<W>)e`.
  case cast(Int, P4Expr)
  /// `e[hi:lo]`.
  case slice(P4Expr, hi: Int, lo: Int)
  /// `hdr.x.isValid()`.
  case isValid(String)
}

/// Values only the architecture knows how to name.
public enum P4Intrinsic: String, Sendable, Equatable {
  /// The ingress port (9 bits on both targets).
  case ingressPort
  /// Bits [47:16] of the ingress timestamp in nanoseconds (bmv2: µs × 1000), 32 bits.
  case timestampNsHigh
  /// Bits [15:0] of the ingress timestamp in nanoseconds, 16 bits.
  case timestampNsLow
}

/// Statements of apply blocks and action bodies.
public indirect enum P4Stmt: Sendable, Equatable {
  case assign(String, P4Expr)
  /// `t.apply();`
  case apply(String)
  /// `if (t.apply().hit) { … } else { … }`
  case applyHit(String, hit: [P4Stmt], miss: [P4Stmt])
  /// A direct action call `a();` (only parameterless actions).
  case call(String)
  case ifElse(P4Expr, [P4Stmt], [P4Stmt])
  /// Compute the hash called `name` into its output field.
  case hash(String)
  /// Execute operation `op` of register `register` at the slot index; the result goes to `output`.
  case register(String, op: String, output: String)
  /// Send the program's digest to the controller.
  case digest
  case drop
  /// Set the unicast egress port.
  case setEgress(P4Expr)
  case setValid(String)
  case setInvalid(String)
  case comment(String)
}

/// A per-flow register array and the read-modify-write operations performed on it.
///
/// Every operation returns a value into a metadata field. On TNA each operation becomes one
/// `RegisterAction` and the program must execute at most one of them per packet (the checker
/// verifies that every path through the apply block touches each register at most once).
public struct P4Register: Sendable, Equatable {
  public var name: String
  /// Width of an element, or of each half of a pair.
  public var width: Int
  public var size: Int
  public var operations: [P4RegisterOp]
  /// Each element is a pair of `width`-bit halves, `first` and `second`, read and updated together by
  /// one stateful-ALU operation (on bmv2 a `2·width`-bit register, `first` in the high half).
  public var pair: Bool
  public init(name: String, width: Int, size: Int, operations: [P4RegisterOp], pair: Bool = false) {
    self.name = name
    self.width = width
    self.size = size
    self.operations = operations
    self.pair = pair
  }

  /// Bits per element (both halves of a pair).
  public var elementWidth: Int { pair ? 2 * width : width }
}

/// One stateful operation on a register element.
public struct P4RegisterOp: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// Return the old value, store the constant.
    case readThenSet(UInt64)
    /// Return the old value.
    case read
    /// Store `e`, return it.
    case write(P4Expr)
    /// Return the old value, store `e`.
    case swap(P4Expr)
    /// Store `e`, return `e − old` (modulo 2^width): the elapsed time when `e` is a timestamp,
    /// computed by the stateful ALU beside the store instead of a stage later.
    case swapDifference(P4Expr)
    /// Store and return `old |+| e` (saturating).
    case addSaturating(P4Expr)
    /// Store and return `max(old, e)`.
    case max(P4Expr)
    /// Store and return `min(old, e)`.
    case min(P4Expr)
    /// Pair registers: claim the element for flow identity `e`. When it is free (`second` = 0) or
    /// already `e`'s (`first` = e): store `first = e`, `second = second |+| 1` and return the new
    /// `second` (the flow's packet count, ≥ 1); otherwise (another flow holds it) change nothing and
    /// return 0.
    case claim(P4Expr)

    /// The expression the operation reads from the packet, or nil for reads and constant stores.
    public var input: P4Expr? {
      switch self {
      case .write(let e), .swap(let e), .swapDifference(let e), .addSaturating(let e), .max(let e), .min(let e),
        .claim(let e):
        return e
      case .read, .readThenSet: return nil
      }
    }
  }
  public var name: String
  public var kind: Kind
  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }
}

/// Match kinds used by the DUNE programs.
public enum P4MatchKind: String, Sendable, Equatable, Codable {
  case exact, ternary, range
  /// True if entries of a table with such a key need a priority.
  public var needsPriority: Bool { self != .exact }
}

/// A table key: the matched expression, its match kind and width, and its stable runtime name.
public struct P4Key: Sendable, Equatable {
  public var field: String
  public var match: P4MatchKind
  public var width: Int
  /// `@name(...)` of the key: the runtime (P4Runtime / bfrt) key name.
  public var name: String
  public init(field: String, match: P4MatchKind, width: Int, name: String) {
    self.field = field
    self.match = match
    self.width = width
    self.name = name
  }
}

/// An action: typed parameters and a straight-line body.
public struct P4Action: Sendable, Equatable {
  public var name: String
  public var params: [P4Field]
  public var body: [P4Stmt]
  public init(name: String, params: [P4Field] = [], body: [P4Stmt]) {
    self.name = name
    self.params = params
    self.body = body
  }
}

/// An action with constant arguments (a table's default action).
public struct P4ActionCall: Sendable, Equatable {
  public var action: String
  public var args: [P4Value]
  public init(_ action: String, _ args: [P4Value] = []) {
    self.action = action
    self.args = args
  }
}

/// A match-action table.
public struct P4Table: Sendable, Equatable {
  public var name: String
  public var keys: [P4Key]
  public var actions: [String]
  public var defaultAction: P4ActionCall
  /// Whether the default action is `const` (cannot be changed by the control plane).
  public var constDefault: Bool
  public var size: Int
  public init(
    name: String, keys: [P4Key], actions: [String], defaultAction: P4ActionCall,
    constDefault: Bool = false, size: Int
  ) {
    self.name = name
    self.keys = keys
    self.actions = actions
    self.defaultAction = defaultAction
    self.constDefault = constDefault
    self.size = size
  }
  /// True if entries need a priority (any ternary or range key).
  public var needsPriority: Bool { keys.contains { $0.match.needsPriority } }
}
