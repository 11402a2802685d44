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
        Self.density(x, weights: weights, means: means, sds: sds)
    }

    static func density(_ x: Double, weights: [Double], means: [Double], sds: [Double]) -> Double {
        var p = 0.0
        for k in weights.indices { p += weights[k] * Probability.normalPDF((x - means[k]) / sds[k]) / sds[k] }
        return p
    }

    /// log Σₖ wₖ φ((x − μₖ)/σₖ)/σₖ by log-sum-exp, so points far in a tail (where every
    /// component density underflows) still get a finite log density.
    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        var top = -Double.infinity
        for k in weights.indices { top = max(top, componentLogDensity(x[0], k)) }
        guard top > -.infinity else { return top }
        var sum = 0.0
        for k in weights.indices { sum += exp(componentLogDensity(x[0], k) - top) }
        return top + log(sum)
    }

    /// log wₖ − ½ log 2π − log σₖ − ½ ((x − μₖ)/σₖ)².
    private func componentLogDensity(_ x: Double, _ k: Int) -> Double {
        let z = (x - means[k]) / sds[k]
        return log(weights[k]) - 0.5 * log(2 * Double.pi) - log(sds[k]) - 0.5 * z * z
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

    /// −∫ p log p by adaptive Gauss–Kronrod quadrature (GSL `qags`), piece by piece
    /// between the breakpoints μₖ − 12σₖ, μₖ, μₖ + 12σₖ of every component (the mass
    /// outside is below 1e-32), so narrow or far-apart components are not missed. The
    /// result must lie within the exact bounds Σwₖhₖ ≤ H ≤ Σwₖhₖ + H(w), with
    /// hₖ = ½ log(2πeσₖ²) (Cover & Thomas, Elements of Information Theory, §2); NaN
    /// if quadrature fails or leaves them.
    static func numericalEntropy(weights: [Double], means: [Double], sds: [Double]) -> Double {
        var points = Set<Double>()
        for k in means.indices {
            let reach: Double = 12 * sds[k]
            points.formUnion([means[k] - reach, means[k], means[k] + reach])
        }
        let breakpoints = points.sorted()
        var total = 0.0
        for (a, b) in zip(breakpoints, breakpoints.dropFirst()) {
            guard let piece = Quadrature.integrate(from: a, to: b, { x in
                let p = density(x, weights: weights, means: means, sds: sds)
                return p > 0 ? -p * log(p) : 0
            }) else { return .nan }
            total += piece
        }
        var componentEntropy = 0.0, weightEntropy = 0.0
        for k in weights.indices {
            let variance = sds[k] * sds[k]
            componentEntropy += weights[k] * 0.5 * log(2 * Double.pi * M_E * variance)
            weightEntropy -= weights[k] * log(weights[k])
        }
        let slack = 1e-9 * max(1, abs(componentEntropy))
        guard total >= componentEntropy - slack, total <= componentEntropy + weightEntropy + slack else { return .nan }
        return total
    }
}
