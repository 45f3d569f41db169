import DUNESupport
import Foundation

/// A synthetic, tutorial-sized report (seven chapters, about forty figures) with every page and
/// chart feature, for benchmarks (`dune bench report`), previews and tests.
///
/// The numbers are made up from a fixed seed; they only exercise layout. `hostile` puts markup,
/// quotes, `]]>` and control characters into every text field to prove escaping.
public enum DemoSite {
  /// Builds the demo site; `generatedAt` is the provenance time (seconds since the epoch).
  public static func make(hostile: String? = nil, generatedAt: Int64? = 1_700_000_000) -> ReportSite {
    var rng = SplitMix64(seed: 42)
    let h = hostile.map { " " + $0 } ?? ""
    let classes = [
      "benign", "ddos", "dos", "backdoor", "injection", "mitm", "password", "ransomware",
      "scanning", "xss",
    ]
    .map { $0 + h }
    let features =
      (0..<15).map { "feature_\($0)" + (($0 == 3) ? h : "") } + [
        "very_long_feature_name_flow_iat_mean"
      ]
    let titles = [
      "Introduction", "Data generation", "Unconstrained model", "Model partitioning",
      "Cluster analysis", "Model sequencing", "Data plane",
    ]
    var chapters: [ChapterPage] = []
    var stepRecords: [StepProvenance] = []
    for (ci, title) in titles.enumerated() {
      let slug =
        String(format2(ci + 1)) + "-" + title.lowercased().replacingOccurrences(of: " ", with: "-")
      var blocks: [Block] = [
        .prose(
          TrustedHTML(
            "<h1>\(title)</h1>\n<p>Chapter \(ci + 1) of the tutorial: <em>synthetic</em> numbers &amp; layout only.</p>\n"
          ))
      ]
      for si in 0..<2 {
        let stepID = "step\(si + 1)" + h
        var figures: [Figure] = []
        for fi in 0..<3 {
          let kind = (ci * 6 + si * 3 + fi) % 7
          figures.append(
            figure(
              kind: kind, step: si + 1, index: fi, classes: classes, features: features, hostile: h,
              rng: &rng))
        }
        let status: StepStatus
        if ci == 3 && si == 1 {
          status = .failed(
            StepFailure(
              message: "SPP found no feasible partition" + h,
              location: SourceLocation(file: "chapters/\(slug).md", line: 42, column: 1)))
        } else if ci == 6 && si == 1 {
          status = .expectedFailure(StepFailure(message: "TCAM budget exceeded (expected)" + h))
        } else {
          status = ci % 2 == 0 ? .fresh : .ran
        }
        let seconds = Double(ci * 10 + si) * 0.137
        let table = MetricsTable(
          title: "Per-class scores" + h, columns: ["class", "F1", "support", "note"],
          rows: classes.prefix(6).map {
            [.text($0), .number(rng.unit(), decimals: 3), .integer(Int(rng.unit() * 5000)), .empty]
          })
        blocks.append(
          .step(
            StepView(
              id: stepID,
              kind: [
                "data.generate", "model.unconstrained", "pcfi", "spp.greedy", "cluster.analysis",
                "sequence", "dataplane.compile",
              ][ci],
              status: status,
              arguments: [
                KeyValue("classes", "\(classes.count)"),
                KeyValue("unwanted", "[mitm, dos" + h + "]"), KeyValue("seed", "42"),
              ],
              tables: [table], figures: figures,
              files: [
                FileLink(
                  path: "\(slug)/\(stepID)/result.csv", label: "result.csv" + h,
                  sizeBytes: 1536 * (si + 1)),
                FileLink(path: "\(slug)/\(stepID)/model.json", sizeBytes: 3 * 1_048_576),
              ],
              durationSeconds: seconds)))
        blocks.append(
          .prose(TrustedHTML("<p>After step \(si + 1): see the figures above.<br /></p>")))
        stepRecords.append(
          StepProvenance(
            chapter: slug, stepID: stepID, cacheKey: String(repeating: "ab", count: 32),
            seconds: seconds, status: ReportRenderer.statusWord(status).word))
      }
      chapters.append(
        ChapterPage(
          slug: slug, title: title + h, sourcePath: "chapters/\(slug).md", blocks: blocks,
          keyMetrics: [
            KeyMetric("macro F1" + h, .number(0.9 - Double(ci) * 0.01, decimals: 3)),
            KeyMetric("blocks", .integer(ci + 1)),
          ]))
    }
    return ReportSite(
      title: "DUNE tutorial (demo)" + h,
      introduction: TrustedHTML("<p>A synthetic report exercising every page feature.</p>"),
      chapters: chapters,
      provenance: Provenance(
        gitCommit: "0123456789abcdef0123456789abcdef01234567", dirty: true,
        toolVersions: [KeyValue("dune", "0.1.0" + h), KeyValue("swift", "6.3.1")],
        parameters: [KeyValue("useCase", "ton" + h), KeyValue("grid", "pinned")],
        steps: stepRecords, generatedAt: generatedAt))
  }

