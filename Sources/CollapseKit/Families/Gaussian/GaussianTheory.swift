import Foundation

/// Closed-form expectations for the 1-D Gaussian family, used by tests and reports.
public enum GaussianTheory {
    public typealias Estimator = GaussianFamily.Estimator

    /// E[σ²_t] under `replace` with maximum-likelihood fitting and temperature λ:
    /// σ₀² λ^t ((n−1)/n)^(t+1). With λ = 1 this is Shumailov et al. (2024), the
    /// 1-D Gaussian case of "The Curse of Recursion" (arXiv 2305.17493): each
    /// refit multiplies the expected variance by (n−1)/n; sampling at temperature λ
    /// multiplies it by λ once per generation t ≥ 1.
    public static func expectedVarianceReplaceMLE(sigma0Squared: Double, samples n: Int,
                                                  generation t: Int, temperature: Double = 1) -> Double {
        let shrink = Double(n - 1) / Double(n)
        return sigma0Squared * pow(temperature, Double(t)) * pow(shrink, Double(t + 1))
    }

    /// E[log σ²_t] under `replace` with unbiased fitting: log σ²_t − log σ₀² is a sum of
    /// t+1 independent log(χ²_{n−1}/(n−1)) terms, each with mean ψ((n−1)/2) + log(2/(n−1)).
    /// E[σ²_t] = σ₀² (a martingale) while this mean falls linearly: σ²_t → 0 a.s.
    public static func expectedLogVarianceReplaceUnbiased(sigma0Squared: Double, samples n: Int,
                                                          generation t: Int) -> Double {
        let k = Double(n - 1)
        return log(sigma0Squared) + Double(t + 1) * (Probability.digamma(k / 2) + log(2 / k))
    }

    /// Exact E[σ²_t] and E[(μ_t − μ₀)²] for maximum-likelihood fitting when every
    /// training set holds r fresh real points and s points from the previous model
    /// (n = r + s), i.e. `mix` with `real_source: fresh` and a constant fraction;
    /// r = 0 is `replace`. Derived here from E[Σ(xᵢ − x̄)²] = (1 − 1/n)Σvᵢ + Σ(mᵢ − m̄)²
    /// for independent xᵢ with means mᵢ and variances vᵢ, conditioning on model t−1:
    ///   D_t = (r σ₀² + s V_{t−1} + s² D_{t−1}) / n²
    ///   V_t = [(1 − 1/n)(r σ₀² + s V_{t−1}) + (r s / n) D_{t−1}] / n
    /// with V₀ = σ₀²(n₀−1)/n₀, D₀ = σ₀²/n₀ for the generation-0 sample size n₀.
    public static func mixFreshMLE(sigma0Squared s2: Double, initialSamples n0: Int, real r: Int,
                                   synthetic s: Int, generations: Int) -> [(variance: Double, meanSquaredDrift: Double)] {
        var v = s2 * Double(n0 - 1) / Double(n0)
        var d = s2 / Double(n0)
        var out = [(v, d)]
        let n = Double(r + s), rr = Double(r), ss = Double(s)
        for _ in 0..<max(generations, 0) {
            let newD = (rr * s2 + ss * v + ss * ss * d) / (n * n)
            let newV = ((1 - 1 / n) * (rr * s2 + ss * v) + (rr * ss / n) * d) / n
            v = newV
            d = newD
            out.append((v, d))
        }
        return out
    }

