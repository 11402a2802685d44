/// Metrics of a generated sample against the real distribution, for every family of
/// points in ℝ^d (``ContinuousFamily``); for d > 1 each is the average over the d
/// coordinate marginals. They need the batch: a family that reduces its batch on the
/// fly supplies them in ``MetricContext/streamed`` instead of keeping the points.
/// NaN on an empty batch.
///
/// - `sample_tail_mass_ratio`: the share of points outside the real 1 % / 99 %
///   quantiles, over 0.02.
/// - `sample_skewness`, `sample_kurtosis`: GSL's `gsl_stats_skew` and
///   `gsl_stats_kurtosis` (excess kurtosis).
/// - `ks`: the one-sample Kolmogorov–Smirnov distance to the real marginal CDF.
public enum SampleMetrics {
    /// The four sample metrics.
    public static func all<F: ContinuousFamily>() -> [Metric<F>] {
        [metric(.sampleTailMassRatio) { sample, j, real in
             tailFraction(sample, coordinate: j, low: real.q01[j], high: real.q99[j]) / real.tailShare
         },
         metric(.sampleSkewness) { sample, j, _ in
             Statistics.skewness(sample.values, stride: sample.dimension, offset: j, count: sample.count)
         },
         metric(.sampleKurtosis) { sample, j, _ in
             Statistics.kurtosis(sample.values, stride: sample.dimension, offset: j, count: sample.count)
         },
         metric(.ks) { sample, j, real in
             let sorted = Statistics.sortedColumn(sample.values, stride: sample.dimension, offset: j, count: sample.count)
             return real.distribution.kolmogorovSmirnov(sorted: sorted, coordinate: j)
         }]
    }

    /// A sample metric: the average over coordinates of `perCoordinate`, or the value
    /// the family streamed.
    static func metric<F: ContinuousFamily>(
        _ name: MetricName, _ perCoordinate: @escaping @Sendable (Dataset, Int, RealReference) -> Double) -> Metric<F> {
        Metric(name, needs: .batch) { c in
            if c.streamed.contains(name) { return c.streamed[name] }
            guard let sample = c.batch, sample.count > 0 else { return .nan }
            var total = 0.0
            for j in 0..<sample.dimension { total += perCoordinate(sample, j, c.family.real) }
            return total / Double(sample.dimension)
        }
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
