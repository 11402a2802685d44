import Foundation

/// Multivariate normal N(μ, Σ) with positive-definite Σ; d = 1 is the usual normal.
public struct NormalDistribution: RealDistribution {
    public let mean: [Double]
    public let covariance: SymmetricMatrix
    let choleskyFactor: [Double]
    /// −½ d log 2π − ½ log det Σ.
    private let logNormalizer: Double

    /// Fails (returns nil) when Σ is not positive definite.
    public init?(mean: [Double], covariance: SymmetricMatrix) {
        precondition(mean.count == covariance.dimension)
        guard let l = covariance.cholesky() else { return nil }
        self.mean = mean
        self.covariance = covariance
        self.choleskyFactor = l
        let d = mean.count
        self.logNormalizer = -0.5 * Double(d) * log(2 * Double.pi)
            - (0..<d).reduce(0) { $0 + log(l[$1 * d + $1]) }
    }

    public var dimension: Int { mean.count }

    public var entropy: Double {
        0.5 * (Double(dimension) * log(2 * Double.pi * M_E) + covariance.logDeterminant)
    }

    public func sample(count: Int, stream: RandomStream) -> [Double] {
        GaussianSampler.draw(count: count, mean: mean, factor: choleskyFactor, stream: stream)
    }

    public func marginalCDF(_ x: Double, coordinate j: Int) -> Double {
        Probability.normalCDF((x - mean[j]) / covariance[j, j].squareRoot())
    }

    public func marginalQuantile(_ p: Double, coordinate j: Int) -> Double {
        mean[j] + covariance[j, j].squareRoot() * Probability.normalQuantile(p)
    }

    /// log p(x) = −½ d log 2π − ½ log det Σ − ½ ‖L⁻¹(x − μ)‖², with Σ = L Lᵀ (forward
    /// substitution through the Cholesky factor).
    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        let d = dimension
        if d == 1 {
            let z = (x[0] - mean[0]) / choleskyFactor[0]
            return logNormalizer - 0.5 * z * z
        }
        var z = [Double](repeating: 0, count: d)
        var q = 0.0
        for i in 0..<d {
            var r = x[i] - mean[i]
            for k in 0..<i { r -= choleskyFactor[i * d + k] * z[k] }
            z[i] = r / choleskyFactor[i * d + i]
            q += z[i] * z[i]
        }
        return logNormalizer - 0.5 * q
    }
}

/// Draws N(μ, B Bᵀ) points: x = μ + B z with z standard normal (GSL ziggurat);
/// B is any d×d row-major factor (Cholesky or symmetric square root).
enum GaussianSampler {
    static func draw(count: Int, mean: [Double], factor l: [Double],
                     stream: RandomStream) -> [Double] {
        let d = mean.count
        var out = [Double](repeating: 0, count: count * d)
        if d == 1 {
            let m = mean[0], s = l[0]
            out.withUnsafeMutableBufferPointer { p in
                for i in 0..<count { p[i] = m + s * stream.standardNormal() }
            }
            return out
        }
        var z = [Double](repeating: 0, count: d)
        out.withUnsafeMutableBufferPointer { p in
            for r in 0..<count {
                for k in 0..<d { z[k] = stream.standardNormal() }
                for i in 0..<d {
                    var acc = mean[i]
                    for k in 0..<d { acc += l[i * d + k] * z[k] }
                    p[r * d + i] = acc
                }
            }
        }
        return out
    }
}
