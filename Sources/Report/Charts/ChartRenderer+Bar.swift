import DUNESupport

/// Bar charts: grouped or stacked, vertical or horizontal.
extension ChartRenderer {
  static func bar(_ c: BarChart, id: String) -> Element {
    let n = c.categories.count
    let m = c.series.count
    func value(_ s: Int, _ k: Int) -> Double? {
      let vs = c.series[s].values
      guard k < vs.count, vs[k].isFinite else { return nil }
      return vs[k]
    }
    /// The error bar of a grouped bar, if any (stacked bars have none).
    func error(_ s: Int, _ k: Int) -> Double? {
      guard c.mode == .grouped, let es = c.series[s].errors, k < es.count, es[k].isFinite, es[k] > 0 else {
        return nil
      }
      return es[k]
    }
    let all = (0..<m).flatMap { s in (0..<n).compactMap { value(s, $0) } }
    guard n > 0, !all.isEmpty else { return SVG.noData(id: id, labels: c.labels) }
    // Where error bars reach, so the value axis covers them.
    let reach = (0..<m).flatMap { s in
      (0..<n).compactMap { k in value(s, k).flatMap { v in error(s, k).map { [v - $0, v + $0] } } }.flatMap { $0 }
    }

    // Value extent: stacked bars stack positives up and negatives down from zero.
    var dmin = 0.0
    var dmax = 0.0
    if c.mode == .stacked {
      for k in 0..<n {
        let vs = (0..<m).compactMap { value($0, k) }
        dmax = max(dmax, vs.filter { $0 > 0 }.reduce(0, +))
        dmin = min(dmin, vs.filter { $0 < 0 }.reduce(0, +))
      }
    } else {
      dmin = min(0, (all + reach).min()!)
      dmax = max(0, (all + reach).max()!)
    }
    if let r = c.valueRange {
      dmin = min(dmin, r.lowerBound)
      dmax = max(dmax, r.upperBound)
    }
    let scale = NiceScale(min: dmin, max: dmax, maxTicks: 6)
    let fmt = { (v: Double) in NumberFormat.fixed(v, c.valueDecimals) }
    let hatchIDs = (0..<m).map { $0 % 5 == 0 || m == 1 ? nil : "\(id)-hatch-\($0 % 5)" }
    let defs = hatchPatterns(
      id: id, kinds: Set(hatchIDs.indices.filter { hatchIDs[$0] != nil }.map { $0 % 5 }))
    let legendItems = c.series.enumerated().map {
      (
        $0.element.name,
        Legend.Swatch.bar(
          colour: Palette.series($0.offset), hatch: $0.offset % 5, hatchID: hatchIDs[$0.offset])
      )
    }
    let groupCount = c.mode == .grouped ? m : 1
    let labelCount = c.mode == .grouped ? n * m : n
    let showLabels = labelCount <= 40
    let valueLabelW = all.map { TextMetrics.width(fmt($0), fontSize: 10) }.max()! + 2
    // Vertical charts rotate long category names, so they are cut shorter than horizontal ones.
    let catLimit = c.orientation == .vertical ? 150.0 : 240.0
    let catLabels = c.categories.map {
      TextMetrics.truncate($0, fontSize: SVG.tickFont, maxWidth: catLimit)
    }
    let maxCatW = catLabels.map { TextMetrics.width($0, fontSize: SVG.tickFont) }.max() ?? 0

    func tooltip(_ s: Int, _ k: Int, _ v: Double) -> Node {
      let who = m > 1 ? "\(c.series[s].name), \(c.categories[k])" : c.categories[k]
      let spread = error(s, k).map { " ± \(fmt($0))" } ?? ""
      return .element(Element("title", [], [.text("\(who): \(fmt(v))\(spread)")]))
    }
    /// An error bar from `a` to `b` (plot coordinates) across the bar's axis at `c`, with caps.
    func whisker(vertical: Bool, at c: Double, from a: Double, to b: Double) -> Element {
      let cap = 4.0
      let parts =
        vertical
        ? [
          SVG.line(c, a, c, b, stroke: SVG.axisColour), SVG.line(c - cap, a, c + cap, a, stroke: SVG.axisColour),
          SVG.line(c - cap, b, c + cap, b, stroke: SVG.axisColour),
        ]
        : [
          SVG.line(a, c, b, c, stroke: SVG.axisColour), SVG.line(a, c - cap, a, c + cap, stroke: SVG.axisColour),
          SVG.line(b, c - cap, b, c + cap, stroke: SVG.axisColour),
        ]
      return SVG.group("error", parts)
    }
    func barRects(_ s: Int, x: Double, y: Double, w: Double, h: Double, tip: Node) -> [Element] {
      var els = [SVG.rect(x, y, w, h, fill: Palette.series(s), extra: [], [tip])]
      if let hid = hatchIDs[s] {
        els.append(
          SVG.rect(x, y, w, h, fill: "url(#\(hid))", extra: [Attribute("pointer-events", "none")]))
      }
      return els
    }

    var body: [Element] = []
    let width: Double
    let height: Double
    if c.orientation == .vertical {
      let barW0 = c.mode == .grouped ? (m > 1 ? 14.0 : 28.0) : 28.0
      let plotW = max(320, Double(n) * max(Double(groupCount) * barW0 + 12, 30))
      let band = plotW / Double(n)
      let barW = min((band - 10) / Double(groupCount), 48)
      let rotateCats = maxCatW > band - 4
      let catExtent = rotateCats ? (maxCatW + SVG.tickFont) * 0.7071 + 6 : 16
      let labelsRotated = c.mode == .grouped && valueLabelW > barW + 6
      let headroom = showLabels ? (labelsRotated ? valueLabelW + 6 : 14) : 6
      let maxTickW = scale.ticks.map { TextMetrics.width(scale.label($0), fontSize: SVG.tickFont) }
        .max()!
      let left = 12 + (c.labels.yLabel.isEmpty ? 0 : 18) + maxTickW + 6
      width = max(
        left + plotW + 16, TextMetrics.width(c.labels.title, fontSize: SVG.titleFont) + 24)
      let (legend, legendH) = Legend.layout(
        legendItems, left: left, top: 34, width: width - left - 12)
      let plotTop = 34 + legendH + headroom
      let plotH = 240.0
      let plotBottom = plotTop + plotH
      height = plotBottom + catExtent + (c.labels.xLabel.isEmpty ? 0 : 20) + 10
      func y(_ v: Double) -> Double { plotBottom - scale.fraction(v) * plotH }
      if let legend { body.append(legend) }
      body.append(valueAxisVertical(scale, left: left, right: left + plotW, y: y))
      if !c.labels.yLabel.isEmpty {
        body.append(
          SVG.text(
            c.labels.yLabel, x: 16, y: plotTop + plotH / 2, anchor: .middle, size: SVG.labelFont,
            rotate: -90, baseline: "middle", cls: "axis-label"))
      }
      if !c.labels.xLabel.isEmpty {
        body.append(
          SVG.text(
            c.labels.xLabel, x: left + plotW / 2, y: height - 10, anchor: .middle,
            size: SVG.labelFont, cls: "axis-label"))
      }
      var bars: [Element] = []
      var labels: [Element] = []
      for k in 0..<n {
        let x0 = left + Double(k) * band + (band - Double(groupCount) * barW) / 2
        var pos = 0.0
        var neg = 0.0
        for s in 0..<m {
          guard let v = value(s, k) else { continue }
          let (from, to) = span(v, grouped: c.mode == .grouped, pos: &pos, neg: &neg)
          let x = c.mode == .grouped ? x0 + Double(s) * barW : x0
          let top = min(y(from), y(to))
          let h = abs(y(to) - y(from))
          bars += barRects(s, x: x, y: top, w: barW, h: h, tip: tooltip(s, k, v))
          let e = error(s, k) ?? 0
          if e > 0 { bars.append(whisker(vertical: true, at: x + barW / 2, from: y(v - e), to: y(v + e))) }
          guard showLabels else { continue }
          let cx = x + barW / 2
          // Value labels sit beyond the error bar.
          let tip = v >= 0 ? y(v + e) : y(v - e)
          if c.mode == .grouped {
            if labelsRotated {
              labels.append(
                SVG.text(
                  fmt(v), x: cx + 3.5, y: v >= 0 ? tip - 3 : tip + 3,
                  anchor: v >= 0 ? .start : .end, size: 10, rotate: -90))
            } else {
              labels.append(
                SVG.text(fmt(v), x: cx, y: v >= 0 ? tip - 3 : tip + 11, anchor: .middle, size: 10)
              )
            }
          } else if h >= 13 && TextMetrics.width(fmt(v), fontSize: 10) <= barW - 2 {
            labels.append(
              SVG.text(fmt(v), x: cx, y: top + h / 2 + 3.5, anchor: .middle, size: 10, halo: true))
          }
        }
        if c.mode == .stacked && showLabels && m > 1 && pos > 0 {
          labels.append(
            SVG.text(
              fmt(pos), x: x0 + barW / 2, y: y(pos) - 3, anchor: .middle, size: 10, bold: true))
        }
        let cx = left + (Double(k) + 0.5) * band
        let tip = catLabels[k] == c.categories[k] ? nil : c.categories[k]
        if rotateCats {
          labels.append(
            SVG.text(
              catLabels[k], x: cx, y: plotBottom + 10, anchor: .end, rotate: -45, tooltip: tip,
              cls: "category"))
        } else {
          labels.append(
            SVG.text(
              catLabels[k], x: cx, y: plotBottom + 14, anchor: .middle, tooltip: tip,
              cls: "category"))
        }
      }
      body.append(SVG.group("bars", bars))
      body.append(SVG.line(left, y(0), left + plotW, y(0), stroke: SVG.axisColour))
      body.append(SVG.group("labels", labels))
    } else {
      let barH = c.mode == .grouped && m > 1 ? 12.0 : 18.0
      let band = max(Double(groupCount) * barH + 8, 22)
      let plotH = Double(n) * band
      let catW = min(maxCatW, 240)
      let left = 12 + (c.labels.xLabel.isEmpty ? 0 : 18) + catW + 8
      let plotW = 420.0
      let rightPad = showLabels ? valueLabelW + 10 : 16
      width = max(
        left + plotW + rightPad, TextMetrics.width(c.labels.title, fontSize: SVG.titleFont) + 24)
      let (legend, legendH) = Legend.layout(
        legendItems, left: left, top: 34, width: width - left - 12)
      let plotTop = 34 + legendH + 6
      let plotBottom = plotTop + plotH
      height = plotBottom + 18 + (c.labels.yLabel.isEmpty ? 0 : 20) + 8
      func x(_ v: Double) -> Double { left + scale.fraction(v) * plotW }
      if let legend { body.append(legend) }
      body.append(valueAxisHorizontal(scale, top: plotTop, bottom: plotBottom, x: x))
      if !c.labels.xLabel.isEmpty {
        body.append(
          SVG.text(
            c.labels.xLabel, x: 16, y: plotTop + plotH / 2, anchor: .middle, size: SVG.labelFont,
            rotate: -90, baseline: "middle", cls: "axis-label"))
      }
      if !c.labels.yLabel.isEmpty {
        body.append(
          SVG.text(
            c.labels.yLabel, x: left + plotW / 2, y: height - 10, anchor: .middle,
            size: SVG.labelFont, cls: "axis-label"))
      }
      var bars: [Element] = []
      var labels: [Element] = []
      for k in 0..<n {
        let y0 = plotTop + Double(k) * band + (band - Double(groupCount) * barH) / 2
        var pos = 0.0
        var neg = 0.0
        for s in 0..<m {
          guard let v = value(s, k) else { continue }
          let (from, to) = span(v, grouped: c.mode == .grouped, pos: &pos, neg: &neg)
          let yy = c.mode == .grouped ? y0 + Double(s) * barH : y0
          let l = min(x(from), x(to))
          let w = abs(x(to) - x(from))
          bars += barRects(s, x: l, y: yy, w: w, h: barH, tip: tooltip(s, k, v))
          let e = error(s, k) ?? 0
          if e > 0 { bars.append(whisker(vertical: false, at: yy + barH / 2, from: x(v - e), to: x(v + e))) }
          guard showLabels else { continue }
          let cy = yy + barH / 2 + 3.5
          if c.mode == .grouped {
            let tip = v >= 0 ? x(v + e) : x(v - e)
            labels.append(
              SVG.text(
                fmt(v), x: v >= 0 ? tip + 3 : tip - 3, y: cy, anchor: v >= 0 ? .start : .end,
                size: 10))
          } else if TextMetrics.width(fmt(v), fontSize: 10) <= w - 4 {
            labels.append(
              SVG.text(fmt(v), x: l + w / 2, y: cy, anchor: .middle, size: 10, halo: true))
          }
        }
        if c.mode == .stacked && showLabels && m > 1 && pos > 0 {
          labels.append(
            SVG.text(fmt(pos), x: x(pos) + 3, y: y0 + barH / 2 + 3.5, size: 10, bold: true))
        }
        let tip = catLabels[k] == c.categories[k] ? nil : c.categories[k]
        labels.append(
          SVG.text(
            catLabels[k], x: left - 6, y: plotTop + (Double(k) + 0.5) * band + 4, anchor: .end,
            tooltip: tip, cls: "category"))
      }
      body.append(SVG.group("bars", bars))
      body.append(SVG.line(x(0), plotTop, x(0), plotBottom, stroke: SVG.axisColour))
      body.append(SVG.group("labels", labels))
    }
    return SVG.root(id: id, width: width, height: height, labels: c.labels, defs: defs, body: body)
  }

