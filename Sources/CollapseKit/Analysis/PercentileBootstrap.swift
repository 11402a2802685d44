/// The percentile bootstrap interval (Efron and Tibshirani 1993, *An Introduction to the
/// Bootstrap*, ch. 13.3): the α/2 and 1 − α/2 quantiles of a statistic's values over B
/// resamples, with the quantile of `summary.csv` (Hyndman and Fan 1996's type 7: linear
/// interpolation between order statistics at (B − 1)·p, numpy's default).
///
/// Resamples draw a cell's replicates with replacement (Efron and Tibshirani ch. 6),
/// from one ``RandomStream`` keyed by the analysis seed, so an analysis gives the same
/// interval every time.
public enum PercentileBootstrap {
    /// The p-quantile (type 7) of `sorted` (ascending, non-empty). A statistic that is
    /// only known to lie beyond the identified range is ±∞ here (its order is still
    /// known); a quantile that interpolates with such a value is nil (not identified).
    public static func quantile(sorted: [Double], _ p: Double) -> Double? {
        precondition(!sorted.isEmpty && p >= 0 && p <= 1)
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = Int(h.rounded(.up))
        guard sorted[lo].isFinite, sorted[hi].isFinite else { return nil }
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The mean of `values` resampled with replacement, each cell's replicates from
    /// that cell (a stratified resample: the cells of one group are pooled after).
    static func resampledMean(_ cells: [[Double]], stream: RandomStream) -> Double {
        var sum = 0.0, count = 0
        for values in cells where !values.isEmpty {
            for _ in values.indices { sum += values[stream.uniformIndex(below: values.count)] }
            count += values.count
        }
        return count == 0 ? .nan : sum / Double(count)
    }
}
