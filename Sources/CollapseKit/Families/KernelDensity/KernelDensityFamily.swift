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
/// Metrics (``MixtureMetrics/all(real:)``): moments, `tail_mass_ratio` and `quantile_spread_ratio`
/// on the model in closed form (the mixture's exact mean/covariance and marginal CDF,
/// quantiles by bisection); `nll_heldout` and `kl` on the chain's held-out real sample
/// (`kl` by Monte Carlo); `w2` (d = 1), `ks` and the `sample_*` metrics on the
/// generated sample.
public struct KernelDensityFamily: MixtureFamily {
    public let real: RealReference
    /// `model.bandwidth`.
    public enum Bandwidth: Equatable, Sendable {
        /// Scott's rule: kernel covariance n^(−2/(d+4)) Σ̂ (Σ̂ the unbiased sample covariance).
        case scott
        /// Silverman's rule: kernel covariance (n(d+2)/4)^(−2/(d+4)) Σ̂.
        case silverman
        /// A fixed kernel standard deviation h in every coordinate: covariance h²I.
        case fixed(Double)
    }

    public let bandwidth: Bandwidth
    public let temperature: Double

    public init(real: RealReference, bandwidth: Bandwidth, temperature: Double) {
        self.real = real
        self.bandwidth = bandwidth
        self.temperature = temperature
    }

    public func fit(_ data: Dataset, stream: RandomStream) -> FittedMixture {
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
        let d = dimension
        if case .fixed(let h) = bandwidth { return SymmetricMatrix.diagonal([Double](repeating: h * h, count: d)) }
        let factor = Self.bandwidthFactor(bandwidth, samples: data.count, dimension: d)!
        var cov = data.meanAndCovariance(ddof: 1).covariance
        for e in cov.values.indices { cov.values[e] *= factor }
        return cov
    }

    /// The squared bandwidth factor c of Scott's or Silverman's rule, H = c Σ̂ with Σ̂ the
    /// unbiased sample covariance: n^(−2/(d+4)) (Scott 1992) or (n(d+2)/4)^(−2/(d+4))
    /// (Silverman 1986), as in scipy's `gaussian_kde`; nil for a fixed bandwidth.
    public static func bandwidthFactor(_ rule: Bandwidth, samples n: Int, dimension d: Int) -> Double? {
        let exponent = -2 / Double(d + 4)
        switch rule {
        case .scott: return pow(Double(n), exponent)
        case .silverman: return pow(Double(n) * Double(d + 2) / 4, exponent)
        case .fixed: return nil
        }
    }

    public func sample(_ model: FittedMixture, count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        Dataset(values: model.mixture.sample(count: count, noiseScale: temperature, stream: stream),
                dimension: dimension)
    }
}

extension KernelDensityFamily {
    public static func metrics(real: RealDataConfig) -> [Metric<KernelDensityFamily>] {
        MixtureMetrics.all(real: real) + PrivacyMetrics.all()
    }
}

/// `model.family: kde` — key `bandwidth` (scott | silverman | a kernel sd > 0); theory
/// ``KernelDensityTheory`` under `replace`.
public struct KernelDensityDescriptor: FamilyDescriptor {
    public typealias Family = KernelDensityFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var bandwidth: KernelDensityFamily.Bandwidth
        public init(bandwidth: KernelDensityFamily.Bandwidth) { self.bandwidth = bandwidth }
        public var jsonEntries: [String: JSONValue] {
            switch bandwidth {
            case .scott: return ["bandwidth": .string("scott")]
            case .silverman: return ["bandwidth": .string("silverman")]
            case .fixed(let h): return ["bandwidth": .double(h)]
            }
        }
    }

    public init() {}
    public var name: String { "kde" }
    public var keys: [String] { ["bandwidth"] }
    public var primaryMetrics: [MetricName] { [.nllHeldout, .variance, .trace, .varianceRatio, .tailMassRatio, .kl, .w2] }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let allowed = "scott, silverman or a kernel standard deviation > 0"
        switch r.raw("bandwidth") {
        case nil: return Options(bandwidth: .scott)
        case .string("scott")?: return Options(bandwidth: .scott)
        case .string("silverman")?: return Options(bandwidth: .silverman)
        case let v?:
            if case .string(let s) = v {
                r.fail("bandwidth", "'\(s)'", allowed)
                return nil
            }
            return ConfigReader.number(v, field: r.field("bandwidth"), allowed: allowed,
                                       valid: { $0 > 0 }, sink: r.sinkForNested).map { Options(bandwidth: .fixed($0)) }
        }
    }

    public func theory(_ config: ExperimentConfig) -> [TheoryCurve] {
        KernelDensityTheory.curves(config, bandwidth: config.model.options(as: Options.self).bandwidth)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        ChainRunners.make(KernelDensityFamily(real: config.real.reference!,
                                              bandwidth: config.model.options(as: Options.self).bandwidth,
                                              temperature: config.sampling.temperature), config: config)
    }
}
