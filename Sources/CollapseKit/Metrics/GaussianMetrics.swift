import Foundation

/// Closed-form metrics of a fitted Gaussian N(μ, Σ) against the real distribution
/// (mean m, covariance S). Where the real distribution is not Gaussian, `w2` uses its
/// moment-matched Gaussian N(m, S); `kl` is exact for every real distribution, since
/// E_real[log q] for a Gaussian q needs only m and S:
/// KL(real ‖ q) = −H(real) + ½[d·log 2π + log det Σ + tr(Σ⁻¹S) + (μ−m)ᵀΣ⁻¹(μ−m)].
public enum GaussianMetrics {
    public static func compute(mean mu: [Double], covariance sigma: SymmetricMatrix, real: RealReference,
                               requested: Set<MetricName>, into values: inout MetricValues) {
        let d = real.dimension
        let delta = zip(mu, real.mean).map { $0 - $1 }
        // One factorization serves logdet and kl; nil when Σ is singular.
        let factors = d > 1 || requested.contains(.kl) ? sigma.positiveDefiniteInverse() : nil
        if d == 1 {
            values[.mean] = mu[0]
            values[.variance] = sigma[0, 0]
            values[.varianceRatio] = sigma[0, 0] / real.covariance[0, 0]
            values[.meanDrift] = abs(delta[0]) / real.marginalSDs[0]
        } else {
            values[.trace] = sigma.trace
            values[.logdet] = factors?.logDeterminant ?? sigma.logDeterminant
            values[.varianceRatio] = sigma.trace / real.covariance.trace
            values[.meanDrift] = real.covarianceInverse.quadraticForm(delta).squareRoot()
        }
        if requested.contains(.w2) { values[.w2] = wasserstein2(delta: delta, sigma: sigma, real: real) }
        if requested.contains(.kl) {
            values[.kl] = factors.map { klRealToModel(delta: delta, inverse: $0.inverse, logDeterminant: $0.logDeterminant, real: real) }
                ?? .infinity
        }

        var tail = 0.0, spread = 0.0
        let z99 = Probability.normalQuantile(1 - RealReference.tailProbability)
        for j in 0..<d {
            let sd = max(sigma[j, j], 0).squareRoot()
            tail += tailMass(mean: mu[j], sd: sd, low: real.q01[j], high: real.q99[j])
            spread += 2 * z99 * sd / (real.q99[j] - real.q01[j])
        }
        values[.tailMassRatio] = tail / Double(d) / (2 * RealReference.tailProbability)
        values[.quantileSpreadRatio] = spread / Double(d)
    }

    /// P(X < low) + P(X > high) for X ~ N(mean, sd²); a point mass when sd = 0.
    static func tailMass(mean: Double, sd: Double, low: Double, high: Double) -> Double {
        if sd == 0 { return (mean < low || mean > high) ? 1 : 0 }
        return Probability.normalCDF((low - mean) / sd) + Probability.normalUpper((high - mean) / sd)
    }

    /// W₂ between N(μ, Σ) and N(m, S) (Dowson & Landau 1982; Givens & Shortt 1984):
    /// W₂² = ‖μ − m‖² + tr(Σ + S − 2 (S^½ Σ S^½)^½). In 1-D: (μ − m)² + (σ − s)².
    static func wasserstein2(delta: [Double], sigma: SymmetricMatrix, real: RealReference) -> Double {
        let meanPart = delta.reduce(0) { $0 + $1 * $1 }
        if real.dimension == 1 {
            let diff = max(sigma[0, 0], 0).squareRoot() - real.marginalSDs[0]
            return (meanPart + diff * diff).squareRoot()
        }
        guard let cross = real.covarianceSquareRoot.sandwich(sigma).squareRoot() else { return .nan }
        let bures = sigma.trace + real.covariance.trace - 2 * cross.trace
        return (meanPart + max(bures, 0)).squareRoot()
    }

    /// KL(real ‖ N(μ, Σ)) from Σ⁻¹ and log det Σ.
    static func klRealToModel(delta: [Double], inverse: SymmetricMatrix, logDeterminant: Double,
                              real: RealReference) -> Double {
        let d = Double(real.dimension)
        let traceTerm = zip(inverse.values, real.covariance.values).reduce(0) { $0 + $1.0 * $1.1 }
        return -real.entropy + 0.5 * (d * log(2 * Double.pi) + logDeterminant + traceTerm
                                      + inverse.quadraticForm(delta))
    }
}
