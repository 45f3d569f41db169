/// Rules of the distributed protocol that the chain emulator and the generated programs share.
public enum ChainProtocol {
  /// The packet index at which each switch of a chain *announces* its flow-level decision: the
  /// largest inference point of the switches up to and including it (chain order, first first).
  ///
  /// Why: switch k computes its flow-level class at its own N_k (features frozen from then on) and
  /// caches it, but if an upstream switch i < k has N_i > N_k, announcing at N_k would let switch i
  /// claim the same flow later with another class (two digests; packets carrying two classes). An
  /// upstream switch has passed its own decision point by packet max(N_1…N_k), and then either
  /// decided (the header says so, switch k forwards) or cached `Other` for good, so a decision
  /// announced there is never contradicted: after a flow's first flow-level decision with a known
  /// class anywhere on the path, every later packet carries that class. Between N_k and the decision
  /// point switch k reports its cached class typed as packet level. When inference points never
  /// decrease along the path, every decision point equals its inference point (nothing changes).
  public static func decisionPoints(inferencePoints: [Int]) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(inferencePoints.count)
    var m = 0
    for n in inferencePoints {
      m = max(m, n)
      out.append(m)
    }
    return out
  }

  /// The packet index before which the controller's reaction to a digest sent while packet `index`
  /// was processed takes effect: the controller polls every `period` packets and acts on everything
  /// received since its last poll (flow entries on every switch, the slot's registers zeroed). A
  /// period, rather than a fixed delay, lets a real switch chain reproduce the emulator exactly:
  /// the packets of one period are independent of the controller, so each switch can process a
  /// whole period before the next one does.
  public static func controllerActionIndex(digestAt index: Int, period: Int) -> Int {
    (index / period + 1) * period
  }
}
