import DataPlane

// The parser: Ethernet → shim → IPv4 (with options) → TCP/UDP.

extension DuneProgramBuilder.Builder {
  /// IPv4 options: IHL 6...15 carries 1...10 option words. Each word is a header of its own
  /// (`ipv4_opt_j` = the word j positions before the end of the options), extracted by a chain of
  /// fixed states — no header stack, parser counter or `varbit`, which TNA parsers do not all
  /// support — and declared last word first, so the deparser re-emits them in wire order.
  static let optionWords = Array((0..<10).reversed())

  mutating func parser() {
    // The options of IHL = 5 + k are the k words ipv4_opt_(k-1) ... ipv4_opt_0, then TCP/UDP
    // exactly as without options (the capture reader skips options the same way).
    // Keyed on (fragment offset, IHL): a non-first fragment carries no L4 header, so it is parsed
    // no further (the capture reader drops such packets; the switch only forwards them).
    let optionCases = (1...10).map { k in ([0, UInt64(5 + k)], "parse_ipv4_opt_\(k - 1)") }
    let optionStates = Self.optionWords.map { j in
      P4ParserState(
        name: "parse_ipv4_opt_\(j)", extracts: ["ipv4_opt_\(j)"],
        transition: .state(j == 0 ? "parse_l4" : "parse_ipv4_opt_\(j - 1)"))
    }
    program.parserStates =
      [
        P4ParserState(
          name: "parse_ethernet", extracts: ["ethernet"],
          transition: .select(
            on: [(.ref("hdr.ethernet.ether_type"), 16)],
            cases: [([UInt64(options.etherType)], "parse_dune"), ([0x0800], "parse_ipv4")], otherwise: "accept")),
        P4ParserState(
          name: "parse_dune", extracts: ["dune"],
          transition: .select(
            on: [(.ref("hdr.dune.orig_ether_type"), 16)], cases: [([0x0800], "parse_ipv4")], otherwise: "accept")),
        // IHL < 5 is malformed: no L4 header is parsed.
        P4ParserState(
          name: "parse_ipv4", extracts: ["ipv4"],
          transition: .select(
            on: [(.ref("hdr.ipv4.frag_offset"), 13), (.ref("hdr.ipv4.ihl"), 4)],
            cases: [([0, 5], "parse_l4")] + optionCases, otherwise: "accept")),
      ] + optionStates + [
        P4ParserState(
          name: "parse_l4",
          transition: .select(
            on: [(.ref("hdr.ipv4.protocol"), 8)], cases: [([6], "parse_tcp"), ([17], "parse_udp")], otherwise: "accept")
        ),
        P4ParserState(
          name: "parse_tcp", extracts: ["tcp"],
          assignments: [("meta.src_port", .ref("hdr.tcp.src_port")), ("meta.dst_port", .ref("hdr.tcp.dst_port"))],
          transition: .accept),
        P4ParserState(
          name: "parse_udp", extracts: ["udp"],
          assignments: [("meta.src_port", .ref("hdr.udp.src_port")), ("meta.dst_port", .ref("hdr.udp.dst_port"))],
          transition: .accept),
      ]
  }
}
