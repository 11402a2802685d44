import CollapseKit
import Foundation

/// The table `collapse run` prints after the quickstart: every tenth generation of
/// the first cell, one group of columns per metric shown.
///
/// With the default metrics it shows the quickstart's story, `variance` and
/// `tail_mass_ratio` (those of them the config computes); with `metrics` set (`--set
/// 'metrics=[ks]'`) every metric requested, and every metric computed when none of the
/// two is. A metric's columns: the replicate mean with its 95% CI (``SummaryTable``),
/// the closed form E[metric_t] where ``Theory/curves(for:)`` has one, and for
/// `tail_mass_ratio` the median too (chains whose mean drifted far pull its mean up).
enum QuickstartTable {
    static let headline: [MetricName] = [.variance, .tailMassRatio]

    /// The metrics the table shows for `config` (see the type's comment).
    static func shownMetrics(_ config: ExperimentConfig) -> [MetricName] {
        let defaults = config.model.descriptor.metrics(real: config.real).map(\.name).filter(\.isDefault).sorted()
        let shown = config.metrics == defaults ? headline.filter(config.metrics.contains) : config.metrics
        return shown.isEmpty ? config.metrics : shown
    }

    /// One column: a header and a cell per shown generation.
    struct Column {
        var header: String
        var cell: (Int) -> String
    }

    static func table(_ cell: CellSummary, config: ExperimentConfig) -> String {
        let G = config.generations
        let generations = Array(stride(from: 0, through: G, by: max(1, G / 10)))
        let curves = Theory.curves(for: config)
        var columns = [Column(header: "generation") { String($0) }]
        for metric in shownMetrics(config) {
            let name = metric.rawValue
            if metric == .tailMassRatio {
                columns.append(Column(header: "\(name) median") { g in number(cell.row(metric, generation: g)?.median ?? .nan) })
                columns.append(Column(header: "mean") { g in number(cell.row(metric, generation: g)?.mean ?? .nan) })
            } else {
                columns.append(Column(header: "\(name) mean [95% CI]") { g in
                    guard let s = cell.row(metric, generation: g) else { return number(.nan) }
                    return "\(number(s.mean)) [\(number(s.ciLow)), \(number(s.ciHigh))]"
                })
            }
            if let curve = curves.first(where: { $0.metric == metric }) {
                columns.append(Column(header: "theory E[\(name)]") { g in
                    g < curve.values.count ? number(curve.values[g]) : "–"
                })
            }
        }
        let rows = [columns.map(\.header)] + generations.map { g in columns.map { $0.cell(g) } }
        let widths = columns.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { c in String(repeating: " ", count: widths[c] - row[c].count) + row[c] }
                .joined(separator: "   ")
        }.joined(separator: "\n")
    }

    static func number(_ x: Double) -> String { String(format: "%.4f", x) }
}
