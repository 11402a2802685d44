import CGSL

/// `summary.csv`: across replicates, per (cell, generation, metric), the mean, the
/// standard deviation (n − 1), a 95% Student-t interval mean ± t₀.₉₇₅,ₖ₋₁·sd/√k, and
/// the median and 5/25/75/95% quantiles, over the k replicates with a finite value
/// (`replicates` column). GSL statistics; the quantiles are GSL's
/// `gsl_stats_quantile_from_sorted_data`, linear interpolation between order
/// statistics at (k − 1)p (Hyndman and Fan's type 7, numpy's default `linear`).
public enum SummaryTable {
    public static let header = "cell,generation,metric,mean,sd,ci_low,ci_high,replicates,median,q05,q25,q75,q95"
    /// The header before the quantile columns were appended (still read by `report`).
    public static let headerWithoutQuantiles = "cell,generation,metric,mean,sd,ci_low,ci_high,replicates"
    /// The probabilities of the quantile columns, in order: median, q05, q25, q75, q95.
    public static let quantileProbabilities = [0.5, 0.05, 0.25, 0.75, 0.95]

    public struct Row: Equatable, Sendable {
        public var mean, sd, ciLow, ciHigh: Double
        public var replicates: Int
        /// median, q05, q25, q75, q95 (NaN without finite values).
        public var quantiles: [Double]

        public var median: Double { quantiles[0] }
    }

    /// Mean, sd, 95% t-interval and quantiles of the finite values in `values`.
    public static func summarize<Values: Sequence<Double>>(_ values: Values) -> Row {
        var finite = values.filter { $0.isFinite }
        let k = finite.count
        let none = [Double](repeating: .nan, count: quantileProbabilities.count)
        guard k > 0 else { return Row(mean: .nan, sd: .nan, ciLow: .nan, ciHigh: .nan, replicates: 0, quantiles: none) }
        let mean = finite.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, k) }
        RadixSort.sort(&finite)
        let quantiles = finite.withUnsafeBufferPointer { p in
            quantileProbabilities.map { gsl_stats_quantile_from_sorted_data(p.baseAddress, 1, k, $0) }
        }
        guard k > 1 else { return Row(mean: mean, sd: .nan, ciLow: .nan, ciHigh: .nan, replicates: 1, quantiles: quantiles) }
        let sd = finite.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, k, mean) }
        let half = gsl_cdf_tdist_Pinv(0.975, Double(k - 1)) * sd / Double(k).squareRoot()
        return Row(mean: mean, sd: sd, ciLow: mean - half, ciHigh: mean + half, replicates: k, quantiles: quantiles)
    }

    /// The summary of `metric` at generation `g` across a cell's chains (nil if the
    /// cell did not compute that metric).
    public static func summary(_ cell: CellResult, metric: MetricName, generation g: Int) -> Row? {
        guard cell.metrics.contains(metric) else { return nil }
        return summarize(cell.values(of: metric, generation: g))
    }

    public static func csv(_ results: [CellResult]) -> String {
        var out = CSVBytes()
        out.append(header + "\n")
        for cell in results.sorted(by: { $0.cell.id < $1.cell.id }) {
            let m = cell.metrics.count
            let maxGenerations = cell.chains.map { $0.generationCount(metricCount: m) }.max() ?? 0
            for g in 0..<maxGenerations {
                for name in cell.metrics {
                    appendRow(cell: cell.cell.id, generation: g, metric: name, summary(cell, metric: name, generation: g)!, to: &out)
                }
            }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Appends one row (no header).
    public static func appendRow(cell: String, generation g: Int, metric: MetricName, _ row: Row, to out: inout CSVBytes) {
        out.append("\(cell),\(g),\(metric.rawValue),")
        out.append([row.mean, row.sd, row.ciLow, row.ciHigh].map(NumberFormat.double).joined(separator: ","))
        out.append(",\(row.replicates),")
        out.append(row.quantiles.map(NumberFormat.double).joined(separator: ","))
        out.append("\n")
    }
}
