import DUNESupport

/// Heatmaps: a row × column grid on the viridis-like scale with a colour legend.
extension ChartRenderer {
  static func heatmap(_ c: Heatmap, id: String) -> Element {
    let rows = c.rowLabels.count
    let cols = c.columnLabels.count
    func value(_ r: Int, _ k: Int) -> Double? {
      guard r < c.values.count, k < c.values[r].count, let v = c.values[r][k], v.isFinite else {
        return nil
      }
      return v
    }
    let all = (0..<rows).flatMap { r in (0..<cols).compactMap { value(r, $0) } }
    guard rows > 0, cols > 0, !all.isEmpty else { return SVG.noData(id: id, labels: c.labels) }
    // Without a fixed range the colour scale spans the nice bounds around the data, so both ends
    // of the legend carry a round, labelled value.
    let dataScale = NiceScale(min: all.min()!, max: all.max()!, maxTicks: 5)
    let lo = c.range?.lowerBound ?? dataScale.lower
    let hi = c.range?.upperBound ?? dataScale.upper
    func t(_ v: Double) -> Double { hi > lo ? (v - lo) / (hi - lo) : 0.5 }
    let fmt = { (v: Double) in NumberFormat.fixed(v, c.decimals) }

    let rowLabels = c.rowLabels.map {
      TextMetrics.truncate($0, fontSize: SVG.tickFont, maxWidth: 220)
    }
    let colLabels = c.columnLabels.map {
      TextMetrics.truncate($0, fontSize: SVG.tickFont, maxWidth: 150)
    }
    let maxRowW = rowLabels.map { TextMetrics.width($0, fontSize: SVG.tickFont) }.max()!
    let maxColW = colLabels.map { TextMetrics.width($0, fontSize: SVG.tickFont) }.max()!
    let valueW = c.showValues ? all.map { TextMetrics.width(fmt($0), fontSize: 10) }.max()! + 6 : 0
    let cellW = min(56, max(16, valueW, 560 / Double(cols)))
    let cellH = c.showValues ? 22.0 : min(22, max(14, 360 / Double(rows)))
    let left = 12 + (c.labels.yLabel.isEmpty ? 0 : 18) + maxRowW + 8
    let plotW = Double(cols) * cellW
    let plotH = Double(rows) * cellH
    let rotateCols = maxColW > cellW - 4
    let colExtent = rotateCols ? (maxColW + SVG.tickFont) * 0.7071 + 6 : 16
    let legendTicks = NiceScale(min: lo, max: hi, maxTicks: 5).ticks.filter {
      $0 >= lo - 1e-12 && $0 <= hi + 1e-12
    }
    let legendTickValues = legendTicks.count >= 2 ? legendTicks : [lo, hi]
    let legendLabelW = legendTickValues.map { TextMetrics.width(fmt($0), fontSize: SVG.tickFont) }
      .max()!
    let legendX = left + plotW + 18
    let width = max(
      legendX + 14 + 6 + legendLabelW + (c.legendLabel.isEmpty ? 8 : 26),
      TextMetrics.width(c.labels.title, fontSize: SVG.titleFont) + 24)
    let plotTop = 42.0
    let plotBottom = plotTop + plotH
    let height = plotBottom + colExtent + (c.labels.xLabel.isEmpty ? 0 : 20) + 10
    let legendH = max(plotH, 120)

    var cells: [Element] = []
    var texts: [Element] = []
    for r in 0..<rows {
      for k in 0..<cols {
        let x = left + Double(k) * cellW
        let y = plotTop + Double(r) * cellH
        let v = value(r, k)
        let tip = "\(c.rowLabels[r]) / \(c.columnLabels[k]): \(v.map(fmt) ?? "no value")"
        cells.append(
          SVG.rect(
            x, y, cellW, cellH, fill: v.map { Palette.sequential(t($0)) } ?? "#e5e5e5",
            extra: [Attribute("stroke", "#ffffff"), Attribute("stroke-width", "0.5")],
            [.element(Element("title", [], [.text(tip)]))]))
        if c.showValues {
          let light = v.map { Palette.needsLightText(t($0)) } ?? false
          texts.append(
            SVG.text(
              v.map(fmt) ?? "–", x: x + cellW / 2, y: y + cellH / 2 + 3.5, anchor: .middle,
              size: 10, fill: light ? "#ffffff" : "#111111"))
        }
      }
    }
    var labels: [Element] = []
    for r in 0..<rows {
      let tip = rowLabels[r] == c.rowLabels[r] ? nil : c.rowLabels[r]
      labels.append(
        SVG.text(
          rowLabels[r], x: left - 6, y: plotTop + (Double(r) + 0.5) * cellH + 4, anchor: .end,
          tooltip: tip, cls: "category"))
    }
    for k in 0..<cols {
      let cx = left + (Double(k) + 0.5) * cellW
      let tip = colLabels[k] == c.columnLabels[k] ? nil : c.columnLabels[k]
      if rotateCols {
        labels.append(
          SVG.text(
            colLabels[k], x: cx, y: plotBottom + 10, anchor: .end, rotate: -45, tooltip: tip,
            cls: "category"))
      } else {
        labels.append(
          SVG.text(
            colLabels[k], x: cx, y: plotBottom + 14, anchor: .middle, tooltip: tip, cls: "category")
        )
      }
    }
    if !c.labels.yLabel.isEmpty {
      labels.append(
        SVG.text(
          c.labels.yLabel, x: 16, y: plotTop + plotH / 2, anchor: .middle, size: SVG.labelFont,
          rotate: -90, baseline: "middle", cls: "axis-label"))
    }
    if !c.labels.xLabel.isEmpty {
      labels.append(
        SVG.text(
          c.labels.xLabel, x: left + plotW / 2, y: height - 10, anchor: .middle,
          size: SVG.labelFont, cls: "axis-label"))
    }

    // Colour legend: a vertical gradient (low at the bottom) with ticks inside the data range.
    let gradientID = "\(id)-scale"
    let stops = (0...8).map { i -> Node in
      let f = Double(i) / 8
      return .element(
        Element(
          "stop", [Attribute("offset", SVG.n(f)), Attribute("stop-color", Palette.sequential(f))]))
    }
    let gradient = Element(
      "linearGradient",
      [
        Attribute("id", gradientID), Attribute("x1", "0"), Attribute("y1", "1"),
        Attribute("x2", "0"), Attribute("y2", "0"),
      ],
      stops)
    var legend: [Element] = [
      SVG.rect(
        legendX, plotTop, 14, legendH, fill: "url(#\(gradientID))",
        extra: [Attribute("stroke", "#888888"), Attribute("stroke-width", "0.5")])
    ]
    for v in legendTickValues {
      let y = plotTop + legendH - t(v) * legendH
      legend.append(SVG.line(legendX + 14, y, legendX + 18, y, stroke: SVG.axisColour))
      legend.append(SVG.text(fmt(v), x: legendX + 20, y: y + 4))
    }
    if !c.legendLabel.isEmpty {
      let lx = legendX + 20 + legendLabelW + 14
      legend.append(
        SVG.text(
          c.legendLabel, x: lx, y: plotTop + legendH / 2, anchor: .middle, size: SVG.labelFont,
          rotate: -90, baseline: "middle", cls: "axis-label"))
    }
    let body = [
      SVG.group("cells", cells), SVG.group("values", texts), SVG.group("labels", labels),
      SVG.group("legend", legend),
    ]
    let h = max(height, plotTop + legendH + 10)
    return SVG.root(id: id, width: width, height: h, labels: c.labels, defs: [gradient], body: body)
  }
}
