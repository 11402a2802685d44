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

    /// Each metric's charts (``MetricChartSet``), one line per cell.
    func metricCharts() -> [(String, String, String)] {
        metrics.flatMap { metric in
            MetricChartSet.charts(metric, lines: orderedCells.compactMap { cell in
                results.summary[cell.id]?[metric].map { points in
                    ChartLine(label: cell.parameters.isEmpty ? nil : label(cell), points: points,
                              theory: Theory.curves(for: cell.config).first { $0.metric == metric }?.values)
                }
            })
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

    /// The survival curves of each kind of event in the run (``SurvivalCharts``), one
    /// line per cell.
    func survivalCharts() -> [(String, String, String)] {
        SurvivalCharts.charts(orderedCells.map { cell in
            SurvivalCharts.Line(label: cell.parameters.isEmpty ? "chains" : label(cell), events: results.events[cell.id] ?? [],
                                chains: cell.config.replicates, generations: cell.config.generations,
                                threshold: cell.config.collapse)
        })
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
