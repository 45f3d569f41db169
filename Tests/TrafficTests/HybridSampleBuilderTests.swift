import DUNESupport
import Testing

@testable import Traffic

@Suite struct HybridSampleBuilderTests {
  /// Flow A: 4 TCP packets with uneven gaps; flow B (reverse direction): 1 packet; flow C: UDP, 2 packets.
  func sample() -> [Packet] {
    [
      pkt(1_000_000_000, len: 60, flags: 0x02, window: 1000, words: 10),  // A1 SYN
      pkt(1_000_500_000, src: 0x0A00_0002, dst: 0x0A00_0001, sport: 80, dport: 1000, len: 60, flags: 0x12),  // B1
      pkt(1_000_000_333 + 1_000_000, len: 52, flags: 0x10),  // A2: d2 = 1_000_333 ns
      pkt(1_002_001_000, src: 0x0A00_0003, sport: 5353, dport: 5353, proto: 17, len: 100, udpLen: 80),  // C1
      pkt(1_003_000_334, len: 500, flags: 0x18),  // A3: d3 = 2_000_001 ns
      pkt(1_004_001_000, src: 0x0A00_0003, sport: 5353, dport: 5353, proto: 17, len: 120, udpLen: 100),  // C2
      pkt(1_009_000_000, len: 52, flags: 0x11),  // A4: d4 = 5_999_666
      pkt(1_010_000_000, len: 40, flags: 0x10),  // A5 (after N for all N ≤ 4)
    ]
  }

  func build(_ ns: [Int], _ packets: [Packet]) -> HybridSampleBuilder {
    var b = HybridSampleBuilder(inferencePoints: ns, file: "f.pcap")
    for (i, p) in packets.enumerated() { b.add(p, label: i == 1 ? "server" : "dev") }
    return b
  }

  @Test func flowRowAggregatesAtN3() {
    let t = build([3], sample()).rows(n: 3).table()
    // Packet rows: A1, B1, A2, C1, C2 (capture order), then the flow row of A (its 3rd packet).
    #expect(t.rowCount == 6)
    #expect(
      t.flowIDs == [
        "10.0.0.1 10.0.0.2 1000 80 6", "10.0.0.2 10.0.0.1 80 1000 6", "10.0.0.1 10.0.0.2 1000 80 6",
        "10.0.0.3 10.0.0.2 5353 5353 17", "10.0.0.3 10.0.0.2 5353 5353 17", "10.0.0.1 10.0.0.2 1000 80 6",
      ])
    for r in 0..<5 {
      #expect(t.isPacketRow(r))
      for c in FeatureCatalog.flowColumns { #expect(value(t, c, r) == -1) }
    }
    let f = 5
    #expect(!t.isPacketRow(f))
    // Packet features of the 3rd packet.
    #expect(value(t, "ip.len", f) == 500)
    #expect(value(t, "tcp.flags.push", f) == 1)
    #expect(value(t, "tcp.flags.ack", f) == 1)
    #expect(value(t, "tcp.flags.syn", f) == 0)
    // Aggregates over packets 1..3.
    #expect(value(t, "Min Packet Length", f) == 52)
    #expect(value(t, "Max Packet Length", f) == 500)
    #expect(value(t, "Packet Length Total", f) == 612)
    #expect(value(t, "Packet Length Mean", f) == 204)
    #expect(value(t, "UDP Len Min", f) == 0)
    #expect(value(t, "UDP Len Max", f) == 0)
    #expect(value(t, "Packet Count", f) == 3)
    #expect(value(t, "Flow IAT Min", f) == 1_000_333)
    #expect(value(t, "Flow IAT Max", f) == 2_000_001)
    #expect(value(t, "Flow Duration", f) == 3_000_334)
    #expect(value(t, "Flow IAT Mean", f) == 1_500_167)  // 3_000_334 / 2
    #expect(value(t, "SYN Flag Count", f) == 1)
    #expect(value(t, "ACK Flag Count", f) == 2)
    #expect(value(t, "PSH Flag Count", f) == 1)
    #expect(value(t, "FIN Flag Count", f) == 0)
    #expect(t.labels == ["dev", "server", "dev", "dev", "dev", "dev"])
  }

  @Test func iatMeanRoundsToNearestNanosecond() {
    let t = build([4], sample()).rows(n: 4).table()
    let f = t.rowCount - 1
    #expect(value(t, "Packet Count", f) == 4)
    #expect(value(t, "Flow Duration", f) == 9_000_000)
    #expect(value(t, "Flow IAT Mean", f) == 3_000_000)
    #expect(value(t, "Flow IAT Max", f) == 5_999_666)
    #expect(value(t, "FIN Flag Count", f) == 1)
    #expect(value(t, "Packet Length Mean", f) == 664.0 / 4)
    // 1000 ns over 3 gaps = 333.33… → 333; 2000 ns → 666.67 → 667.
    var b = HybridSampleBuilder(inferencePoints: [4], file: "x")
    for t in [0, 300, 700, 1000] as [Int64] { b.add(pkt(t), label: "a") }
    #expect(value(b.rows(n: 4).table(), "Flow IAT Mean", 3) == 333)
    var c = HybridSampleBuilder(inferencePoints: [4], file: "x")
    for t in [0, 600, 1400, 2000] as [Int64] { c.add(pkt(t), label: "a") }
    #expect(value(c.rows(n: 4).table(), "Flow IAT Mean", 3) == 667)
  }

