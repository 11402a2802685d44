/// Metrics of a generated sample against the real distribution. For d > 1 each is
/// the average over the d coordinate marginals.
public enum SampleMetrics {
    /// Fills the requested sample metrics of `sample` into `values`.
    public static func compute(_ sample: Dataset, real: RealReference, requested: Set<MetricName>,
                               into values: inout MetricValues) {
        let n = sample.count, d = sample.dimension
        guard n > 0, requested.contains(where: \.isSampleMetric) else { return }
        var tail = 0.0, skew = 0.0, kurt = 0.0, ks = 0.0
        for j in 0..<d {
            if requested.contains(.sampleTailMassRatio) {
                tail += tailFraction(sample, coordinate: j, low: real.q01[j], high: real.q99[j])
                    / (2 * RealReference.tailProbability)
            }
            if requested.contains(.sampleSkewness) {
                skew += Statistics.skewness(sample.values, stride: d, offset: j, count: n)
            }
            if requested.contains(.sampleKurtosis) {
                kurt += Statistics.kurtosis(sample.values, stride: d, offset: j, count: n)
            }
            if requested.contains(.ks) {
                let sorted = Statistics.sortedColumn(sample.values, stride: d, offset: j, count: n)
                ks += kolmogorovSmirnov(sorted: sorted) { real.distribution.marginalCDF($0, coordinate: j) }
            }
        }
        let dd = Double(d)
        if requested.contains(.sampleTailMassRatio) { values[.sampleTailMassRatio] = tail / dd }
        if requested.contains(.sampleSkewness) { values[.sampleSkewness] = skew / dd }
        if requested.contains(.sampleKurtosis) { values[.sampleKurtosis] = kurt / dd }
        if requested.contains(.ks) { values[.ks] = ks / dd }
    }

    /// Fraction of column `coordinate` below `low` or above `high`.
    static func tailFraction(_ sample: Dataset, coordinate j: Int, low: Double, high: Double) -> Double {
        let n = sample.count, d = sample.dimension
        var outside = 0
        sample.values.withUnsafeBufferPointer { p in
            for r in 0..<n {
                let x = p[r * d + j]
                if x < low || x > high { outside += 1 }
            }
        }
        return Double(outside) / Double(n)
    }

    /// One-sample Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)| of sorted data
    /// against a continuous CDF: max over i of max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i−1)/n).
    public static func kolmogorovSmirnov(sorted x: [Double], cdf: (Double) -> Double) -> Double {
        let n = Double(x.count)
        var d = 0.0
        for (i, xi) in x.enumerated() {
            let f = cdf(xi)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }
}
