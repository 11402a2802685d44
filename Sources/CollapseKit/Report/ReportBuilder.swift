import Foundation

/// Builds `DIR/report/` from a results folder: one SVG per metric (replicate mean
/// against generation with its 95% band, one line per cell, the closed-form curve
/// dashed where ``Theory`` has one), final value against each numeric swept
/// parameter, snapshot histograms against the real distribution, and `index.html`
/// tying them together.
public struct ReportBuilder {
    public let results: ResultsReader

    public init(results: ResultsReader) { self.results = results }

    /// A written chart: file name and caption.
    public struct Figure: Equatable {
        public var file: String
        public var caption: String
    }

    /// Writes every chart and index.html into `folder/report/`; returns the figures.
    @discardableResult
    public func write() throws -> [Figure] {
        let dir = results.folder.appendingPathComponent("report")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError.cannotWrite(path: dir.path, reason: error.localizedDescription)
        }
        var figures: [Figure] = []
        for (file, caption, svg) in survivalCharts() + metricCharts() + sweepCharts() + snapshotCharts() {
            try AtomicFile.write(svg, to: dir.appendingPathComponent(file))
            figures.append(Figure(file: file, caption: caption))
        }
        try AtomicFile.write(ReportHTML(results: results, figures: figures).html,
                             to: dir.appendingPathComponent("index.html"))
        return figures
    }

    // MARK: Labels

    /// The legend label of a cell: its swept parameters, or `summary` ("replicate mean")
    /// alone.
    func label(_ cell: Cell, summary: String = "replicate mean") -> String {
        if cell.parameters.isEmpty { return summary }
        return cell.parameters.keys.sorted().map { "\(shortKey($0))=\(Self.valueText(cell.parameters[$0]!))" }
            .joined(separator: ", ")
    }

    /// A swept key's last path component (`real_fraction` for `policy.real_fraction`)
    /// when no other swept key ends the same way; else the whole dotted path.
    func shortKey(_ key: String) -> String {
        let last = { (k: String) in String(k.split(separator: ".").last ?? Substring(k)) }
        let keys = Set(results.cells.flatMap(\.parameters.keys))
        return keys.filter { last($0) == last(key) }.count == 1 ? last(key) : key
    }

    static func valueText(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return NumberFormat.double(d)
        default: return v.jsonText(pretty: false)
        }
    }

    static func numeric(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The metrics present in the summary: the family's primary metrics first, in its
    /// order (``FamilyDescriptor/primaryMetrics``), then the others by name.
    var metrics: [MetricName] {
        let present = Set(results.summary.values.flatMap(\.keys))
        let primary = results.config.model.descriptor.primaryMetrics.filter(present.contains)
        return primary + present.subtracting(primary).sorted()
    }

    /// The cells in legend order: by their swept values, numbers numerically
    /// (samples=20 before samples=100), keys in name order.
    var orderedCells: [Cell] {
        results.cells.sorted { a, b in Self.precedes(a.parameters, b.parameters) }
    }

    /// Parameter maps compared key by key (sorted keys), numbers as numbers.
    static func precedes(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> Bool {
        for key in Set(a.keys).union(b.keys).sorted() {
            let x = a[key] ?? .null, y = b[key] ?? .null
            if x == y { continue }
            if let u = numeric(x), let v = numeric(y), u != v { return u < v }
            return valueText(x) < valueText(y)
        }
        return false
    }

    // MARK: Charts

    /// One chart per metric, of the replicate mean with its 95% t-band. Where that band
    /// crosses a bound the metric cannot cross (``MetricName/bounds``: a variance below
    /// 0), the median with its interquartile range is drawn instead; elsewhere both are
    /// offered (`metric-NAME.svg` and `metric-NAME-median.svg`).
    func metricCharts() -> [(String, String, String)] {
        metrics.flatMap { metric -> [(String, String, String)] in
            let points = orderedCells.compactMap { results.summary[$0.id]?[metric] }
            let crosses = metric.isCrossed(low: points.flatMap { $0.map(\.ciLow) }, high: points.flatMap { $0.map(\.ciHigh) })
            let hasQuantiles = points.contains { $0.contains { $0.median.isFinite } }
            let bound = Self.boundText(metric)
            if crosses && hasQuantiles {
                return [chart(metric, band: .quantiles, file: "metric-\(metric.rawValue).svg",
                              why: " (the mean's 95% t-interval crosses \(bound) at some generation, so the median is drawn)")]
            }
            var out = [chart(metric, band: .mean, file: "metric-\(metric.rawValue).svg", why: "")]
            if hasQuantiles { out.append(chart(metric, band: .quantiles, file: "metric-\(metric.rawValue)-median.svg", why: "")) }
            return out
        }
    }

    /// What a metric chart's line and band show.
    enum Band { case mean, quantiles }

    func chart(_ metric: MetricName, band: Band, file: String, why: String) -> (String, String, String) {
        var series: [LineChart.Series] = []
        let cells = orderedCells
        for (i, cell) in cells.enumerated() {
            guard let points = results.summary[cell.id]?[metric] else { continue }
            let x = points.map { Double($0.generation) }
            switch band {
            case .mean:
                series.append(LineChart.Series(name: label(cell), x: x, y: points.map(\.mean),
                                               bandLow: points.map(\.ciLow), bandHigh: points.map(\.ciHigh), colorIndex: i))
            case .quantiles:
                series.append(LineChart.Series(name: label(cell, summary: "median"), x: x, y: points.map(\.median),
                                               bandLow: points.map(\.q25), bandHigh: points.map(\.q75), colorIndex: i))
            }
            if let curve = Theory.curves(for: cell.config).first(where: { $0.metric == metric }) {
                series.append(LineChart.Series(
                    name: cells.count == 1 ? "theory" : "theory, \(label(cell))",
                    x: curve.values.indices.map(Double.init), y: curve.values, dashed: true, colorIndex: i,
                    inLegend: cells.count == 1))
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

    /// "≥ 0", "0 … 1": a metric's bounds in words.
    static func boundText(_ metric: MetricName) -> String {
        switch metric.bounds {
        case (let l?, let u?): return "\(NumberFormat.double(l)) … \(NumberFormat.double(u))"
        case (let l?, nil): return "its lower bound \(NumberFormat.double(l))"
        case (nil, let u?): return "its upper bound \(NumberFormat.double(u))"
        case (nil, nil): return "no bound"
        }
    }

    /// Final-generation mean against each swept parameter whose values are numbers,
    /// one line per combination of the other swept parameters.
    func sweepCharts() -> [(String, String, String)] {
        let keys = Set(results.cells.flatMap(\.parameters.keys)).sorted()
        var out: [(String, String, String)] = []
        for key in keys where results.cells.allSatisfy({ $0.parameters[key].flatMap(Self.numeric) != nil }) {
            let others = keys.filter { $0 != key }
            let groups = Dictionary(grouping: orderedCells) { cell in
                others.map { "\($0)=\(Self.valueText(cell.parameters[$0] ?? .null))" }.joined(separator: ", ")
            }
            // Groups in the order of their first cell (numeric values numerically).
            let names = groups.keys.sorted { a, b in
                Self.precedes(groups[a]![0].parameters.filter { others.contains($0.key) },
                              groups[b]![0].parameters.filter { others.contains($0.key) })
            }
            for metric in metrics {
                var series: [LineChart.Series] = []
                for (i, name) in names.enumerated() {
                    var rows: [(x: Double, p: ResultsReader.SummaryPoint)] = []
                    for cell in groups[name]! {
                        guard let last = results.summary[cell.id]?[metric]?.last else { continue }
                        rows.append((Self.numeric(cell.parameters[key]!)!, last))
                    }
                    rows.sort { $0.x < $1.x }
                    series.append(LineChart.Series(
                        name: name.isEmpty ? "final generation" : name, x: rows.map(\.x), y: rows.map(\.p.mean),
                        bandLow: rows.map(\.p.ciLow), bandHigh: rows.map(\.p.ciHigh), markers: true, colorIndex: i))
                }
                let chart = LineChart(title: "\(metric.rawValue) at the final generation", xLabel: key,
                                      yLabel: metric.rawValue, series: series)
                out.append(("final-\(metric.rawValue)-by-\(key).svg",
                            "\(metric.rawValue) at the last generation against \(key), with 95% confidence bands.",
                            chart.svg))
            }
        }
        return out
    }

    /// For each kind of event in the run, the survival curve of each cell: the share of
    /// its chains that have not had the event by generation t (Kaplan–Meier without
    /// censoring: every chain is followed to the last generation or its event).
    /// `threshold_crossed` comes first: collapse times under `output.collapse`.
    func survivalCharts() -> [(String, String, String)] {
        let kinds = Set(results.events.values.flatMap { $0.map(\.kind) })
        let ordered = [ChainEvent.Kind.thresholdCrossed].filter(kinds.contains)
            + ChainEvent.Kind.allCases.filter { $0 != .thresholdCrossed && kinds.contains($0) }
        let generations = results.cells.map(\.config.generations).max() ?? 0
        return ordered.map { kind in
            var series: [LineChart.Series] = []
            for (i, cell) in orderedCells.enumerated() {
                let first = Dictionary(grouping: (results.events[cell.id] ?? []).filter { $0.kind == kind }, by: \.replicate)
                    .mapValues { $0.map(\.generation).min()! }
                let n = Double(cell.config.replicates)
                let x = (0...generations).map(Double.init)
                let y = (0...generations).map { t in 1 - Double(first.values.count { $0 <= t }) / n }
                series.append(LineChart.Series(name: label(cell, summary: "chains"), x: x, y: y, colorIndex: i))
            }
            let what = kind == .thresholdCrossed
                ? "chains whose \(results.config.collapse?.description ?? "output.collapse threshold") has not been reached"
                : "chains without \(kind.rawValue)"
            let chart = LineChart(title: "survival: \(kind.rawValue)", xLabel: "generation", yLabel: "share of chains",
                                  series: series, logY: false)
            return ("survival-\(kind.rawValue).svg",
                    "Share of \(what) by generation (1 at the start; a step down at each chain's first \(kind.rawValue); events.csv).",
                    chart.svg)
        }
    }

    func snapshotCharts() -> [(String, String, String)] {
        var out: [(String, String, String)] = []
        for cell in results.cells {
            guard let snaps = results.snapshots[cell.id] else { continue }
            for snap in snaps {
                guard let chart = SnapshotHistogram.chart(snap, config: cell.config,
                                                          title: "generation \(snap.generation)"
                                                            + (cell.parameters.isEmpty ? "" : " — \(label(cell))"))
                else { continue }
                out.append(("snapshot-\(cell.id)-g\(snap.generation).svg",
                            "Generated sample of replicate 0 at generation \(snap.generation) against the real distribution"
                            + (cell.parameters.isEmpty ? "." : " (\(label(cell))).") , chart.svg))
            }
        }
        return out
    }
}
