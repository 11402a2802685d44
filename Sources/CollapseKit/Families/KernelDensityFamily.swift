import Foundation

/// The Gaussian kernel density estimate q(x) = (1/n) Σᵢ N(x | xᵢ, H) of n training
/// points in d ≥ 1 dimensions (Kazdan et al. 2024's KDE setting), as an equal-weight
/// ``GaussianMixtureModel`` whose n components share the kernel covariance H:
///
/// - `scott`: H = n^(−2/(d+4)) Σ̂ (Scott 1992),
/// - `silverman`: H = (n(d+2)/4)^(−2/(d+4)) Σ̂ (Silverman 1986),
///   with Σ̂ the unbiased (n − 1) sample covariance, as `scipy.stats.gaussian_kde`;
/// - a number h: H = h²I, a fixed kernel standard deviation.
///
/// Sampling picks a training point uniformly (one exact uniform integer draw) and adds
/// kernel noise τ·B z with B Bᵀ = H, so the temperature τ scales the bandwidth
/// (the kernel standard deviation), O(d²) per point. When H is singular — Σ̂ zero
/// (d = 1, `variance_collapsed`) or not positive definite (d > 1,
/// `singular_covariance`), e.g. every training point equal — the model is recorded as
/// degenerate and samples through H's PSD square root; it has no density, so
/// `nll_heldout` and `kl` are +∞.
///
/// Metrics (``MixtureMetrics``): moments, `tail_mass_ratio` and `quantile_spread_ratio`
/// on the model in closed form (the mixture's exact mean/covariance and marginal CDF,
/// quantiles by bisection); `nll_heldout` and `kl` on the chain's held-out real sample
/// (`kl` by Monte Carlo); `w2` (d = 1), `ks` and the `sample_*` metrics on the
/// generated sample.
public struct KernelDensityFamily: GenerativeFamily {
    public typealias Model = FittedMixture

    public let real: RealReference
    public let bandwidth: ModelConfig.Bandwidth
    public let temperature: Double
    public let heldout: Int

    public init(real: RealReference, bandwidth: ModelConfig.Bandwidth, temperature: Double, heldout: Int) {
        self.real = real
        self.bandwidth = bandwidth
        self.temperature = temperature
        self.heldout = heldout
    }

    public var dimension: Int { real.dimension }

    /// The held-out real sample, drawn only for `nll_heldout` or `kl`.
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> HeldoutSample {
        HeldoutSample(real: real, count: heldout, requested: requested, stream: stream)
    }

    public func drawReal(_ count: Int, truth: HeldoutSample, stream: RandomStream) -> Dataset {
        Dataset(values: real.distribution.sample(count: count, stream: stream), dimension: dimension)
    }

    public func fit(_ data: Dataset) -> FittedMixture {
        let d = dimension, n = data.count
        let kernel = kernelCovariance(data)
        let mixture = GaussianMixtureModel(dimension: d, weights: [Double](repeating: 1 / Double(n), count: n),
                                           means: data.values, covariances: kernel.values, equalWeights: true)
        var events: [ChainEvent.Kind] = []
        if !mixture.isFinite {
            events = [.nonFiniteParameters]
        } else if !mixture.positiveDefinite[0] {
            events = [d == 1 ? .varianceCollapsed : .singularCovariance]
        }
        return FittedMixture(mixture: mixture, events: events)
    }

    /// H for the configured bandwidth rule.
    func kernelCovariance(_ data: Dataset) -> SymmetricMatrix {
        let d = dimension, n = data.count
        let exponent = -2 / Double(d + 4)
        let factor: Double
        switch bandwidth {
        case .fixed(let h):
            return SymmetricMatrix.diagonal([Double](repeating: h * h, count: d))
        case .scott:
            factor = pow(Double(n), exponent)
        case .silverman:
            factor = pow(Double(n) * Double(d + 2) / 4, exponent)
        }
        var cov = Self.sampleCovariance(data)
        for e in cov.values.indices { cov.values[e] *= factor }
        return cov
    }

    /// The unbiased (n − 1) sample covariance.
    static func sampleCovariance(_ data: Dataset) -> SymmetricMatrix {
        let d = data.dimension, n = data.count
        let mean = (0..<d).map { Statistics.mean(data.values, stride: d, offset: $0, count: n) }
        var cov = SymmetricMatrix(dimension: d, values: [Double](repeating: 0, count: d * d))
        for i in 0..<d {
            for j in i..<d {
                let c = i == j
                    ? Statistics.variance(data.values, mean: mean[i], ddof: 1, stride: d, offset: i, count: n)
                    : Statistics.covariance(data.values, dimension: d, i: i, j: j, meanI: mean[i],
                                            meanJ: mean[j], ddof: 1, count: n)
                cov[i, j] = c
                cov[j, i] = c
            }
        }
        return cov
    }

    public func diagnose(_ model: FittedMixture) -> [ChainEvent.Kind] { model.events }

    public func sample(_ model: FittedMixture, count: Int, truth: HeldoutSample, stream: RandomStream) -> Dataset {
        Dataset(values: model.mixture.sample(count: count, noiseScale: temperature, stream: stream),
                dimension: dimension)
    }

    public func measure(_ model: FittedMixture, output: Dataset, truth: HeldoutSample,
                        requested: Set<MetricName>, into values: inout MetricValues) {
        MixtureMetrics.compute(model.mixture, output: output, real: real, heldout: truth,
                               requested: requested, into: &values)
    }
}
