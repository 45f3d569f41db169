import DUNETestSupport
import Foundation
import Testing

@testable import Report

@Suite struct ChartTests {
  static let labels = ChartLabels(title: "T", description: "D", xLabel: "x", yLabel: "y")

  static var everyChart: [(String, ChartSpec)] {
    let cats = ["benign", "ddos", "a_really_long_class_name_that_needs_rotation"]
    let two = [BarSeries("DUNE", [0.9, 0.8, 0.7]), BarSeries("mono", [0.85, 0.75, -0.1])]
    var out: [(String, ChartSpec)] = []
    for mode in [BarChart.Mode.grouped, .stacked] {
      for o in [BarChart.Orientation.vertical, .horizontal] {
        out.append(
          (
            "bar-\(mode)-\(o)",
            .bar(
              BarChart(labels: labels, categories: cats, series: two, mode: mode, orientation: o))
          ))
      }
    }
    out.append(
      (
        "line",
        .line(
          LineChart(
            labels: labels,
            series: [
              PointSeries(
                "a",
                [ChartPoint(1, 0.2), ChartPoint(2, 0.3), ChartPoint(3, .nan), ChartPoint(4, 0.5)]),
              PointSeries("b", [ChartPoint(1, 0.1), ChartPoint(4, 0.6)]),
            ]))
      ))
    out.append(
      (
        "scatter",
        .scatter(
          ScatterChart(
            labels: labels,
            series: (0..<7).map { i in PointSeries("s\(i)", [ChartPoint(Double(i), Double(i * i))])
            }))
      ))
    out.append(
      (
        "heatmap",
        .heatmap(
          Heatmap(
            labels: labels, rowLabels: ["r1", "r2"], columnLabels: ["c1", "c2", "c3"],
            values: [[0, 0.5, nil], [1, .nan, 0.25]], showValues: true, legendLabel: "v"))
      ))
    out.append(
      (
        "heatmap-constant",
        .heatmap(Heatmap(labels: labels, rowLabels: ["r"], columnLabels: ["c"], values: [[3]]))
      ))
    return out
  }

  static var emptyCharts: [(String, ChartSpec)] {
    [
      (
        "bar-no-categories",
        .bar(BarChart(labels: labels, categories: [], series: [BarSeries("a", [])]))
      ),
      (
        "bar-all-nan",
        .bar(BarChart(labels: labels, categories: ["a"], series: [BarSeries("a", [.nan])]))
      ),
      ("bar-no-series", .bar(BarChart(labels: labels, categories: ["a"], series: []))),
      ("line", .line(LineChart(labels: labels, series: []))),
      ("line-empty-series", .line(LineChart(labels: labels, series: [PointSeries("a", [])]))),
      (
        "scatter",
        .scatter(
          ScatterChart(labels: labels, series: [PointSeries("a", [ChartPoint(.infinity, 1)])]))
      ),
      ("heatmap", .heatmap(Heatmap(labels: labels, rowLabels: [], columnLabels: [], values: []))),
      (
        "heatmap-all-nil",
        .heatmap(Heatmap(labels: labels, rowLabels: ["r"], columnLabels: ["c"], values: [[nil]]))
      ),
    ]
  }

  @Test func everyChartIsWellFormedAndAccessible() {
    for (name, spec) in Self.everyChart {
      let svg = ChartRenderer.standaloneSVG(spec, id: "ch-\(name)")
      #expect(XMLCheck.wellFormed(svg).isEmpty, "\(name): \(XMLCheck.wellFormed(svg))")
      #expect(svg.contains("role=\"img\""), "\(name)")
      #expect(svg.contains(">\n<title>T</title>\n<desc>D</desc>\n"), "\(name)")
      #expect(svg.contains("viewBox=\"0 0 "), "\(name)")
      #expect(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "\(name)")
      #expect(!svg.contains("No data"), "\(name)")
    }
  }

  @Test func emptyDataSaysSoAndStaysWellFormed() {
    for (name, spec) in Self.emptyCharts {
      let svg = ChartRenderer.standaloneSVG(spec, id: "e")
      #expect(XMLCheck.wellFormed(svg).isEmpty, "\(name)")
      #expect(svg.contains(">No data</text>"), "\(name)")
      #expect(svg.contains("<title>T</title>"), "\(name)")
    }
  }

