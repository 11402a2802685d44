import Foundation

/// A numeric column's marginal as a histogram on a fixed range: B equal bins on
/// [lo, hi], bin k holding probability p_k, the density uniform within each bin
/// (p_k / w, w = (hi − lo)/B) and 0 outside [lo, hi]. The copula's DP fit
/// (``CopulaDPMechanism``) releases each numeric column this way, its counts made noisy;
/// the CDF is piecewise linear, so F⁻¹(U) with U uniform draws from the histogram.
public struct HistogramMarginal: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    /// p_k of each bin, summing to 1.
    public let probabilities: [Double]
    /// F at each bin's left edge (cumulative[0] = 0, cumulative[B] = 1).
    let cumulative: [Double]

    /// Bins from `weights` ≥ 0 (at least one positive), normalised.
    public init(lower: Double, upper: Double, weights: [Double]) {
        precondition(lower < upper && !weights.isEmpty)
        self.lower = lower
        self.upper = upper
        let total = weights.reduce(0, +)
        probabilities = weights.map { $0 / total }
        var c = [0.0]
        var s = 0.0
        for p in probabilities { s += p; c.append(s) }
        c[c.count - 1] = 1
        cumulative = c
    }

    public var bins: Int { probabilities.count }
    var width: Double { (upper - lower) / Double(bins) }

    /// The bin of x clipped to [lo, hi] (hi in the last bin).
    public func bin(_ x: Double) -> Int { Self.bin(x, lower: lower, upper: upper, bins: bins) }

    /// The bin of x clipped to [lo, hi] among `bins` equal bins on [lo, hi].
    public static func bin(_ x: Double, lower: Double, upper: Double, bins: Int) -> Int {
        let k = Int(((min(max(x, lower), upper) - lower) / ((upper - lower) / Double(bins))).rounded(.down))
        return min(max(k, 0), bins - 1)
    }

    /// F(x) of x clipped to [lo, hi].
    public func cdf(_ x: Double) -> Double {
        let c = min(max(x, lower), upper)
        let k = bin(c)
        let left = lower + Double(k) * width
        return min(cumulative[k] + probabilities[k] * (c - left) / width, 1)
    }

    /// log f(x): log(p_k / w) inside bin k, −∞ outside [lo, hi] or in an empty bin.
    public func logDensity(_ x: Double) -> Double {
        guard x >= lower, x <= upper else { return -.infinity }
        return log(probabilities[bin(x)] / width)
    }

    /// F⁻¹(u): the first bin whose cumulative probability reaches u, linearly within it
    /// (empty bins are never returned for u in (0, 1)).
    public func quantile(_ u: Double) -> Double {
        guard u > 0 else { return lower }
        guard u < 1 else { return upper }
        var lo = 0, hi = bins - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid + 1] < u { lo = mid + 1 } else { hi = mid }
        }
        let p = probabilities[lo]
        let within = p > 0 ? min(max((u - cumulative[lo]) / p, 0), 1) : 0
        return lower + (Double(lo) + within) * width
    }
}