  /// Horizontal grid lines and tick labels for a vertical value axis.
  static func valueAxisVertical(
    _ scale: NiceScale, left: Double, right: Double, y: (Double) -> Double
  ) -> Element {
    var els: [Element] = []
    for t in scale.ticks {
      els.append(SVG.line(left, y(t), right, y(t), stroke: SVG.gridColour))
      els.append(SVG.text(scale.label(t), x: left - 6, y: y(t) + 4, anchor: .end))
    }
    els.append(SVG.line(left, y(scale.lower), left, y(scale.upper), stroke: SVG.axisColour))
    return SVG.group("axis", els)
  }

  /// Vertical grid lines and tick labels (below the plot) for a horizontal value axis.
  static func valueAxisHorizontal(
    _ scale: NiceScale, top: Double, bottom: Double, x: (Double) -> Double
  ) -> Element {
    var els: [Element] = []
    for t in scale.ticks {
      els.append(SVG.line(x(t), top, x(t), bottom, stroke: SVG.gridColour))
      els.append(SVG.text(scale.label(t), x: x(t), y: bottom + 14, anchor: .middle))
    }
    els.append(SVG.line(x(scale.lower), bottom, x(scale.upper), bottom, stroke: SVG.axisColour))
    return SVG.group("axis", els)
  }