  @Test func shortFlowsGiveOnlyPacketRows() {
    let b = build([2, 3, 4], sample())
    // N = 4: A1..A3 packet rows, B1, C1, C2 packet rows, one flow row for A.
    let t4 = b.rows(n: 4).table()
    #expect(t4.rowCount == 7)
    #expect((0..<7).filter { !t4.isPacketRow($0) } == [6])
    // N = 2: A1, B1, C1 packet rows; flow rows for A (at A2) and C (at C2).
    let t2 = b.rows(n: 2).table()
    #expect(t2.rowCount == 5)
    #expect(t2.flowIDs[3] == "10.0.0.1 10.0.0.2 1000 80 6")
    #expect(t2.flowIDs[4] == "10.0.0.3 10.0.0.2 5353 5353 17")
    #expect(value(t2, "UDP Len Min", 4) == 80)
    #expect(value(t2, "UDP Len Max", 4) == 100)
    #expect(value(t2, "Flow IAT Min", 4) == 2_000_000)
    #expect(value(t2, "Flow IAT Mean", 4) == 2_000_000)
    // Every flow's L counts all its packets.
    let lengths = b.flowLengths.map { "\($0.flowID)=\($0.packetCount)/\($0.label)" }
    #expect(
      lengths == [
        "10.0.0.1 10.0.0.2 1000 80 6=5/dev", "10.0.0.2 10.0.0.1 80 1000 6=1/server",
        "10.0.0.3 10.0.0.2 5353 5353 17=2/dev",
      ])
  }

  /// Flow rows take the first packet's label; packet rows keep their own.
  @Test func flowRowLabelIsFirstPacketLabel() {
    var b = HybridSampleBuilder(inferencePoints: [2], file: "x")
    b.add(pkt(0), label: "first")
    b.add(pkt(10), label: "second")
    #expect(b.rows(n: 2).labels == ["first", "first"])
    var c = HybridSampleBuilder(inferencePoints: [3], file: "x")
    c.add(pkt(0), label: "first")
    c.add(pkt(10), label: "second")
    c.add(pkt(20), label: "third")
    #expect(c.rows(n: 3).labels == ["first", "second", "first"])
  }

  /// Invariants on random traffic: one pass for several N equals separate passes; per flow,
  /// min(L, N−1) packet rows and one flow row iff L ≥ N; rows = Σ min(L, N).
  @Test func propertiesOnRandomTraffic() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<20 {
      var ps: [Packet] = []
      var t: Int64 = 0
      for _ in 0..<rng.int(in: 1...300) {
        t += Int64(rng.int(in: 0...5000))
        ps.append(
          pkt(
            t, sport: UInt16(rng.int(in: 1...8)), proto: rng.unit() < 0.5 ? 6 : 17,
            len: UInt16(rng.int(in: 40...1500)), flags: UInt8(rng.int(in: 0...255)),
            udpLen: UInt16(rng.int(in: 8...1000))))
      }
      var all = HybridSampleBuilder(inferencePoints: [2, 3, 4, 7], file: "x")
      for p in ps { all.add(p, label: "a") }
      for n in [2, 3, 4, 7] {
        var one = HybridSampleBuilder(inferencePoints: [n], file: "x")
        for p in ps { one.add(p, label: "a") }
        let a = all.rows(n: n)
        let o = one.rows(n: n)
        #expect(a.values == o.values && a.flowIDs == o.flowIDs)
        let expectedRows = all.flowLengths.reduce(0) { $0 + min($1.packetCount, n) }
        let flowRows = all.flowLengths.filter { $0.packetCount >= n }.count
        let table = a.table()
        #expect(table.rowCount == expectedRows)
        #expect((0..<table.rowCount).filter { !table.isPacketRow($0) }.count == flowRows)
        for r in 0..<table.rowCount where !table.isPacketRow(r) {
          #expect(value(table, "Flow IAT Min", r) <= value(table, "Flow IAT Mean", r) + 0.5)
          #expect(value(table, "Flow IAT Mean", r) <= value(table, "Flow IAT Max", r) + 0.5)
          #expect(value(table, "Min Packet Length", r) <= value(table, "Max Packet Length", r))
          #expect(value(table, "Packet Count", r) == Double(n))
        }
      }
      #expect(all.flowLengths.reduce(0) { $0 + $1.packetCount } == ps.count)
    }
  }
}
