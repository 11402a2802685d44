import Foundation

/// Metrics of a fitted Gaussian mixture (the `kde` and `gmm` families) against the
/// real distribution. Notation: q is the fitted mixture Σⱼ wⱼ N(μⱼ, Σⱼ) with mean μ̂ and
/// covariance Σ̂ (law of total covariance); m, S are the real mean and covariance.
///
/// - Moments, from the mixture's exact μ̂ and Σ̂ with the Gaussian family's formulas:
///   `mean`, `variance` (d = 1), `trace`, `logdet` (d > 1), `variance_ratio`
///   (σ̂²/s², or tr Σ̂ / tr S), `mean_drift` (|μ̂ − m|/s, or √(δᵀS⁻¹δ)).
/// - `tail_mass_ratio`: the model's exact mass outside the real 1 % / 99 % quantiles,
///   Σⱼ wⱼ [Φ((q01 − μⱼ)/σⱼ) + 1 − Φ((q99 − μⱼ)/σⱼ)], averaged over coordinate
///   marginals, over 0.02 (as the Gaussian family).
/// - `quantile_spread_ratio`: (Q(0.99) − Q(0.01)) / (q99 − q01) averaged over
///   coordinates, with the model quantiles Q by bisection on the mixture's marginal
///   CDF. For a single Gaussian this is the Gaussian family's 2zσ̂/(q99 − q01).
/// - `w2` (d = 1): on the generated sample x₍₁₎ ≤ … ≤ x₍ₘ₎ against the real quantile
///   function F⁻¹: W₂ ≈ √((1/m) Σᵢ (x₍ᵢ₎ − F⁻¹((i − ½)/m))²), the quantile coupling of
///   the empirical distribution with the real one at midpoints. NaN on an empty batch.
/// - `nll_heldout`: −(1/m) Σᵢ log q(xᵢ) over the chain's held-out real sample (Kazdan
///   et al. 2024). +∞ when q has no density there (every component singular).
/// - `kl`: KL(real ‖ q) by Monte Carlo on the same sample,
///   (1/m) Σᵢ [log p_real(xᵢ) − log q(xᵢ)]; unbiased, standard error
///   sd(log p − log q)/√m, so it can be slightly negative when q is close to the real.
/// - `min_weight`: minⱼ wⱼ (0 when a component is empty).
/// - `modes_retained`: for a mixture real distribution Σ_c π_c N(ν_c, τ_c²), the number
///   of real components c with a model component j such that |μⱼ − ν_c| ≤ τ_c and
///   wⱼ ≥ 1/(4k) (k the model's component count).
/// - The sample metrics (`sample_tail_mass_ratio`, `sample_skewness`,
///   `sample_kurtosis`, `ks`) are ``SampleMetrics`` on the generated batch.
public enum MixtureMetrics {
    /// The metrics of a mixture family fitted to `real` (`gmm` adds ``componentMetrics(real:)``).
    static func all<F: MixtureFamily>(real: RealDataConfig) -> [Metric<F>] {
        let d = real.dimension
        var out: [Metric<F>] = MomentMetrics.all(dimension: d)
        out += [
            Metric(.tailMassRatio) { c in
                let real = c.family.real
                var tail = 0.0
                for j in 0..<d { tail += c.model.mixture.marginalTailMass(coordinate: j, low: real.q01[j], high: real.q99[j]) }
                return tail / Double(d) / real.tailShare
            },
            Metric(.quantileSpreadRatio) { c in
                let real = c.family.real, p = RealReference.tailProbability, q = c.model.mixture
                var spread = 0.0
                for j in 0..<d {
                    spread += (q.marginalQuantile(1 - p, coordinate: j) - q.marginalQuantile(p, coordinate: j))
                        / (real.q99[j] - real.q01[j])
                }
                return spread / Double(d)
            },
            Metric(.nllHeldout, needs: [.model, .heldout]) { heldoutNLL($0) },
            Metric(.kl, needs: [.model, .heldout, .realDensity]) { c in
                guard let heldout = c.heldout else { return .nan }
                let real = c.family.real
                let realLog = c.perChain(realLogDensityKey) { real.distribution.meanLogDensity(heldout.values) }
                return realLog + heldoutNLL(c)
            },
        ]
        if d == 1 { out.append(Metric(.w2, needs: [.model, .batch]) { c in c.batch.map { sampleW2($0, real: c.family.real) } ?? .nan }) }
        return out + SampleMetrics.all()
    }

    static let heldoutNLLKey = SharedValue<Double>()
    /// (1/m) Σᵢ log p_real(xᵢ) over the held-out sample: the same all chain long.
    static let realLogDensityKey = SharedValue<Double>()

    /// −(1/m) Σᵢ log q(xᵢ) over the held-out sample, shared by `nll_heldout` and `kl`.
    static func heldoutNLL<F: MixtureFamily>(_ c: MetricContext<F>) -> Double {
        guard let heldout = c.heldout else { return .nan }
        return c.shared(heldoutNLLKey) {
            let logQ = c.model.mixture.logDensities(heldout.values)
            return -logQ.reduce(0, +) / Double(logQ.count)
        }
    }

    /// `min_weight` and, for mixture real data, `modes_retained` (the `gmm` family).
    static func componentMetrics<F: MixtureFamily>(real: RealDataConfig) -> [Metric<F>] {
        var out: [Metric<F>] = [Metric(.minWeight) { $0.model.mixture.weights.min()! }]
        if real.spec is MixtureRealData {
            out.append(Metric(.modesRetained) { c in
                guard let real = c.family.real.distribution as? NormalMixtureDistribution else { return .nan }
                return Double(modesRetained(c.model.mixture, real: real))
            })
        }
        return out
    }

    /// W₂ between the empirical distribution of a 1-D sample and the real distribution,
    /// through the real quantiles at the midpoints (i − ½)/m.
    static func sampleW2(_ sample: Dataset, real: RealReference) -> Double {
        let m = sample.count
        guard m > 0 else { return .nan }
        let sorted = Statistics.sortedColumn(sample.values, count: m)
        var sum = 0.0
        for i in 0..<m {
            let e = sorted[i] - real.distribution.marginalQuantile((Double(i) + 0.5) / Double(m), coordinate: 0)
            sum += e * e
        }
        return (sum / Double(m)).squareRoot()
    }

    /// Real components with a model component of weight ≥ 1/(4k) within one of their sd.
    static func modesRetained(_ q: GaussianMixtureModel, real: NormalMixtureDistribution) -> Int {
        let threshold = 1 / (4 * Double(q.componentCount))
        var retained = 0
        for c in real.means.indices {
            let found = (0..<q.componentCount).contains { j in
                q.weights[j] >= threshold && abs(q.means[j] - real.means[c]) <= real.sds[c]
            }
            if found { retained += 1 }
        }
        return retained
    }
}
