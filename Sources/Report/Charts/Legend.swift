/// The legend of a chart: one swatch and name per series, laid out left to right in rows.
struct Legend {
  /// How a series is drawn, so its swatch matches.
  enum Swatch {
    case bar(colour: String, hatch: Int, hatchID: String?)
    case line(colour: String, dash: String?, marker: Int?)
    case marker(colour: String, marker: Int)
  }

  static let rowHeight = 18.0

  /// Lays out `items` in rows no wider than `width`, starting at `top`; returns the group and
  /// the height it takes (0 when there is at most one item, which needs no legend).
  static func layout(_ items: [(String, Swatch)], left: Double, top: Double, width: Double)
    -> (Element?, Double)
  {
    guard items.count > 1 else { return (nil, 0) }
    var x = left
    var y = top
    var out: [Element] = []
    for (name, swatch) in items {
      let label = TextMetrics.truncate(name, fontSize: SVG.tickFont, maxWidth: 220)
      let w = 22 + TextMetrics.width(label, fontSize: SVG.tickFont) + 14
      if x > left && x + w > left + width {
        x = left
        y += rowHeight
      }
      out += swatchElements(swatch, x: x, y: y)
      out.append(
        SVG.text(label, x: x + 22, y: y + 10, tooltip: label == name ? nil : name))
      x += w
    }
    return (SVG.group("legend", out), y + rowHeight - top + 4)
  }

  static func swatchElements(_ s: Swatch, x: Double, y: Double) -> [Element] {
    switch s {
    case .bar(let colour, let hatch, let hatchID):
      var els = [SVG.rect(x, y + 1, 16, 11, fill: colour)]
      if hatch > 0, let hatchID {
        els.append(SVG.rect(x, y + 1, 16, 11, fill: "url(#\(hatchID))"))
      }
      return els
    case .line(let colour, let dash, let marker):
      var els = [SVG.line(x, y + 6.5, x + 18, y + 6.5, stroke: colour, width: 2, dash: dash)]
      if let marker { els.append(SVG.marker(marker, x: x + 9, y: y + 6.5, r: 3.5, colour: colour)) }
      return els
    case .marker(let colour, let marker):
      return [SVG.marker(marker, x: x + 9, y: y + 6.5, r: 4, colour: colour)]
    }
  }
}
