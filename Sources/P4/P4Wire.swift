/// Headers on the wire between two switches of a replay, without strings: each header is a kind
/// (an index into the producer's `Layout`) and its field values in the layout's field order.
/// A `Link`, built once per producer/consumer pair, says which of the consumer's names each kind
/// is and where the fields its parser extracts come from.
struct P4Wire: Sendable {
  /// The instance and field names of the header kinds a producer emits.
  struct Layout: Sendable, Equatable {
    var instances: [String]
    var fields: [[String]]
  }

  /// Per producer kind: the consumer's name id of the instance (-1: never named by it), and for
  /// each field an extract of that name writes, the kind's field index (-1: absent, reads 0).
  struct Link: Sendable {
    var nameID: [Int]
    var fieldSource: [[Int]]
  }

  var kinds: [Int] = []
  var starts: [Int] = []
  var values: [UInt64] = []

  mutating func removeAll() {
    kinds.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
  }

  /// Starts a header of `kind`; its field values follow in `values`.
  mutating func begin(kind: Int) {
    kinds.append(kind)
    starts.append(values.count)
  }

  mutating func append(kind: Int, _ fieldValues: [UInt64]) {
    begin(kind: kind)
    values += fieldValues
  }

  /// The value of field `field` of the header at `position`.
  func value(_ position: Int, _ field: Int) -> UInt64 { values[starts[position] + field] }

  /// The named form (`[(instance, fields)]`) under `layout`.
  func headers(_ layout: Layout) -> [(instance: String, fields: [String: UInt64])] {
    kinds.indices.map { i in
      let k = kinds[i]
      var fields: [String: UInt64] = [:]
      for (j, name) in layout.fields[k].enumerated() where fields[name] == nil { fields[name] = value(i, j) }
      return (layout.instances[k], fields)
    }
  }
}