  /// Every id in a chart starts with the caller's prefix, and every `url(#…)` points at one of them.
  @Test func idsArePrefixedAndReferencesResolve() {
    for (name, spec) in Self.everyChart {
      let svg = ChartRenderer.standaloneSVG(spec, id: "03-partitioning-fig-1")
      let ids = matches(#"id="([^"]+)""#, in: svg)
      #expect(!ids.isEmpty)
      for id in ids { #expect(id.hasPrefix("03-partitioning-fig-1"), "\(name): \(id)") }
      #expect(Set(ids).count == ids.count, "\(name): duplicate ids")
      for ref in matches(#"url\(#([^)]+)\)"#, in: svg) {
        #expect(ids.contains(ref), "\(name): dangling \(ref)")
      }
    }
  }

  /// Mean ± standard deviation: a whisker per bar that has an error, the axis reaching its ends, the
  /// tooltip naming the spread; stacked bars ignore errors.
  @Test func errorBars() throws {
    let series = [
      BarSeries("DUNE", [60, 58], errors: [2.5, .nan]), BarSeries("mono", [59, 61], errors: [1, 0.5]),
    ]
    for o in [BarChart.Orientation.vertical, .horizontal] {
      let svg = ChartRenderer.standaloneSVG(
        .bar(BarChart(labels: Self.labels, categories: ["a", "b"], series: series, orientation: o)), id: "e")
      #expect(XMLCheck.wellFormed(svg).isEmpty)
      #expect(svg.components(separatedBy: "class=\"error\"").count - 1 == 3, "\(o)")
      #expect(svg.contains("DUNE, a: 60.00 ± 2.50"))
      #expect(svg.contains("mono, b: 61.00 ± 0.50"))
      #expect(!svg.contains("DUNE, b: 58.00 ±"))
    }
    let stacked = ChartRenderer.standaloneSVG(
      .bar(BarChart(labels: Self.labels, categories: ["a", "b"], series: series, mode: .stacked)), id: "s")
    #expect(!stacked.contains("class=\"error\""))
    // The value axis covers the top of the highest whisker (62.5 → a tick at 70 or above).
    let plain = ChartRenderer.standaloneSVG(
      .bar(BarChart(labels: Self.labels, categories: ["a"], series: [BarSeries("x", [9], errors: [6])])), id: "p")
    #expect(plain.contains(">15<") || plain.contains(">16<") || plain.contains(">20<"))
  }

  @Test func idPrefixIsSanitised() {
    #expect(ChartRenderer.sanitizedID("a b\"c<d>é") == "a-b-c-d--")
    #expect(ChartRenderer.sanitizedID("") == "chart")
  }

  @Test func hostileLabelsStayLiteral() {
    let h = hostile
    let specs: [ChartSpec] = [
      .bar(
        BarChart(
          labels: ChartLabels(title: h, description: h, xLabel: h, yLabel: h),
          categories: [h, "b"], series: [BarSeries(h, [1, 2]), BarSeries("s2", [2, 1])])),
      .bar(
        BarChart(
          labels: ChartLabels(title: h, xLabel: h, yLabel: h), categories: [h],
          series: [BarSeries(h, [1])], orientation: .horizontal)),
      .line(
        LineChart(
          labels: ChartLabels(title: h, xLabel: h, yLabel: h),
          series: [PointSeries(h, [ChartPoint(0, 1)]), PointSeries("b", [ChartPoint(1, 2)])])),
      .scatter(
        ScatterChart(
          labels: ChartLabels(title: h, xLabel: h, yLabel: h),
          series: [PointSeries(h, [ChartPoint(0, 1)])])),
      .heatmap(
        Heatmap(
          labels: ChartLabels(title: h, xLabel: h, yLabel: h), rowLabels: [h], columnLabels: [h],
          values: [[1]], legendLabel: h)),
    ]
    for spec in specs {
      let svg = ChartRenderer.standaloneSVG(spec, id: h)
      #expect(XMLCheck.wellFormed(svg).isEmpty)
      #expect(!svg.contains("<script"))
      let text = parsedText(svg)
      #expect(text.characters.contains(hostileVisible))
      #expect(!text.elementNames.contains("script"))
    }
  }

  @Test func coordinatesHaveAtMostTwoDecimals() {
    #expect(SVG.n(1.005) == "1" || SVG.n(1.005) == "1.01")
    #expect(SVG.n(12.5) == "12.5")
    #expect(SVG.n(12.25) == "12.25")
    #expect(SVG.n(-0.001) == "0")
    #expect(SVG.n(-3.07) == "-3.07")
    #expect(SVG.n(.nan) == "0")
    for (_, spec) in Self.everyChart {
      let svg = ChartRenderer.standaloneSVG(spec, id: "c")
      #expect(matches(#"[0-9]\.[0-9]{3,}"#, in: svg, group: 0).isEmpty)
    }
  }

  @Test func fewBarsCarryValueLabels() {
    let svg = ChartRenderer.standaloneSVG(
      .bar(
        BarChart(
          labels: Self.labels, categories: ["a", "b"], series: [BarSeries("s", [0.125, 0.5])],
          valueDecimals: 3)), id: "v")
    #expect(svg.contains(">0.125</text>"))
    #expect(svg.contains(">0.500</text>"))
  }

  @Test func paletteIsFixed() {
    #expect(Palette.sequential(0) == "#440154")
    #expect(Palette.sequential(1) == "#fde725")
    #expect(Palette.sequential(-5) == "#440154")
    #expect(Palette.sequential(.nan) == "#440154")
    #expect(Palette.series(0) == "#0072B2")
    #expect(Palette.series(8) == Palette.series(0))
  }

  @Test func renderingIsByteStable() {
    for (_, spec) in Self.everyChart {
      #expect(
        ChartRenderer.standaloneSVG(spec, id: "s") == ChartRenderer.standaloneSVG(spec, id: "s"))
    }
  }

  @Test func smallBarChartGolden() throws {
    let spec = ChartSpec.bar(
      BarChart(
        labels: ChartLabels(
          title: "F1 per class", description: "F1 score of each class on the test split",
          xLabel: "class", yLabel: "F1"),
        categories: ["benign", "ddos", "scan"],
        series: [
          BarSeries("DUNE", [0.98, 0.91, 0.87]), BarSeries("monolithic", [0.97, 0.93, 0.8]),
        ],
        valueDecimals: 2))
    try fixtures.check(ChartRenderer.standaloneSVG(spec, id: "01-intro-fig-f1"), "small-bar.svg")
  }
}

/// Capture group `group` of every match of `pattern`.
func matches(_ pattern: String, in s: String, group: Int = 1) -> [String] {
  let re = try! NSRegularExpression(pattern: pattern)
  let ns = s as NSString
  return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map {
    ns.substring(with: $0.range(at: group))
  }
}

@Suite struct TextMetricsTests {
  @Test func widthsAreAdditiveAndOrdered() {
    #expect(TextMetrics.width("", fontSize: 10) == 0)
    #expect(TextMetrics.width("iiii", fontSize: 10) < TextMetrics.width("MMMM", fontSize: 10))
    #expect(
      abs(
        TextMetrics.width("ab", fontSize: 12) - TextMetrics.width("a", fontSize: 12)
          - TextMetrics.width("b", fontSize: 12)) < 1e-9)
  }

