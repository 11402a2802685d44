import Foundation

/// Builds `DIR/report/` from a results folder: one SVG per metric (replicate mean
/// against generation with its 95% band, one line per cell, the closed-form curve
/// dashed where ``Theory`` has one), final value against each numeric swept
/// parameter, snapshot histograms against the real distribution, the charts of
/// `collapse analyze` when its tables are there (``AnalysisCharts``), and `index.html`
/// tying them together.
public struct ReportBuilder {
    public let results: ResultsReader
    /// The swept key whose values split a chart of more than ``maximumLines`` lines into
    /// small multiples (`report --facet`); nil: the swept key with the fewest values.
    public let facet: String?

    /// Charts of more lines than this are drawn as small multiples.
    public static let maximumLines = 6

    public init(results: ResultsReader, facet: String? = nil) {
        self.results = results
        self.facet = facet
    }

    /// A written chart: file name, caption and its narrow (phone) rendering's file.
    public struct Figure: Equatable {
        public var file: String
        public var caption: String
        public var narrowFile: String? = nil
    }

    /// The swept keys, by name.
    public var sweptKeys: [String] { Set(results.cells.flatMap(\.parameters.keys)).sorted() }

    /// The key the small multiples split by: `facet`, else the swept key with the
    /// fewest distinct values (ties by name); nil without swept keys.
    var facetKey: String? {
        if let facet { return facet }
        let count = { (k: String) in Set(results.cells.compactMap { $0.parameters[k]?.jsonText(pretty: false) }).count }
        return sweptKeys.min { (count($0), $0) < (count($1), $1) }
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
        let figures = try Self.write(survivalCharts() + metricCharts() + sweepCharts() + imageGrids() + snapshotCharts()
                                         + AnalysisCharts.charts(folder: results.folder), to: dir)
        try AtomicFile.write(ReportHTML(results: results, figures: figures).html,
                             to: dir.appendingPathComponent("index.html"))
        return figures
    }

    /// Writes each chart's renderings into `dir` (each atomically).
    static func write(_ charts: [ChartFile], to dir: URL) throws -> [Figure] {
        try charts.map { chart in
            try AtomicFile.write(chart.wide, to: dir.appendingPathComponent(chart.file))
            if let narrow = chart.narrow, let name = chart.narrowFile {
                try AtomicFile.write(narrow, to: dir.appendingPathComponent(name))
            }
            return Figure(file: chart.file, caption: chart.caption, narrowFile: chart.narrowFile)
        }
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

    /// Parameter maps compared key by key (sorted keys), each value pair by the value comparison below.
    static func precedes(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> Bool {
        for key in Set(a.keys).union(b.keys).sorted() {
            let x = a[key] ?? .null, y = b[key] ?? .null
            if x != y { return precedes(x, y) }
        }
        return false
    }

    /// Two swept values in legend order: numbers numerically, anything else by its text.
    static func precedes(_ x: JSONValue, _ y: JSONValue) -> Bool {
        if let u = numeric(x), let v = numeric(y), u != v { return u < v }
        return valueText(x) < valueText(y)
    }

    // MARK: Charts

    /// Each metric's charts (``MetricChartSet``), one line per cell; with more than
    /// ``maximumLines`` cells, one panel per value of ``facetKey``, the lines in each
    /// panel labelled (and coloured, alike in every panel) by the other swept keys.
    func metricCharts() -> [ChartFile] {
        let cells = orderedCells
        let facetKey = cells.count > Self.maximumLines ? self.facetKey : nil
        let others = sweptKeys.filter { $0 != facetKey }
        var colors: [String: Int] = [:]
        let otherLabel = { (cell: Cell) -> String in
            others.map { "\(self.shortKey($0))=\(Self.valueText(cell.parameters[$0] ?? .null))" }.joined(separator: ", ")
        }
        for cell in cells where colors[otherLabel(cell)] == nil { colors[otherLabel(cell)] = colors.count }
        return metrics.flatMap { metric in
            MetricChartSet.charts(metric, lines: cells.compactMap { cell in
                results.summary[cell.id]?[metric].map { points in
                    let theory = Theory.curves(for: cell.config).first { $0.metric == metric }?.values
                    guard let facetKey else {
                        return ChartLine(label: cell.parameters.isEmpty ? nil : label(cell), points: points, theory: theory)
                    }
                    let other = otherLabel(cell)
                    return ChartLine(label: other.isEmpty ? "replicate mean" : other, points: points, theory: theory,
                                     panel: "\(shortKey(facetKey))=\(Self.valueText(cell.parameters[facetKey] ?? .null))",
                                     colorIndex: colors[other])
                }
            })
        }
    }

    /// Final-generation mean against each swept parameter whose values are numbers,
    /// one line per combination of the other swept parameters.
    func sweepCharts() -> [ChartFile] {
        let keys = sweptKeys
        var out: [ChartFile] = []
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
                out.append(ChartFile("final-\(metric.rawValue)-by-\(key).svg",
                                     "\(metric.rawValue) at the last generation against \(key), with 95% confidence bands.",
                                     chart))
            }
        }
        return out
    }

    /// The survival curves of each kind of event in the run (``SurvivalCharts``), one
    /// line per cell.
    func survivalCharts() -> [ChartFile] {
        SurvivalCharts.charts(orderedCells.map { cell in
            SurvivalCharts.Line(label: cell.parameters.isEmpty ? "chains" : label(cell), events: results.events[cell.id] ?? [],
                                chains: cell.config.replicates, generations: cell.config.generations,
                                threshold: cell.config.collapse)
        })
    }

    /// Each cell's snapshots as pictures, when its data are images (``ImageGrid``).
    func imageGrids() -> [ChartFile] {
        results.cells.compactMap { cell in
            guard let snaps = results.snapshots[cell.id],
                  let svg = ImageGrid.svg(snaps.sorted { $0.generation < $1.generation }, config: cell.config,
                                          title: "Generated images, replicate 0" + (cell.parameters.isEmpty ? "" : " — \(label(cell))"))
            else { return nil }
            return ChartFile("images-\(cell.id).svg",
                             "The first \(ImageGrid.perRow) generated images of replicate 0 at each snapshot generation"
                                 + (cell.parameters.isEmpty ? "." : " (\(label(cell)))."),
                             wide: svg, narrow: nil)
        }
    }

    func snapshotCharts() -> [ChartFile] {
        var out: [ChartFile] = []
        for cell in results.cells {
            guard let snaps = results.snapshots[cell.id] else { continue }
            for snap in snaps {
                guard let chart = SnapshotHistogram.chart(snap, config: cell.config,
                                                          title: "generation \(snap.generation)"
                                                            + (cell.parameters.isEmpty ? "" : " — \(label(cell))"))
                else { continue }
                out.append(ChartFile("snapshot-\(cell.id)-g\(snap.generation).svg",
                                     "Generated sample of replicate 0 at generation \(snap.generation) against the real distribution"
                                         + (cell.parameters.isEmpty ? "." : " (\(label(cell))).") ,
                                     wide: chart.svg(layout: .wide), narrow: chart.svg(layout: .narrow)))
            }
        }
        return out
    }
}
