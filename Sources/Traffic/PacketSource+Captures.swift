/// The production packet source: capture files read by `CaptureReader`.
extension PacketSource {
  /// Reads pcap/pcapng files from disk, streaming (memory does not grow with the capture).
  public static let captures = PacketSource { path, body in
    let reader = try CaptureReader(path: path)
    while let p = try reader.next() { body(p) }
    let s = reader.stats
    var skipped: [String: Int] = [:]
    for r in CaptureSkipReason.allCases where s.skipped(r) > 0 { skipped[r.rawValue] = s.skipped(r) }
    return Counts(framesRead: s.packetsRead, decoded: s.decoded, skipped: skipped)
  }
}