  @Test func truncationFitsAndKeepsShortText() {
    #expect(TextMetrics.truncate("short", fontSize: 11, maxWidth: 200) == "short")
    let long = String(repeating: "very_long_feature_name_", count: 5)
    let cut = TextMetrics.truncate(long, fontSize: 11, maxWidth: 100)
    #expect(cut.hasSuffix("…"))
    #expect(TextMetrics.width(cut, fontSize: 11) <= 100)
    #expect(long.hasPrefix(String(cut.dropLast())))
  }

  /// A long category name is cut in the drawing but kept whole in the tooltip.
  @Test func longLabelsKeepFullTextInTooltip() {
    let name = String(repeating: "a_really_long_class_name_", count: 4)
    let svg = ChartRenderer.standaloneSVG(
      .bar(
        BarChart(labels: ChartLabels(title: "t"), categories: [name], series: [BarSeries("s", [1])])
      ), id: "x")
    #expect(svg.contains("<title>\(name)</title>"))
    #expect(svg.contains("…</text>"))
  }
}

@Suite struct ChartSpecCodingTests {
  /// Specs survive a JSON round trip (how a step stores them), and the encoding is byte-stable.
  @Test func jsonRoundTrip() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    for (name, spec) in ChartTests.everyChart {
      let data = try encoder.encode(spec)
      #expect(try encoder.encode(spec) == data)
      let back = try decoder.decode(ChartSpec.self, from: data)
      // NaN ≠ NaN, so compare what matters: the rendered bytes.
      #expect(
        ChartRenderer.standaloneSVG(back, id: name) == ChartRenderer.standaloneSVG(spec, id: name),
        "\(name)")
    }
  }
}
