extension ChainRun {
  /// Switch flows (5-tuples) with a packet whose class differs from the flow's first flow-level
  /// decision with a known class, on an earlier packet. Zero under the chain protocol
  /// (`ChainProtocol.decisionPoints`); needs the per-packet arrays (`recordPackets`).
  public func flowsChangingClass(_ replay: Replay) -> Int {
    precondition(packetClass.count == replay.packets.count, "flowsChangingClass needs recordPackets")
    var decided = [UInt8](repeating: 0, count: replay.keyCount)
    var changed = [Bool](repeating: false, count: replay.keyCount)
    for i in replay.packets.indices {
      let key = Int(replay.keyOfFlow[Int(replay.flowOfPacket[i])])
      let c = packetClass[i]
      if decided[key] != 0 {
        if c != decided[key] { changed[key] = true }
      } else if packetFlags[i] & DuneHeader.flowLevel != 0 && c != 0 {
        decided[key] = c
      }
    }
    return changed.reduce(0) { $0 + ($1 ? 1 : 0) }
  }
}
