import CGSL

/// Thin wrappers over GSL's statistics for strided `[Double]` data (n×d row-major:
/// column j of a dataset is `stride: d, offset: j`).
public enum Statistics {
    public static func mean(_ x: [Double], stride: Int = 1, offset: Int = 0, count: Int) -> Double {
        x.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress! + offset, stride, count) }
    }

    /// Sum of squared deviations from `mean` divided by `count − ddof`.
    public static func variance(_ x: [Double], mean: Double, ddof: Int, stride: Int = 1,
                                offset: Int = 0, count: Int) -> Double {
        guard count - ddof > 0 else { return .nan }
        // gsl_stats_variance_m divides by n − 1; rescale for other ddof.
        let unbiased = x.withUnsafeBufferPointer {
            gsl_stats_variance_m($0.baseAddress! + offset, stride, count, mean)
        }
        return unbiased * Double(count - 1) / Double(count - ddof)
    }

    /// Covariance of columns i and j around the given means, divided by `count − ddof`.
    public static func covariance(_ x: [Double], dimension d: Int, i: Int, j: Int,
                                  meanI: Double, meanJ: Double, ddof: Int, count: Int) -> Double {
        guard count - ddof > 0 else { return .nan }
        let c = x.withUnsafeBufferPointer { p in
            gsl_stats_covariance_m(p.baseAddress! + i, d, p.baseAddress! + j, d, count, meanI, meanJ)
        }
        return c * Double(count - 1) / Double(count - ddof)
    }

    /// Sample skewness (GSL: third central moment over sd³, sd with n − 1).
    public static func skewness(_ x: [Double], stride: Int = 1, offset: Int = 0, count: Int) -> Double {
        x.withUnsafeBufferPointer { gsl_stats_skew($0.baseAddress! + offset, stride, count) }
    }

    /// Sample excess kurtosis (GSL: fourth central moment over sd⁴, minus 3).
    public static func kurtosis(_ x: [Double], stride: Int = 1, offset: Int = 0, count: Int) -> Double {
        x.withUnsafeBufferPointer { gsl_stats_kurtosis($0.baseAddress! + offset, stride, count) }
    }

    /// Sorted copy of column `offset` of a strided buffer (GSL's heapsort).
    public static func sortedColumn(_ x: [Double], stride: Int = 1, offset: Int = 0, count: Int) -> [Double] {
        var column = [Double](repeating: 0, count: count)
        x.withUnsafeBufferPointer { src in
            for r in 0..<count { column[r] = src[r * stride + offset] }
        }
        column.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, count) }
        return column
    }

    /// Median of unsorted values (NaN-free input expected).
    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var copy = x
        return copy.withUnsafeMutableBufferPointer {
            gsl_sort($0.baseAddress, 1, $0.count)
            return gsl_stats_median_from_sorted_data($0.baseAddress, 1, $0.count)
        }
    }
}

/// Probability functions from GSL's `gsl_cdf_*` and special functions.
public enum Probability {
    @inline(__always) public static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
    @inline(__always) public static func normalUpper(_ x: Double) -> Double { gsl_cdf_ugaussian_Q(x) }
    @inline(__always) public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
    /// The p-quantile of Beta(a, b).
    @inline(__always) public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        gsl_cdf_beta_Pinv(p, a, b)
    }
    @inline(__always) public static func normalPDF(_ x: Double) -> Double { gsl_ran_ugaussian_pdf(x) }
    @inline(__always) public static func tCDF(_ x: Double, dof: Double) -> Double { gsl_cdf_tdist_P(x, dof) }
    @inline(__always) public static func tQuantile(_ p: Double, dof: Double) -> Double { gsl_cdf_tdist_Pinv(p, dof) }
    /// The p-quantile of χ²(dof) (`gsl_cdf_chisq_Pinv`).
    @inline(__always) public static func chiSquaredQuantile(_ p: Double, dof: Double) -> Double { gsl_cdf_chisq_Pinv(p, dof) }
    /// P(X > x) for X ~ χ²(dof) (`gsl_cdf_chisq_Q`).
    @inline(__always) public static func chiSquaredUpper(_ x: Double, dof: Double) -> Double { gsl_cdf_chisq_Q(x, dof) }
    @inline(__always) public static func digamma(_ x: Double) -> Double { gsl_sf_psi(x) }
    @inline(__always) public static func logBeta(_ a: Double, _ b: Double) -> Double { gsl_sf_lnbeta(a, b) }
}
