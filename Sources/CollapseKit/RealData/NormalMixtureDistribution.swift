import Foundation

/// One-dimensional mixture of normals Σ w_k N(μ_k, σ_k²).
public struct NormalMixtureDistribution: RealDistribution {
    public let weights: [Double]
    public let means: [Double]
    public let sds: [Double]
    public let entropy: Double

    /// Weights must be positive and sum to 1 (the config validates this).
    public init(weights: [Double], means: [Double], sds: [Double]) {
        self.weights = weights
        self.means = means
        self.sds = sds
        self.entropy = Self.numericalEntropy(weights: weights, means: means, sds: sds)
    }

    public var dimension: Int { 1 }
    public var mean: [Double] { [zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 }] }
    public var covariance: SymmetricMatrix {
        let m = mean[0]
        var v = 0.0
        for k in weights.indices { v += weights[k] * (sds[k] * sds[k] + (means[k] - m) * (means[k] - m)) }
        return SymmetricMatrix(dimension: 1, values: [v])
    }

    public func density(_ x: Double) -> Double {
        var p = 0.0
        for k in weights.indices { p += weights[k] * Probability.normalPDF((x - means[k]) / sds[k]) / sds[k] }
        return p
    }

    public func sample(count: Int, stream: RandomStream) -> [Double] {
        var cumulative = [Double](); cumulative.reserveCapacity(weights.count)
        var acc = 0.0
        for w in weights { acc += w; cumulative.append(acc) }
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let u = stream.uniform() * acc
            var k = 0
            while k < cumulative.count - 1 && u >= cumulative[k] { k += 1 }
            out[i] = means[k] + sds[k] * stream.standardNormal()
        }
        return out
    }

    public func marginalCDF(_ x: Double, coordinate: Int) -> Double {
        var p = 0.0
        for k in weights.indices { p += weights[k] * Probability.normalCDF((x - means[k]) / sds[k]) }
        return p
    }

    /// Inverts the CDF by bisection on a bracket holding every component's ±40σ range.
    public func marginalQuantile(_ p: Double, coordinate: Int) -> Double {
        var lo = zip(means, sds).map { $0 - 40 * $1 }.min()!
        var hi = zip(means, sds).map { $0 + 40 * $1 }.max()!
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if marginalCDF(mid, coordinate: 0) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// −∫ p log p by adaptive Gauss–Kronrod quadrature (GSL `qags`) over the union of
    /// the components' ±12σ ranges (the mass outside is below 1e-32).
    static func numericalEntropy(weights: [Double], means: [Double], sds: [Double]) -> Double {
        let lo = zip(means, sds).map { $0 - 12 * $1 }.min()!
        let hi = zip(means, sds).map { $0 + 12 * $1 }.max()!
        let probe = NormalMixtureProbe(weights: weights, means: means, sds: sds)
        return Quadrature.integrate(from: lo, to: hi) { x in
            let p = probe.density(x)
            return p > 0 ? -p * log(p) : 0
        } ?? .nan
    }
}

/// The density alone, without the stored entropy (used while computing it).
private struct NormalMixtureProbe {
    let weights: [Double], means: [Double], sds: [Double]
    func density(_ x: Double) -> Double {
        var p = 0.0
        for k in weights.indices { p += weights[k] * Probability.normalPDF((x - means[k]) / sds[k]) / sds[k] }
        return p
    }
}
