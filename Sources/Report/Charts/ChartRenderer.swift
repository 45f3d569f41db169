/// Draws `ChartSpec`s as SVG element trees (inline in pages) or standalone SVG files.
///
/// Layout is deterministic: sizes come from the data counts and estimated text widths, coordinates
/// are printed with at most two decimals, and every element id starts with the caller's `id`
/// (`<chapter>-<figure>`), so several charts on one page never collide and re-rendering gives
/// the same bytes.
public enum ChartRenderer {
  /// The chart as an `<svg>` element with `xmlns`, `viewBox`, `<title>` and `<desc>`; ids start
  /// with `id` (sanitised to letters, digits, `-`, `_`, `.`).
  public static func svg(_ spec: ChartSpec, id: String) -> Element {
    let id = sanitizedID(id)
    switch spec {
    case .bar(let c): return bar(c, id: id)
    case .line(let c): return lineChart(c, id: id)
    case .heatmap(let c): return heatmap(c, id: id)
    case .scatter(let c): return scatter(c, id: id)
    }
  }

  /// The chart as a standalone `.svg` file (XML declaration, LF endings, trailing newline).
  public static func standaloneSVG(_ spec: ChartSpec, id: String) -> String {
    XHTMLWriter.svgDocument(svg(spec, id: id))
  }

  /// `id` with every character other than ASCII letters, digits, `-`, `_` and `.` replaced by
  /// `-` (ids end up in `url(#…)` references, where spaces or quotes would break them).
  public static func sanitizedID(_ id: String) -> String {
    var out = ""
    for s in id.unicodeScalars {
      switch s {
      case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": out.unicodeScalars.append(s)
      default: out += "-"
      }
    }
    return out.isEmpty ? "chart" : out
  }
}
