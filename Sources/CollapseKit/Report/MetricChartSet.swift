/// One line of a metric chart: a cell (or an experiment × cell) with its summary
/// points, and its closed-form curve where ``Theory`` has one.
struct ChartLine {
    /// The legend label; nil when the chart has this one line only.
    var label: String?
    var points: [ResultsReader.SummaryPoint]
    var theory: [Double]?
}

/// The charts of one metric over some lines, with the band rule of `collapse report`
/// and `collapse compare`: the replicate mean with its 95% t-band; where that band
/// crosses a bound the metric cannot cross (``MetricName/bounds``: a variance below
/// 0), the median with its interquartile range instead; elsewhere both are offered
/// (`metric-NAME.svg` and `metric-NAME-median.svg`).
enum MetricChartSet {
    /// What a metric chart's line and band show.
    enum Band { case mean, quantiles }

    /// (file, caption, svg) of each chart of `metric`.
    static func charts(_ metric: MetricName, lines: [ChartLine]) -> [(String, String, String)] {
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

    static func chart(_ metric: MetricName, lines: [ChartLine], band: Band, file: String,
                      why: String) -> (String, String, String) {
        var series: [LineChart.Series] = []
        let single = lines.count == 1
        for (i, line) in lines.enumerated() {
            let p = line.points, x = p.map { Double($0.generation) }
            switch band {
            case .mean:
                series.append(LineChart.Series(name: line.label ?? "replicate mean", x: x, y: p.map(\.mean),
                                               bandLow: p.map(\.ciLow), bandHigh: p.map(\.ciHigh), colorIndex: i))
            case .quantiles:
                series.append(LineChart.Series(name: line.label ?? "median", x: x, y: p.map(\.median),
                                               bandLow: p.map(\.q25), bandHigh: p.map(\.q75), colorIndex: i))
            }
            if let curve = line.theory {
                series.append(LineChart.Series(name: single ? "theory" : "theory, \(line.label ?? "")",
                                               x: curve.indices.map(Double.init), y: curve, dashed: true, colorIndex: i,
                                               inLegend: single))
            }
        }
        let chart = LineChart(title: metric.rawValue, xLabel: "generation", yLabel: metric.rawValue, series: series)
        let theory = series.contains(where: \.dashed)
            ? "; dashed: closed-form theory" + (band == .quantiles ? " (an expectation: compare it with the mean)" : "") : ""
        let what = band == .mean
            ? "replicate mean by generation with its 95% confidence band"
            : "median across replicates by generation with its interquartile range (q25–q75)"
        return (file, "\(metric.rawValue): \(what)\(why)\(theory).", chart.svg)
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
