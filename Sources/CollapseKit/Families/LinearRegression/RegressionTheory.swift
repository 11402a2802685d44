import Foundation

/// Closed-form expectations for the linear-regression family (OLS on x ~ N(0, I_d),
/// labels with N(0, σ²) noise), used by `collapse theory` and the report.
public enum RegressionTheory {
    /// E‖(XᵀX)⁻¹Xᵀε‖² = σ² d/(n − d − 1) for n Gaussian rows (the inverse-Wishart mean):
    /// the error one OLS fit adds.
    public static func singleFitError(dimension d: Int, samples n: Int, noiseSD sigma: Double) -> Double {
        sigma * sigma * Double(d) / Double(n - d - 1)
    }

    /// E[test_error_t] = E‖ŵ_t − w*‖² under `replace` (fixed or fresh design) with label
    /// noise λσ² from generation 1 on: σ² d/(n − d − 1)(1 + λt). Each generation adds an
    /// independent OLS error (Dohmatob, Feng & Kempe 2024, "Model Collapse Demystified:
    /// The Case of Regression"; Gerstgrasser et al. 2024, §2).
    public static func expectedTestErrorReplace(dimension d: Int, samples n: Int, noiseSD sigma: Double,
                                                temperature lambda: Double, generation t: Int) -> Double {
        singleFitError(dimension: d, samples: n, noiseSD: sigma) * (1 + lambda * Double(t))
    }

    /// E[test_error_t] under `accumulate` with a fixed design: the t-th error enters with
    /// weight 1/(t+1), so σ² d/(n − d − 1) Σ_{i=1}^{t+1} 1/i² ≤ (π²/6)σ² d/(n − d − 1)
    /// (Gerstgrasser et al. 2024, §2, the accumulate theorem).
    public static func expectedTestErrorAccumulate(dimension d: Int, samples n: Int, noiseSD sigma: Double,
                                                   generation t: Int) -> Double {
        singleFitError(dimension: d, samples: n, noiseSD: sigma) * (1...(t + 1)).reduce(0.0) { $0 + 1 / Double($1 * $1) }
    }

    /// E[σ̂] for σ̂² = RSS/(n − d) with labels of noise variance s²: σ̂²(n − d)/s² is χ²_{n−d},
    /// so E[σ̂] = s √(2/(n − d)) Γ((n − d + 1)/2)/Γ((n − d)/2) (the χ mean).
    public static func expectedNoiseEstimate(dimension d: Int, samples n: Int, noiseSD s: Double) -> Double {
        let k = Double(n - d)
        return s * (2 / k).squareRoot() * exp(lgamma((k + 1) / 2) - lgamma(k / 2))
    }

    /// The family's curves (``Theory/curves(for:)``), when n > d + 1:
    /// - `replace` (either design): test_error linear in t, noise_estimate the χ mean
    ///   with noise σ at t = 0 and √λ σ after;
    /// - `accumulate` with a fixed design and λ = 1: test_error bounded by (π²/6)·(its t = 0 value).
    static func curves(_ config: ExperimentConfig, design: LinearRegressionFamily.Design) -> [TheoryCurve] {
        guard let real = config.real.spec as? LinearRealData, config.samples > real.dimension + 1 else { return [] }
        let d = real.dimension, sigma = real.noiseSD
        let G = config.generations, n = config.samples, lambda = config.sampling.temperature
        switch config.policy.rule {
        case is ReplacePolicy:
            return [
                TheoryCurve(metric: .testError,
                            values: (0...G).map { expectedTestErrorReplace(dimension: d, samples: n, noiseSD: sigma,
                                                                           temperature: lambda, generation: $0) },
                            source: "Dohmatob et al. 2024; Gerstgrasser et al. 2024 §2: E‖ŵ_t − w*‖² = σ²d/(n−d−1)(1 + λt)"),
                TheoryCurve(metric: .noiseEstimate,
                            values: (0...G).map { expectedNoiseEstimate(dimension: d, samples: n,
                                                                        noiseSD: sigma * ($0 == 0 ? 1 : lambda.squareRoot())) },
                            source: "σ̂²(n−d)/σ_t² ~ χ²_{n−d}: E[σ̂] is the χ mean"),
            ]
        case is AccumulatePolicy where design == .fixed && lambda == 1:
            return [TheoryCurve(metric: .testError,
                                values: (0...G).map { expectedTestErrorAccumulate(dimension: d, samples: n, noiseSD: sigma,
                                                                                  generation: $0) },
                                source: "Gerstgrasser et al. 2024 §2: E‖ŵ_t − w*‖² = σ²d/(n−d−1) Σ_{i≤t+1} 1/i²")]
        default:
            return []
        }
    }
}
