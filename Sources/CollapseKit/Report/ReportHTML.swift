import Foundation

/// `report/index.html`: one self-contained page (inline CSS, no scripts, no network
/// resources) with the run's facts, a table of final values, every chart and the
/// resolved config. Charts are referenced as files beside it.
struct ReportHTML {
    let results: ResultsReader
    let figures: [ReportBuilder.Figure]

    /// The page's opening, up to and including `<body>`: inline CSS, no scripts.
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVGDocument.escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 980px; padding: 1rem; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
        td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
        .scroll { overflow-x: auto; }
        figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.9rem; color: #555; }
        pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
        </style>
        </head>
        <body>

        """
    }

    /// One chart as a figure with its caption; on a narrow screen (a phone) the browser
    /// picks the narrow rendering, whose text stays legible.
    static func figure(_ f: ReportBuilder.Figure) -> String {
        let file = SVGDocument.escape(f.file), caption = SVGDocument.escape(f.caption)
        let narrow = f.narrowFile.map { "<source media=\"(max-width: 600px)\" srcset=\"\(SVGDocument.escape($0))\">" } ?? ""
        return "<figure><picture>\(narrow)<img src=\"\(file)\" alt=\"\(caption)\"></picture><figcaption>\(caption)</figcaption></figure>\n"
    }

    var html: String {
        let name = results.config.name
        var out = Self.head(title: "\(name) — collapse report") + "<h1>\(esc(name))</h1>\n"
        out += "<h2>Run</h2>\n<div class=\"scroll\"><table>\n"
        for (key, value) in facts { out += "<tr><th>\(esc(key))</th><td>\(esc(value))</td></tr>\n" }
        out += "</table></div>\n"
        out += finalValues
        out += "<h2>Charts</h2>\n"
        for f in figures { out += Self.figure(f) }
        out += "<h2>Config</h2>\n<pre>\(esc(results.manifest["config"]?.yamlText() ?? ""))</pre>\n"
        out += "<p>Written by <code>collapse report</code>. The data: <code>summary.csv</code>, <code>metrics.csv</code> and <code>manifest.json</code> in the folder above this one.</p>\n"
        return out + "</body>\n</html>\n"
    }

    var facts: [(String, String)] {
        let m = results.manifest
        func text(_ key: String) -> String? {
            guard let v = m[key] else { return nil }
            if case .null = v { return nil }
            return ReportBuilder.valueText(v)
        }
        var tool = "collapse"
        if case .map(let t)? = m["tool"], let v = t["version"] { tool += " " + ReportBuilder.valueText(v) }
        let c = results.config
        var rows: [(String, String)] = [("tool", tool)]
        if let g = text("git_commit") { rows.append(("git commit", g)) }
        if let g = text("gsl_version") { rows.append(("GSL", g)) }
        rows.append(("seed", String(c.seed)))
        rows.append(("rng", c.rng.rawValue))
        rows.append(("cells", String(results.cells.count)))
        let chains = results.cells.reduce(0) { $0 + $1.config.replicates }
        rows.append(("chains", swept("replicates").map { "\(chains) (replicates per cell: \($0))" }
                        ?? "\(chains) (\(c.replicates) replicates per cell)"))
        rows.append(("generations", swept("generations") ?? String(c.generations)))
        rows.append(("samples", swept("samples") ?? String(c.samples)))
        for key in Set(results.cells.flatMap(\.parameters.keys)).sorted()
        where !["replicates", "generations", "samples"].contains(key) {
            rows.append(("swept \(key)", swept(key)!))
        }
        if let w = text("wall_seconds") { rows.append(("wall time", w + " s")) }
        if let j = text("jobs") { rows.append(("workers", j)) }
        if let s = text("started_at") { rows.append(("started", s)) }
        return rows
    }

    /// A swept key's values across the cells ("20, 50, 100 (swept)"), numbers in
    /// numeric order; nil when the key is not swept.
    func swept(_ key: String) -> String? {
        var values: [JSONValue] = []
        for cell in results.cells { if let v = cell.parameters[key], !values.contains(v) { values.append(v) } }
        guard !values.isEmpty else { return nil }
        values.sort(by: ReportBuilder.precedes)
        return values.map(ReportBuilder.valueText).joined(separator: ", ") + " (swept)"
    }

    /// Final-generation mean [95% CI] and median of every metric, one column per cell.
    var finalValues: String {
        let builder = ReportBuilder(results: results)
        var out = "<h2>Final values</h2>\n<p>Replicate mean [95% CI] at the last generation; below it, the median across replicates.</p>\n<div class=\"scroll\"><table>\n<tr><th>metric</th>"
        let cells = builder.orderedCells
        for cell in cells { out += "<th>\(esc(builder.label(cell)))</th>" }
        out += "</tr>\n"
        for metric in builder.metrics {
            out += "<tr><th>\(esc(metric.rawValue))</th>"
            for cell in cells {
                if let p = results.summary[cell.id]?[metric]?.last {
                    out += "<td class=\"num\">\(fmt(p.mean)) [\(fmt(p.ciLow)), \(fmt(p.ciHigh))]"
                        + (p.median.isFinite ? "<br>median \(fmt(p.median))" : "") + "</td>"
                } else {
                    out += "<td>–</td>"
                }
            }
            out += "</tr>\n"
        }
        return out + "</table></div>\n"
    }

    func fmt(_ x: Double) -> String {
        guard x.isFinite else { return NumberFormat.double(x) }
        if x != 0 && (abs(x) >= 1e5 || abs(x) < 1e-3) { return String(format: "%.3e", x) }
        return String(format: "%.4f", x)
    }

    func esc(_ s: String) -> String { SVGDocument.escape(s) }
}
