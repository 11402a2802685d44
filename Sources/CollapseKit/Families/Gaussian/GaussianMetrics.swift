import Foundation

/// Closed-form metrics of a fitted Gaussian N(μ, Σ) against the real distribution
/// (mean m, covariance S). Where the real distribution is not Gaussian, `w2` uses its
/// moment-matched Gaussian N(m, S); `kl` is exact for every real distribution, since
/// E_real[log q] for a Gaussian q needs only m and S:
/// KL(real ‖ q) = −H(real) + ½[d·log 2π + log det Σ + tr(Σ⁻¹S) + (μ−m)ᵀΣ⁻¹(μ−m)].
public enum GaussianMetrics {
    /// The model metrics in dimension d: the moments (``MomentMetrics``), then `w2`,
    /// `kl`, `tail_mass_ratio` and `quantile_spread_ratio`.
    static func all(dimension d: Int) -> [Metric<GaussianFamily>] {
        MomentMetrics.all(dimension: d) + [
            Metric(.w2) { c in
                let real = c.family.real
                guard d == 1 else { return wasserstein2(delta: MomentMetrics.delta(c), sigma: c.model.covariance, real: real) }
                if let k = real.gaussianW2CrossTerm {
                    // Exact W₂ to a file's values: (μ − m)² + s² + σ² − 2σK.
                    let sigma = max(c.model.covariance[0, 0], 0).squareRoot(), mu = c.model.mean[0] - real.mean[0]
                    let squared = mu * mu + real.covariance[0, 0] + sigma * sigma - 2 * sigma * k
                    return max(squared, 0).squareRoot()
                }
                let diff = max(c.model.covariance[0, 0], 0).squareRoot() - real.marginalSDs[0]
                let mu = c.model.mean[0] - real.mean[0]
                return (mu * mu + diff * diff).squareRoot()
            },
            Metric(.kl, needs: [.model, .realDensity]) { c in
                let real = c.family.real
                guard d == 1 else {
                    return MomentMetrics.inverse(c).map { klRealToModel(delta: MomentMetrics.delta(c), inverse: $0.inverse,
                                                          logDeterminant: $0.logDeterminant, real: real) } ?? .infinity
                }
                let v = c.model.covariance[0, 0], mu = c.model.mean[0] - real.mean[0]
                return v > 0 && v.isFinite
                    ? -real.entropy + 0.5 * (log(2 * Double.pi) + log(v) + (real.covariance[0, 0] + mu * mu) / v)
                    : .infinity
            },
            Metric(.tailMassRatio) { c in
                let real = c.family.real
                var tail = 0.0
                for j in 0..<d {
                    let sd = max(c.model.covariance[j, j], 0).squareRoot()
                    tail += tailMass(mean: c.model.mean[j], sd: sd, low: real.q01[j], high: real.q99[j])
                }
                return d == 1 ? tail / real.tailShare : tail / Double(d) / real.tailShare
            },
            Metric(.quantileSpreadRatio) { c in
                let real = c.family.real
                var spread = 0.0
                for j in 0..<d {
                    let sd = max(c.model.covariance[j, j], 0).squareRoot()
                    spread += 2 * z99 * sd / (real.q99[j] - real.q01[j])
                }
                return d == 1 ? spread : spread / Double(d)
            },
        ]
    }

    /// z₀.₉₉, the standard normal's 99% quantile.
    static let z99 = Probability.normalQuantile(1 - RealReference.tailProbability)

    /// P(X < low) + P(X > high) for X ~ N(mean, sd²); a point mass when sd = 0.
    static func tailMass(mean: Double, sd: Double, low: Double, high: Double) -> Double {
        if sd == 0 { return (mean < low || mean > high) ? 1 : 0 }
        return Probability.normalCDF((low - mean) / sd) + Probability.normalUpper((high - mean) / sd)
    }

    /// W₂ between N(μ, Σ) and N(m, S) (Dowson & Landau 1982; Givens & Shortt 1984):
    /// W₂² = ‖μ − m‖² + tr(Σ + S − 2 (S^½ Σ S^½)^½), for d > 1 (in 1-D, W₂² = (μ − m)² + (σ − s)²).
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