  /// Hatch patterns drawn over bars of series 1…4 (mod 5), so series differ in greyscale prints.
  static func hatchPatterns(id: String, kinds: Set<Int>) -> [Element] {
    kinds.sorted().map { k in
      let angle = [0, 45, -45, 0, 90][k]
      let shape: Element =
        k == 3
        ? Element(
          "circle",
          [
            Attribute("cx", "3"), Attribute("cy", "3"), Attribute("r", "1.2"),
            Attribute("fill", "#ffffff"), Attribute("fill-opacity", "0.75"),
          ])
        : SVG.line(0, 0, 0, 6, stroke: "#ffffff", width: 1.6)
      return Element(
        "pattern",
        [
          Attribute("id", "\(id)-hatch-\(k)"), Attribute("patternUnits", "userSpaceOnUse"),
          Attribute("width", "6"), Attribute("height", "6"),
          Attribute("patternTransform", "rotate(\(angle))"),
        ], [.element(shape)])
    }
  }

  /// The value interval a bar covers: from 0 when bars are grouped, else stacked on the running
  /// positive or negative total of its category (which it advances).
  static func span(_ v: Double, grouped: Bool, pos: inout Double, neg: inout Double) -> (Double, Double) {
    if grouped { return (0, v) }
    if v >= 0 {
      defer { pos += v }
      return (pos, pos + v)
    }
    defer { neg += v }
    return (neg, neg + v)
  }
}
