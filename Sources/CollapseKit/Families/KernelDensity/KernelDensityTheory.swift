import Foundation

/// Closed-form expectations for the Gaussian kernel density estimate under `replace`,
/// used by `collapse theory` and the report.
///
/// One fact drives them (Silverman 1986, "Density Estimation", §3.3; the variance
/// inflation of the smoothed bootstrap, Efron & Tibshirani 1993, §16.5): the KDE
/// q = (1/n) Σᵢ N(xᵢ, H) has covariance S_b + H, where S_b is the biased (÷n) sample
/// covariance of its points. Generation t+1 fits n draws from q_t (kernel scaled by the
/// temperature τ), whose biased covariance has expectation a·Cov, a = (n−1)/n.
public enum KernelDensityTheory {
    /// E[tr Cov q_t] (the `variance` in 1-D, `trace` for d > 1) under `replace`:
    /// - fixed bandwidth h: E[tr S_{t+1}] = a(E[tr S_t] + τ² d h²), E[tr S₀] = a tr Σ₀, and
    ///   the model's trace is tr S_t + d h². With τ = 1 it converges to n d h² instead of
    ///   collapsing to 0;
    /// - Scott/Silverman (H = c Σ̂ = c S_b n/(n−1)): E[tr S_t] = a tr Σ₀ (a g_τ)^t with
    ///   g_τ = 1 + τ² c n/(n−1), and the model's trace is g₁ tr S_t: with τ = 1,
    ///   (a g)^(t+1) tr Σ₀, which grows geometrically when a g > 1.
    public static func expectedTraceReplace(bandwidth: KernelDensityFamily.Bandwidth, realTrace: Double, samples n: Int,
                                            dimension d: Int, temperature tau: Double, generations: Int) -> [Double] {
        let a = Double(n - 1) / Double(n)
        var s = a * realTrace
        var out: [Double] = []
        if case .fixed(let h) = bandwidth {
            let kernel = Double(d) * h * h
            for _ in 0...generations {
                out.append(s + kernel)
                s = a * (s + tau * tau * kernel)
            }
        } else {
            let c = KernelDensityFamily.bandwidthFactor(bandwidth, samples: n, dimension: d)!
            let inflation = c * Double(n) / Double(n - 1)
            for _ in 0...generations {
                out.append((1 + inflation) * s)
                s = a * (1 + tau * tau * inflation) * s
            }
        }
        return out
    }

    /// The family's curves (``Theory/curves(for:)``): under `replace`, `variance` (d = 1)
    /// or `trace` (d > 1), and `variance_ratio`.
    static func curves(_ config: ExperimentConfig, bandwidth: KernelDensityFamily.Bandwidth) -> [TheoryCurve] {
        guard config.policy.rule is ReplacePolicy, let real = config.real.makeDistribution() else { return [] }
        let d = config.dimension, realTrace = real.covariance.trace
        let values = expectedTraceReplace(bandwidth: bandwidth, realTrace: realTrace, samples: config.samples,
                                          dimension: d, temperature: config.sampling.temperature,
                                          generations: config.generations)
        let source = "KDE covariance = biased sample covariance + H (Silverman 1986 §3.3), refitted under replace; derived in KernelDensityTheory"
        let predicted = d == 1 ? "E[σ²_t]" : "E[tr Cov q_t]"
        let ratio = d == 1 ? "E[σ²_t/σ₀²]" : "E[tr Cov q_t / tr Σ₀]"
        return [
            TheoryCurve(metric: d == 1 ? .variance : .trace, values: values, source: "\(predicted): \(source)"),
            TheoryCurve(metric: .varianceRatio, values: values.map { $0 / realTrace }, source: "\(ratio), σ₀² the real variance: \(source)"),
        ]
    }
}