    /// The Gaussian family's curves (``Theory/curves(for:)``):
    /// - `replace`: E[σ²_t] = S λ^t ((n−1)/n)^(t+1) under `mle` and S λ^t under `unbiased`
    ///   (Shumailov et al. 2024; the unbiased variance is a martingale, multiplied by λ
    ///   at each sampling). E[Σ̂_t] scales the same way, so `trace` follows for d > 1.
    ///   The first fit's E[σ̂²₀] = S(n−1)/n holds for any real distribution with finite
    ///   variance, and every later generation is Gaussian, so this holds for Student-t
    ///   and mixture real data too.
    /// - `mix` with `real_source: fresh`, a constant fraction, `mle`, λ = 1, d = 1:
    ///   the exact recursion ``mixFreshMLE(sigma0Squared:initialSamples:real:synthetic:generations:)``.
    /// - Real data from a file of N rows: generation 0 draws its n rows without
    ///   replacement, so E[σ̂²₀] = S·N/(N − 1)·(n − 1)/n (the finite-population
    ///   correction; S divides by N) and every curve above scales by N/(N − 1); the
    ///   fresh-data recursion assumes independent real draws and is not drawn.
    /// - Every policy: E[μ_t] = m (each fit's mean is unbiased for the mean of the data
    ///   it sees, and every source has mean m in expectation).
    static func curves(_ config: ExperimentConfig, estimator: Estimator) -> [TheoryCurve] {
        let G = config.generations, n = config.samples, d = config.dimension
        guard let real = config.real.makeDistribution() else { return [] }
        let rows = config.real.spec.population?.units
        let sTrace = real.covariance.trace
        // Generation 0 of a file's chain draws without replacement.
        let s0Trace = rows.map { sTrace * Double($0) / Double($0 - 1) } ?? sTrace
        let lambda = config.sampling.temperature
        var variance: [Double]?
        // The source of each curve: E[metric_t] for the metric it predicts.
        var sources: (variance: String, ratio: String) = ("", "")
        if config.policy.rule is ReplacePolicy {
            variance = (0...G).map { t in
                estimator == .mle
                    ? expectedVarianceReplaceMLE(sigma0Squared: s0Trace, samples: n, generation: t, temperature: lambda)
                    : s0Trace * pow(lambda, Double(t))
            }
            let paper = estimator == .mle ? "Shumailov et al. 2024 (Nature 631)"
                                          : "Shumailov et al. 2024, the unbiased variance a martingale"
            // A file's rows: generation 0 draws without replacement from N rows.
            let factor = (rows == nil ? "" : "N/(N−1)·") + (estimator == .mle ? "λ^t((n−1)/n)^(t+1)" : "λ^t")
            let file = rows.map { "; N = \($0) rows of the file, σ₀² its variance (÷N)" } ?? ""
            sources = d == 1
                ? ("\(paper): E[σ²_t] = σ₀²·\(factor)\(file)", "\(paper): E[σ²_t/σ₀²] = \(factor)\(file)")
                : ("\(paper), per coordinate: E[tr Σ_t] = tr Σ₀·\(factor)\(file)",
                   "\(paper), per coordinate: E[tr Σ_t / tr Σ₀] = \(factor)\(file)")
        } else if let mix = config.policy.rule as? MixPolicy, d == 1, estimator == .mle, lambda == 1,
                  mix.realSource == .fresh, case .constant = mix.realFraction, G >= 1, rows == nil,
                  let c = mix.composition(generation: 1, generations: G, samples: n) {
            variance = mixFreshMLE(sigma0Squared: sTrace, initialSamples: n, real: c.real,
                                   synthetic: c.synthetic, generations: G).map(\.variance)
            let recursion = "exact recursion for fresh real data (Alemohammad et al. 2024's fresh-data loop), derived in GaussianTheory.mixFreshMLE"
            sources = ("E[σ²_t] by the \(recursion)", "E[σ²_t/σ₀²], E[σ²_t] by the \(recursion)")
        }
        var out: [TheoryCurve] = []
        if let variance {
            out.append(TheoryCurve(metric: d == 1 ? .variance : .trace, values: variance, source: sources.variance))
            out.append(TheoryCurve(metric: .varianceRatio, values: variance.map { $0 / sTrace }, source: sources.ratio))
        }
        if d == 1 {
            out.append(TheoryCurve(metric: .mean, values: Array(repeating: real.mean[0], count: G + 1),
                                   source: "every fit's mean is unbiased: E[μ_t] = m"))
        }
        return out
    }
}
