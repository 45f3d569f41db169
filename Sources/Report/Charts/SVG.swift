/// Small constructors for SVG elements with fixed-precision coordinates (shared by all charts).
enum SVG {
  static let namespace = "http://www.w3.org/2000/svg"
  static let font =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
  static let tickFont = 11.0
  static let labelFont = 12.0
  static let titleFont = 15.0
  static let axisColour = "#333333"
  static let gridColour = "#dddddd"

  /// A coordinate with at most two decimals, trailing zeros dropped (`12`, `12.5`, `12.25`).
  /// Integer arithmetic after one rounding keeps the text identical on every platform.
  static func n(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    // Far outside any drawing; clamped so the integer conversion cannot trap.
    let scaled = Int((Swift.min(Swift.max(x, -1e9), 1e9) * 100).rounded())
    let negative = scaled < 0
    let m = abs(scaled)
    let whole = m / 100
    let frac = m % 100
    var s = negative ? "-" : ""
    s += String(whole)
    if frac != 0 {
      s += frac % 10 == 0 ? ".\(frac / 10)" : (frac < 10 ? ".0\(frac)" : ".\(frac)")
    }
    return s
  }

  static func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: [Attribute] = [],
    _ children: [Node] = []
  ) -> Element {
    Element(
      "rect",
      [
        Attribute("x", n(x)), Attribute("y", n(y)), Attribute("width", n(Swift.max(0, w))),
        Attribute("height", n(Swift.max(0, h))), Attribute("fill", fill),
      ] + extra, children)
  }

  static func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
    dash: String? = nil
  ) -> Element {
    var a = [
      Attribute("x1", n(x1)), Attribute("y1", n(y1)), Attribute("x2", n(x2)),
      Attribute("y2", n(y2)), Attribute("stroke", stroke),
    ]
    if width != 1 { a.append(Attribute("stroke-width", n(width))) }
    if let dash { a.append(Attribute("stroke-dasharray", dash)) }
    return Element("line", a)
  }

  enum Anchor: String {
    case start, middle, end
  }

  /// A text label; `rotate` (degrees) turns it around its anchor point; `halo` draws a white
  /// outline under the glyphs so the label reads on any fill.
  static func text(
    _ s: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = tickFont,
    bold: Bool = false, rotate: Double = 0, fill: String = "#222222", halo: Bool = false,
    baseline: String? = nil, tooltip: String? = nil, cls: String? = nil
  ) -> Element {
    var a = [Attribute("x", n(x)), Attribute("y", n(y))]
    if anchor != .start { a.append(Attribute("text-anchor", anchor.rawValue)) }
    if let baseline { a.append(Attribute("dominant-baseline", baseline)) }
    a.append(Attribute("font-size", n(size)))
    if bold { a.append(Attribute("font-weight", "bold")) }
    if fill != "#222222" { a.append(Attribute("fill", fill)) }
    if halo {
      a += [
        Attribute("stroke", "#ffffff"), Attribute("stroke-width", "3"),
        Attribute("paint-order", "stroke"), Attribute("stroke-linejoin", "round"),
      ]
    }
    if rotate != 0 { a.append(Attribute("transform", "rotate(\(n(rotate)) \(n(x)) \(n(y)))")) }
    if let cls { a.append(Attribute("class", cls)) }
    var children: [Node] = []
    if let tooltip { children.append(.element(Element("title", [], [.text(tooltip)]))) }
    children.append(.text(s))
    return Element("text", a, children)
  }

  static func group(_ cls: String, _ children: [Element], extra: [Attribute] = []) -> Element {
    Element("g", [Attribute("class", cls)] + extra, children.map { .element($0) })
  }

  /// A marker of shape `kind` (cycled: circle, square, triangle, diamond, inverted triangle,
  /// cross) centred at (x, y): shapes differ so series stay apart without colour.
  static func marker(_ kind: Int, x: Double, y: Double, r: Double, colour: String) -> Element {
    switch kind % 6 {
    case 0:
      return Element(
        "circle",
        [
          Attribute("cx", n(x)), Attribute("cy", n(y)), Attribute("r", n(r)),
          Attribute("fill", colour),
        ])
    case 1:
      return rect(x - r, y - r, 2 * r, 2 * r, fill: colour)
    case 2:
      return path(
        "M\(n(x)) \(n(y - r * 1.2))L\(n(x + r * 1.1)) \(n(y + r * 0.8))L\(n(x - r * 1.1)) \(n(y + r * 0.8))Z",
        fill: colour)
    case 3:
      return path(
        "M\(n(x)) \(n(y - r * 1.3))L\(n(x + r * 1.3)) \(n(y))L\(n(x)) \(n(y + r * 1.3))L\(n(x - r * 1.3)) \(n(y))Z",
        fill: colour)
    case 4:
      return path(
        "M\(n(x)) \(n(y + r * 1.2))L\(n(x + r * 1.1)) \(n(y - r * 0.8))L\(n(x - r * 1.1)) \(n(y - r * 0.8))Z",
        fill: colour)
    default:
      return Element(
        "path",
        [
          Attribute(
            "d",
            "M\(n(x - r)) \(n(y - r))L\(n(x + r)) \(n(y + r))M\(n(x - r)) \(n(y + r))L\(n(x + r)) \(n(y - r))"
          ),
          Attribute("stroke", colour), Attribute("stroke-width", "2"), Attribute("fill", "none"),
        ])
    }
  }

  static func path(_ d: String, fill: String) -> Element {
    Element("path", [Attribute("d", d), Attribute("fill", fill)])
  }

  /// Dash pattern of line series `i`: solid, dashed, dotted, dash-dot (cycled).
  static func dash(_ i: Int) -> String? {
    [nil, "6 3", "2 3", "8 3 2 3"][i % 4]
  }

  /// The root `<svg>` with `<title>`, `<desc>` and the accessibility wiring; ids start with `id`.
  static func root(
    id: String, width: Double, height: Double, labels: ChartLabels, defs: [Element] = [],
    body: [Element]
  ) -> Element {
    var children: [Node] = [
      .element(Element("title", [], [.text(labels.title)])),
      .element(Element("desc", [], [.text(labels.description)])),
    ]
    if !defs.isEmpty { children.append(.element(Element("defs", [], defs.map { .element($0) }))) }
    children.append(
      .element(
        text(
          labels.title, x: width / 2, y: 22, anchor: .middle, size: titleFont, bold: true,
          cls: "chart-title")))
    children += body.map { .element($0) }
    // Whole-pixel sizes (HTML's width/height must be integers); the first children `<title>`
    // and `<desc>` give the accessible name and description of `role="img"` (SVG-AAM), without
    // ids that HTML checkers mistake for the page's `<title>`.
    let w = Int(width.rounded(.up))
    let h = Int(height.rounded(.up))
    return Element(
      "svg",
      [
        Attribute("xmlns", namespace), Attribute("id", id), Attribute("class", "chart"),
        Attribute("viewBox", "0 0 \(w) \(h)"), Attribute("width", String(w)),
        Attribute("height", String(h)), Attribute("role", "img"),
        Attribute("style", "font-family: \(font)"),
      ], children)
  }

  /// A small chart that says there is nothing to plot (still titled and described).
  static func noData(id: String, labels: ChartLabels) -> Element {
    root(
      id: id, width: 480, height: 110, labels: labels,
      body: [
        rect(
          0.5, 36.5, 479, 60, fill: "#f7f7f7",
          extra: [Attribute("stroke", "#bbbbbb"), Attribute("stroke-dasharray", "4 3")]),
        text("No data", x: 240, y: 71, anchor: .middle, size: 13, fill: "#555555", cls: "no-data"),
      ])
  }
}
