import CGSL

/// `summary.csv`: across replicates, per (cell, generation, metric), the mean, the
/// standard deviation (n − 1) and a 95% Student-t interval mean ± t₀.₉₇₅,ₖ₋₁·sd/√k,
/// over the k replicates with a finite value (`replicates` column). GSL statistics.
public enum SummaryTable {
    public static let header = "cell,generation,metric,mean,sd,ci_low,ci_high,replicates"

    public struct Row: Equatable, Sendable {
        public var mean, sd, ciLow, ciHigh: Double
        public var replicates: Int
    }

    /// Mean, sd and 95% t-interval of the finite values in `values`.
    public static func summarize(_ values: [Double]) -> Row {
        let finite = values.filter { $0.isFinite }
        let k = finite.count
        guard k > 0 else { return Row(mean: .nan, sd: .nan, ciLow: .nan, ciHigh: .nan, replicates: 0) }
        let mean = finite.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, k) }
        guard k > 1 else { return Row(mean: mean, sd: .nan, ciLow: .nan, ciHigh: .nan, replicates: 1) }
        let sd = finite.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, k, mean) }
        let half = gsl_cdf_tdist_Pinv(0.975, Double(k - 1)) * sd / Double(k).squareRoot()
        return Row(mean: mean, sd: sd, ciLow: mean - half, ciHigh: mean + half, replicates: k)
    }

    /// The summary of `metric` at generation `g` across a cell's chains (nil if the
    /// cell did not compute that metric).
    public static func summary(_ cell: CellResult, metric: MetricName, generation g: Int) -> Row? {
        guard cell.metrics.contains(metric) else { return nil }
        return summarize(cell.values(of: metric, generation: g))
    }

    public static func csv(_ results: [CellResult]) -> String {
        var out = header + "\n"
        for cell in results.sorted(by: { $0.cell.id < $1.cell.id }) { append(cell, to: &out) }
        return out
    }

    /// Appends one cell's rows (no header).
    public static func append(_ cell: CellResult, to out: inout String) {
        let m = cell.metrics.count
        let maxGenerations = cell.chains.map { $0.generationCount(metricCount: m) }.max() ?? 0
        for g in 0..<maxGenerations {
            for name in cell.metrics {
                let row = summary(cell, metric: name, generation: g)!
                out += "\(cell.cell.id),\(g),\(name.rawValue),"
                out += [row.mean, row.sd, row.ciLow, row.ciHigh].map(NumberFormat.double).joined(separator: ",")
                out += ",\(row.replicates)\n"
            }
        }
    }
}
