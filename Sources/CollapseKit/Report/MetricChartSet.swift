/// One line of a metric chart: a cell (or an experiment × cell) with its summary
/// points, and its closed-form curve where ``Theory`` has one.
struct ChartLine {
    /// The legend label; nil when the chart has this one line only.
    var label: String?
    var points: [ResultsReader.SummaryPoint]
    var theory: [Double]?
    /// The small-multiples panel the line belongs to (nil: one plot for all lines).
    var panel: String? = nil
    /// The line's colour (by default its position).
    var colorIndex: Int? = nil
}

/// A chart of a report: its file name, caption, and its wide and narrow (phone)
/// renderings (``LineChart/Layout``), written as `NAME.svg` and `NAME-narrow.svg`.
struct ChartFile {
    var file: String
    var caption: String
    var wide: String
    var narrow: String?

    /// The narrow rendering's file name.
    var narrowFile: String? { narrow.map { _ in String(file.dropLast(4)) + "-narrow.svg" } }

    init(_ file: String, _ caption: String, _ chart: LineChart) {
        self.file = file
        self.caption = caption
        wide = chart.svg(layout: .wide)
        narrow = chart.svg(layout: .narrow)
    }

    init(_ file: String, _ caption: String, wide: String, narrow: String?) {
        self.file = file
        self.caption = caption
        self.wide = wide
        self.narrow = narrow
    }
}

/// The charts of one metric over some lines, with the band rule of `collapse report`
/// and `collapse compare`: the replicate mean with its 95% t-band; where that band
/// crosses a bound the metric cannot cross (``MetricName/bounds``: a variance below
/// 0), the median with its interquartile range instead; elsewhere both are offered
/// (`metric-NAME.svg` and `metric-NAME-median.svg`).
enum MetricChartSet {
    /// What a metric chart's line and band show.
    enum Band { case mean, quantiles }

    /// Each chart of `metric`.
    static func charts(_ metric: MetricName, lines: [ChartLine]) -> [ChartFile] {
        let crosses = metric.isCrossed(low: lines.flatMap { $0.points.map(\.ciLow) },
                                       high: lines.flatMap { $0.points.map(\.ciHigh) })
        let hasQuantiles = lines.contains { $0.points.contains { $0.median.isFinite } }
        if crosses && hasQuantiles {
            return [chart(metric, lines: lines, band: .quantiles, file: "metric-\(metric.rawValue).svg",
                          why: " (the mean's 95% t-interval crosses \(boundText(metric)) at some generation, so the median is drawn)")]
        }
        var out = [chart(metric, lines: lines, band: .mean, file: "metric-\(metric.rawValue).svg", why: "")]
        if hasQuantiles {
            out.append(chart(metric, lines: lines, band: .quantiles, file: "metric-\(metric.rawValue)-median.svg", why: ""))
        }
        return out
    }

    /// The series of one line: its summary with the band, and its theory curve.
    static func series(_ line: ChartLine, index i: Int, band: Band, single: Bool) -> [LineChart.Series] {
        let p = line.points, x = p.map { Double($0.generation) }, color = line.colorIndex ?? i
        var out: [LineChart.Series]
        switch band {
        case .mean:
            out = [LineChart.Series(name: line.label ?? "replicate mean", x: x, y: p.map(\.mean),
                                    bandLow: p.map(\.ciLow), bandHigh: p.map(\.ciHigh), colorIndex: color)]
        case .quantiles:
            out = [LineChart.Series(name: line.label ?? "median", x: x, y: p.map(\.median),
                                    bandLow: p.map(\.q25), bandHigh: p.map(\.q75), colorIndex: color)]
        }
        if let curve = line.theory {
            out.append(LineChart.Series(name: single ? "theory" : "theory, \(line.label ?? "")",
                                        x: curve.indices.map(Double.init), y: curve, dashed: true, colorIndex: color,
                                        inLegend: single))
        }
        return out
    }

    static func chart(_ metric: MetricName, lines: [ChartLine], band: Band, file: String, why: String) -> ChartFile {
        let single = lines.count == 1
        let series = lines.enumerated().flatMap { i, line in Self.series(line, index: i, band: band, single: single) }
        let chart = LineChart(title: metric.rawValue, xLabel: "generation", yLabel: metric.rawValue, series: series)
        let theory = series.contains(where: \.dashed)
            ? "; dashed: closed-form theory" + (band == .quantiles ? " (an expectation: compare it with the mean)" : "") : ""
        let what = band == .mean
            ? "replicate mean by generation with its 95% confidence band"
            : "median across replicates by generation with its interquartile range (q25–q75)"
        let caption = "\(metric.rawValue): \(what)\(why)\(theory)"
        // More than six lines: small multiples, one panel per facet value.
        if lines.contains(where: { $0.panel != nil }) {
            var order: [String] = []
            for line in lines { if let p = line.panel, !order.contains(p) { order.append(p) } }
            let panels = order.map { name in
                SmallMultiples.Panel(title: name, series: lines.enumerated().filter { $0.element.panel == name }
                    .flatMap { i, line in Self.series(line, index: i, band: band, single: false) })
            }
            let multiples = SmallMultiples(title: metric.rawValue, xLabel: "generation", yLabel: metric.rawValue, panels: panels)
            return ChartFile(file, caption + "; one panel per value of \(order.first.map { String($0.split(separator: "=")[0]) } ?? "the facet key"), shared axes.",
                             wide: multiples.svg(layout: .wide), narrow: multiples.svg(layout: .narrow))
        }
        return ChartFile(file, caption + ".", chart)
    }

    /// "0 … 1", "its lower bound 0": a metric's bounds in words.
    static func boundText(_ metric: MetricName) -> String {
        switch metric.bounds {
        case (let l?, let u?): return "\(NumberFormat.double(l)) … \(NumberFormat.double(u))"
        case (let l?, nil): return "its lower bound \(NumberFormat.double(l))"
        case (nil, let u?): return "its upper bound \(NumberFormat.double(u))"
        case (nil, nil): return "no bound"
        }
    }
}
