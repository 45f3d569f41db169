import DUNESupport

/// Line and scatter charts: two numeric axes, series told apart by colour, marker shape and dash.
extension ChartRenderer {
  static func lineChart(_ c: LineChart, id: String) -> Element {
    xyPlot(
      id: id, labels: c.labels, series: c.series, lines: true, markers: c.markers,
      xDecimals: c.xDecimals, yDecimals: c.yDecimals)
  }

  static func scatter(_ c: ScatterChart, id: String) -> Element {
    xyPlot(
      id: id, labels: c.labels, series: c.series, lines: false, markers: true, xDecimals: nil,
      yDecimals: nil)
  }

  private static func xyPlot(
    id: String, labels: ChartLabels, series: [PointSeries], lines: Bool, markers: Bool,
    xDecimals: Int?, yDecimals: Int?
  ) -> Element {
    let finite = series.flatMap { $0.points }.filter { $0.x.isFinite && $0.y.isFinite }
    guard !finite.isEmpty else { return SVG.noData(id: id, labels: labels) }
    let xs = finite.map(\.x)
    let ys = finite.map(\.y)
    let xScale = NiceScale(
      min: xs.min()!, max: xs.max()!, maxTicks: 8,
      integerSteps: xs.allSatisfy { $0 == $0.rounded() })
    let yScale = NiceScale(min: ys.min()!, max: ys.max()!, maxTicks: 6)
    let xLabel = { (v: Double) in NumberFormat.fixed(v, xDecimals ?? xScale.decimals) }
    let yLabel = { (v: Double) in NumberFormat.fixed(v, yDecimals ?? yScale.decimals) }

    let plotW = 480.0
    let plotH = 260.0
    let maxYTickW = yScale.ticks.map { TextMetrics.width(yLabel($0), fontSize: SVG.tickFont) }
      .max()!
    let left = 12 + (labels.yLabel.isEmpty ? 0 : 18) + maxYTickW + 6
    let width = max(
      left + plotW + 24, TextMetrics.width(labels.title, fontSize: SVG.titleFont) + 24)
    let items = series.enumerated().map { (i, s) -> (String, Legend.Swatch) in
      let colour = Palette.series(i)
      return (
        s.name,
        lines
          ? .line(colour: colour, dash: SVG.dash(i), marker: markers ? i : nil)
          : .marker(colour: colour, marker: i)
      )
    }
    let (legend, legendH) = Legend.layout(items, left: left, top: 34, width: width - left - 12)
    let pointLabels = lines && series.count == 1 && finite.count <= 16
    let plotTop = 34 + legendH + (pointLabels ? 16 : 8)
    let plotBottom = plotTop + plotH
    let height = plotBottom + 18 + (labels.xLabel.isEmpty ? 0 : 20) + 8
    func x(_ v: Double) -> Double { left + xScale.fraction(v) * plotW }
    func y(_ v: Double) -> Double { plotBottom - yScale.fraction(v) * plotH }

    var body: [Element] = []
    if let legend { body.append(legend) }
    var axis: [Element] = []
    for t in yScale.ticks {
      axis.append(SVG.line(left, y(t), left + plotW, y(t), stroke: SVG.gridColour))
      axis.append(SVG.text(yLabel(t), x: left - 6, y: y(t) + 4, anchor: .end))
    }
    for t in xScale.ticks {
      axis.append(SVG.line(x(t), plotTop, x(t), plotBottom, stroke: SVG.gridColour))
      axis.append(SVG.text(xLabel(t), x: x(t), y: plotBottom + 14, anchor: .middle))
    }
    axis.append(SVG.line(left, plotBottom, left + plotW, plotBottom, stroke: SVG.axisColour))
    axis.append(SVG.line(left, plotTop, left, plotBottom, stroke: SVG.axisColour))
    body.append(SVG.group("axis", axis))
    if !labels.yLabel.isEmpty {
      body.append(
        SVG.text(
          labels.yLabel, x: 16, y: plotTop + plotH / 2, anchor: .middle, size: SVG.labelFont,
          rotate: -90, baseline: "middle", cls: "axis-label"))
    }
    if !labels.xLabel.isEmpty {
      body.append(
        SVG.text(
          labels.xLabel, x: left + plotW / 2, y: height - 10, anchor: .middle, size: SVG.labelFont,
          cls: "axis-label"))
    }

    for (i, s) in series.enumerated() {
      let colour = Palette.series(i)
      var els: [Element] = []
      if lines {
        // A non-finite point breaks the line rather than being joined across.
        var d = ""
        var penDown = false
        for p in s.points {
          guard p.x.isFinite && p.y.isFinite else {
            penDown = false
            continue
          }
          d += (penDown ? "L" : "M") + "\(SVG.n(x(p.x))) \(SVG.n(y(p.y)))"
          penDown = true
        }
        if !d.isEmpty {
          var a = [
            Attribute("d", d), Attribute("fill", "none"), Attribute("stroke", colour),
            Attribute("stroke-width", "2"),
          ]
          if let dash = SVG.dash(i) { a.append(Attribute("stroke-dasharray", dash)) }
          els.append(Element("path", a, [.element(Element("title", [], [.text(s.name)]))]))
        }
      }
      for p in s.points where p.x.isFinite && p.y.isFinite {
        if markers {
          els.append(SVG.marker(i, x: x(p.x), y: y(p.y), r: lines ? 3.5 : 4, colour: colour))
        }
        if pointLabels {
          els.append(
            SVG.text(yLabel(p.y), x: x(p.x), y: y(p.y) - 7, anchor: .middle, size: 10, halo: true))
        }
      }
      body.append(SVG.group("series", els, extra: [Attribute("aria-label", s.name)]))
    }
    return SVG.root(id: id, width: width, height: height, labels: labels, body: body)
  }
}