  private static func format2(_ i: Int) -> String { i < 10 ? "0\(i)" : "\(i)" }

  private static func figure(
    kind: Int, step: Int, index: Int, classes: [String], features: [String], hostile h: String,
    rng: inout SplitMix64
  ) -> Figure {
    let id = "fig-\(step)-\(index)"
    switch kind {
    case 0:
      return Figure(
        id: id, caption: "F1 per class" + h,
        content: .chart(
          .bar(
            BarChart(
              labels: ChartLabels(title: "F1 per class" + h, xLabel: "class", yLabel: "F1 score"),
              categories: classes, series: [BarSeries("F1" + h, classes.map { _ in rng.unit() })],
              valueDecimals: 2))))
    case 1:
      return Figure(
        id: id, caption: "PCFI heatmap" + h,
        content: .chart(
          .heatmap(
            Heatmap(
              labels: ChartLabels(
                title: "Per-class feature importance" + h, xLabel: "feature", yLabel: "class"),
              rowLabels: classes, columnLabels: features,
              values: classes.map { _ in
                features.map { _ in rng.unit() < 0.05 ? nil : rng.unit() * 0.3 }
              },
              legendLabel: "importance"))))
    case 2:
      let n = 8
      return Figure(
        id: id, caption: "SPP total gain" + h,
        content: .chart(
          .line(
            LineChart(
              labels: ChartLabels(
                title: "SPP total gain vs number of blocks" + h, xLabel: "blocks",
                yLabel: "total gain"),
              series: [
                PointSeries(
                  "greedy" + h,
                  (1...n).map {
                    ChartPoint(Double($0), 0.1 + 0.3 * (1 - 1 / Double($0)) + rng.unit() * 0.01)
                  })
              ]))))
    case 3:
      let switches = (1...5).map { "switch \($0)" + h }
      return Figure(
        id: id, caption: "TCAM per switch" + h,
        content: .chart(
          .bar(
            BarChart(
              labels: ChartLabels(
                title: "TCAM use per switch" + h, xLabel: "switch", yLabel: "TCAM (%)"),
              categories: switches,
              series: ["features", "trees", "labels"].map { name in
                BarSeries(name + h, switches.map { _ in rng.unit() * 30 })
              },
              mode: .stacked, valueDecimals: 1))))
    case 4:
      let k = 6
      return Figure(
        id: id, caption: "Confusion matrix" + h,
        content: .chart(
          .heatmap(
            Heatmap(
              labels: ChartLabels(
                title: "Confusion matrix" + h, xLabel: "predicted", yLabel: "true"),
              rowLabels: Array(classes.prefix(k)), columnLabels: Array(classes.prefix(k)),
              values: (0..<k).map { r in
                (0..<k).map { c in
                  r == c ? Double(Int(800 + rng.unit() * 200)) : Double(Int(rng.unit() * 30))
                }
              },
              showValues: true, decimals: 0, legendLabel: "flows"))))
    case 5:
      return Figure(
        id: id, caption: "DUNE vs monolithic" + h,
        content: .chart(
          .bar(
            BarChart(
              labels: ChartLabels(
                title: "DUNE vs monolithic F1" + h, xLabel: "class", yLabel: "F1"),
              categories: classes,
              series: [
                BarSeries("DUNE" + h, classes.map { _ in 0.7 + rng.unit() * 0.3 }),
                BarSeries("monolithic", classes.map { _ in 0.6 + rng.unit() * 0.3 }),
              ],
              mode: .grouped, orientation: index % 2 == 0 ? .horizontal : .vertical,
              valueDecimals: 2))))
    default:
      return Figure(
        id: id, caption: "Resources vs accuracy" + h,
        content: .chart(
          .scatter(
            ScatterChart(
              labels: ChartLabels(
                title: "Accuracy vs TCAM" + h, xLabel: "TCAM entries", yLabel: "macro F1"),
              series: ["greedy", "exact", "random"].map { name in
                PointSeries(
                  name + h,
                  (0..<12).map { _ in
                    ChartPoint((rng.unit() * 4000).rounded(), 0.6 + rng.unit() * 0.35)
                  })
              }))))
    }
  }
}
