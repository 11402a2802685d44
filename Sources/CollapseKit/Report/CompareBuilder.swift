import Foundation

/// `collapse compare DIR… --out DIR`: the charts of `collapse report` across several
/// results folders, one line per experiment × cell, in one folder with its own
/// `index.html`. Lines are labelled by the config paths whose values differ between
/// them (``ConfigLeaves``: `kind=accumulate`, `real_fraction=0.1, samples=20`), never by
/// raw JSON, and by the experiment name where nothing else tells two lines apart.
public struct CompareBuilder {
    public let runs: [ResultsReader]

    public init(runs: [ResultsReader]) { self.runs = runs }

    /// One compared line: a cell of one run.
    struct Entry {
        let run: ResultsReader
        let cell: Cell
        var label: String
    }

    /// Every (run, cell), runs in the order given and cells in their report order, with
    /// labels from the differing config paths.
    var entries: [Entry] {
        var out: [Entry] = []
        for run in runs { for cell in ReportBuilder(results: run).orderedCells { out.append(Entry(run: run, cell: cell, label: "")) } }
        let leaves = out.map { ConfigLeaves.flatten($0.cell.config.jsonValue) }
        let paths = Set(leaves.flatMap(\.keys)).sorted().filter { path in
            !Self.isBookkeeping(path) && Set(leaves.map { $0[path] ?? "" }).count > 1
        }
        let short = Self.shortNames(paths)
        for i in out.indices {
            // A line names only the paths it has (a replace line no real_fraction).
            out[i].label = paths.compactMap { p in leaves[i][p].map { "\(short[p]!)=\($0)" } }.joined(separator: ", ")
        }
        // Lines no config path tells apart (two runs of one config, or only `name`
        // differs) are named by their experiment.
        let counts = Dictionary(grouping: out.indices, by: { out[$0].label }).mapValues(\.count)
        for i in out.indices where out[i].label.isEmpty || counts[out[i].label]! > 1 {
            out[i].label = out[i].label.isEmpty ? out[i].run.config.name : "\(out[i].run.config.name): \(out[i].label)"
        }
        return out
    }

    /// Config paths that say how a run was done or recorded, not what was studied: they
    /// stay out of labels (`metrics`, `seed`, `rng`, `sampler`, `heldout`, `output.…`,
    /// a file's `sha256`).
    static func isBookkeeping(_ path: String) -> Bool {
        ["metrics", "seed", "rng", "sampler", "heldout"].contains(path) || path.hasPrefix("output.") || path.hasSuffix(".sha256")
    }

    /// Each path's last component where no other path ends the same way, else the path.
    static func shortNames(_ paths: [String]) -> [String: String] {
        let last = { (p: String) in String(p.split(separator: ".").last ?? Substring(p)) }
        return Dictionary(uniqueKeysWithValues: paths.map { p in
            (p, paths.filter { last($0) == last(p) }.count == 1 ? last(p) : p)
        })
    }

    /// The metrics of any run, the first run's family's primary metrics first.
    var metrics: [MetricName] {
        let present = Set(runs.flatMap { $0.summary.values.flatMap(\.keys) })
        let primary = (runs.first?.config.model.descriptor.primaryMetrics ?? []).filter(present.contains)
        return primary + present.subtracting(primary).sorted()
    }

    /// Writes every chart and index.html into `folder` (created if missing).
    @discardableResult
    public func write(to folder: URL) throws -> [ReportBuilder.Figure] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw OutputError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
        let entries = self.entries
        let survival = SurvivalCharts.charts(entries.map { e in
            SurvivalCharts.Line(label: e.label, events: e.run.events[e.cell.id] ?? [], chains: e.cell.config.replicates,
                                generations: e.cell.config.generations, threshold: e.cell.config.collapse)
        })
        let charts = metrics.flatMap { metric in
            MetricChartSet.charts(metric, lines: entries.compactMap { e in
                e.run.summary[e.cell.id]?[metric].map { points in
                    ChartLine(label: e.label, points: points,
                              theory: Theory.curves(for: e.cell.config).first { $0.metric == metric }?.values)
                }
            })
        }
        let figures = try ReportBuilder.write(survival + charts, to: folder)
        try AtomicFile.write(CompareHTML(entries: entries, figures: figures).html, to: folder.appendingPathComponent("index.html"))
        try AtomicFile.write(JSONValue.map(["compare": .list(runs.map { .string($0.folder.path) })]).jsonText(pretty: true) + "\n",
                             to: folder.appendingPathComponent(Self.markerFile))
        return figures
    }

    /// The file that marks a folder as `collapse compare`'s (so it may be rewritten).
    public static let markerFile = "compare.json"
}

/// The compare page: the lines compared (experiment, folder, cell, label), then every
/// chart. Self-contained like the report's page.
struct CompareHTML {
    let entries: [CompareBuilder.Entry]
    let figures: [ReportBuilder.Figure]

    var html: String {
        var out = ReportHTML.head(title: "collapse compare")
        out += "<h1>Comparison of \(entries.count) line\(entries.count == 1 ? "" : "s")</h1>\n"
        out += "<div class=\"scroll\"><table>\n<tr><th>label</th><th>experiment</th><th>folder</th><th>cell</th><th>replicates</th><th>config_hash</th></tr>\n"
        for e in entries {
            let hash = e.run.manifest["config_hash"]?.asString ?? ""
            out += "<tr><td>\(esc(e.label))</td><td>\(esc(e.run.config.name))</td><td>\(esc(e.run.folder.path))</td>"
                + "<td>\(esc(e.cell.id))</td><td class=\"num\">\(e.cell.config.replicates)</td><td>\(esc(hash))</td></tr>\n"
        }
        out += "</table></div>\n<h2>Charts</h2>\n"
        for f in figures { out += ReportHTML.figure(f) }
        out += "<p>Written by <code>collapse compare</code> from the folders above (their <code>summary.csv</code>, <code>events.csv</code> and <code>manifest.json</code>).</p>\n"
        return out + "</body>\n</html>\n"
    }

    func esc(_ s: String) -> String { SVGDocument.escape(s) }
}
