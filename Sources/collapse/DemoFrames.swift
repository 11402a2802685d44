import CollapseKit
import Foundation

/// The text frames of `collapse demo`: per generation, a column histogram of the
/// generated sample (█) with the real distribution's height marked (·), the
/// variance or support size as a sparkline, and a caption (``caption(_:)``): what
/// happened in this chain, and what to expect on average.
struct DemoFrames {
    let config: ExperimentConfig
    let cell: CellResult
    let snapshots: [Snapshot]
    let kind: Demo.Kind

    static let rows = 10
    /// Histogram columns, each drawn two characters wide.
    static let columns = 24
    static let ticks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    var count: Int { min(snapshots.count, cell.chains.first.map { $0.generationCount(metricCount: cell.metrics.count) } ?? 0) }

    /// The tracked number per generation: variance, or support size.
    var tracked: [Double] {
        let metric: MetricName = kind == .gaussian ? .variance : .supportSize
        return (0..<count).map { cell.values(of: metric, generation: $0).first ?? .nan }
    }

    func frame(_ t: Int) -> String {
        let (generated, real, axis) = kind == .gaussian ? gaussianBins(snapshots[t]) : categoryBins(snapshots[t])
        let top = max(generated.max() ?? 0, real.max() ?? 0, 1e-12)
        var lines: [String] = []
        let title = kind == .gaussian ? "Gaussian refitted to its own samples" : "Zipf categories resampled from their own counts"
        lines.append("collapse demo — \(title) — n = \(config.samples), real data \(Int((realFraction * 100).rounded()))% — generation \(t) / \(count - 1)")
        for row in stride(from: Self.rows, through: 1, by: -1) {
            let level = Double(row) / Double(Self.rows) * top
            let below = Double(row - 1) / Double(Self.rows) * top
            var line = "  │"
            for c in 0..<generated.count {
                if generated[c] >= level - top / Double(Self.rows) / 2 { line += "██" }
                else if real[c] > below && real[c] <= level { line += "··" }
                else { line += "  " }
            }
            lines.append(line)
        }
        lines.append("  └" + String(repeating: "─", count: 2 * generated.count))
        lines.append("   " + axis)
        let values = tracked
        let name = kind == .gaussian ? "variance" : "support size"
        let realValue = kind == .gaussian ? 1.0 : Double(config.real.probabilities?.count ?? 0)
        lines.append("  \(name) \(Self.sparkline(Array(values[0...t]), ceiling: max(realValue, values.filter(\.isFinite).max() ?? 1)))  \(NumberFormat.short(values[t])) (real \(NumberFormat.short(realValue)))")
        lines += caption(t).map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    var realFraction: Double {
        if let mix = config.policy.rule as? MixPolicy, case .constant(let f) = mix.realFraction { return f }
        return 0
    }

    /// Column heights of the generated histogram and of the real density, and an axis line.
    func gaussianBins(_ snap: Snapshot) -> ([Double], [Double], String) {
        let low = -4.0, high = 4.0, n = Self.columns
        let width = (high - low) / Double(n)
        var counts = [Double](repeating: 0, count: n)
        for i in 0..<snap.count {
            let x = snap.values[i]
            guard x >= low && x < high else { continue }
            counts[Int((x - low) / width)] += 1
        }
        let generated = counts.map { $0 / Double(max(snap.count, 1)) / width }
        let real = (0..<n).map { c -> Double in
            let a = low + Double(c) * width
            return (Probability.normalCDF(a + width) - Probability.normalCDF(a)) / width
        }
        var axis = Array(repeating: Character(" "), count: 2 * n)
        for (label, x) in [("-4", -4.0), ("-2", -2.0), ("0", 0.0), ("2", 2.0), ("4", 4.0)] {
            let at = min(2 * n - label.count, max(0, Int(2 * (x - low) / width) - (x == 0 ? 0 : 1)))
            for (k, ch) in label.enumerated() { axis[at + k] = ch }
        }
        return (generated, real, String(axis))
    }

    func categoryBins(_ snap: Snapshot) -> ([Double], [Double], String) {
        let p = config.real.probabilities ?? []
        var counts = [Double](repeating: 0, count: p.count)
        for i in 0..<snap.count { counts[Int(snap.values[i])] += 1 }
        let generated = counts.map { $0 / Double(max(snap.count, 1)) }
        let axis = "category 1 (most common) → \(p.count) (rarest)"
        return (generated, p, axis)
    }

    static func sparkline(_ values: [Double], ceiling: Double) -> String {
        let shown = values.suffix(2 * Self.columns)
        return String(shown.map { v -> Character in
            guard v.isFinite, ceiling > 0 else { return " " }
            let i = Int((max(0, min(v / ceiling, 1)) * Double(ticks.count - 1)).rounded())
            return ticks[i]
        })
    }
}

extension NumberFormat {
    /// Four significant digits, for the demo's status line.
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return double(x) }
        return x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(format: "%.4g", x)
    }
}
