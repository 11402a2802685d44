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
        if d == 1 {
            computeOneDimensional(mean: mu[0], variance: sigma[0, 0], real: real, requested: requested, into: &values)
            return
        }
        let delta = zip(mu, real.mean).map { $0 - $1 }
        // One factorization serves logdet and kl; nil when Σ is singular.
        let factors = sigma.positiveDefiniteInverse()
        values[.trace] = sigma.trace
        values[.logdet] = factors?.logDeterminant ?? sigma.logDeterminant
        values[.varianceRatio] = sigma.trace / real.covariance.trace
        values[.meanDrift] = real.covarianceInverse.quadraticForm(delta).squareRoot()
        if requested.contains(.w2) { values[.w2] = wasserstein2(delta: delta, sigma: sigma, real: real) }
        if requested.contains(.kl) {
            values[.kl] = factors.map { klRealToModel(delta: delta, inverse: $0.inverse, logDeterminant: $0.logDeterminant, real: real) }
                ?? .infinity
        }

        var tail = 0.0, spread = 0.0
        for j in 0..<d {
            let sd = max(sigma[j, j], 0).squareRoot()
            tail += tailMass(mean: mu[j], sd: sd, low: real.q01[j], high: real.q99[j])
            spread += 2 * z99 * sd / (real.q99[j] - real.q01[j])
        }
        values[.tailMassRatio] = tail / Double(d) / (2 * RealReference.tailProbability)
        values[.quantileSpreadRatio] = spread / Double(d)
    }

    /// z₀.₉₉, the standard normal's 99% quantile.
    static let z99 = Probability.normalQuantile(1 - RealReference.tailProbability)

    /// The d = 1 metrics, in closed form without matrices: the general formulas at
    /// d = 1 (W₂² = (μ − m)² + (σ − s)²; KL(real ‖ N(μ, σ²)) = −H(real) +
    /// ½[log 2πσ² + (s² + (μ − m)²)/σ²], +∞ when σ² ≤ 0).
    static func computeOneDimensional(mean mu: Double, variance v: Double, real: RealReference,
                                      requested: Set<MetricName>, into values: inout MetricValues) {
        let delta = mu - real.mean[0]
        let realVariance = real.covariance[0, 0]
        values[.mean] = mu
        values[.variance] = v
        values[.varianceRatio] = v / realVariance
        values[.meanDrift] = abs(delta) / real.marginalSDs[0]
        let sd = max(v, 0).squareRoot()
        if requested.contains(.w2) {
            let diff = sd - real.marginalSDs[0]
            values[.w2] = (delta * delta + diff * diff).squareRoot()
        }
        if requested.contains(.kl) {
            values[.kl] = v > 0 && v.isFinite
                ? -real.entropy + 0.5 * (log(2 * Double.pi) + log(v) + (realVariance + delta * delta) / v)
                : .infinity
        }
        values[.tailMassRatio] = tailMass(mean: mu, sd: sd, low: real.q01[0], high: real.q99[0])
            / (2 * RealReference.tailProbability)
        values[.quantileSpreadRatio] = 2 * z99 * sd / (real.q99[0] - real.q01[0])
    }

    /// P(X < low) + P(X > high) for X ~ N(mean, sd²); a point mass when sd = 0.
    static func tailMass(mean: Double, sd: Double, low: Double, high: Double) -> Double {
        if sd == 0 { return (mean < low || mean > high) ? 1 : 0 }
        return Probability.normalCDF((low - mean) / sd) + Probability.normalUpper((high - mean) / sd)
    }

    /// W₂ between N(μ, Σ) and N(m, S) (Dowson & Landau 1982; Givens & Shortt 1984):
    /// W₂² = ‖μ − m‖² + tr(Σ + S − 2 (S^½ Σ S^½)^½), for d > 1 (the 1-D form,
    /// (μ − m)² + (σ − s)², is in ``computeOneDimensional(mean:variance:real:requested:into:)``).
    static func wasserstein2(delta: [Double], sigma: SymmetricMatrix, real: RealReference) -> Double {
        let meanPart = delta.reduce(0) { $0 + $1 * $1 }
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
