import Foundation

/// The Gaussian mixture family: Σⱼ wⱼ N(μⱼ, Σⱼ) with k = `components` full or diagonal
/// covariances, fitted by EM from k-means++ seeds (``GaussianMixtureEM``, as
/// scikit-learn's `GaussianMixture`). This is the GMM of Shumailov et al. (2024),
/// refitted each generation on its own samples. Sampling temperature λ scales every
/// component covariance: components are drawn from N(μⱼ, λΣⱼ) (Alemohammad et al.
/// 2024's sampling bias).
///
/// Events: `empty_component` (a component got no responsibility; weight 0, never
/// sampled), `component_collapsed` (a component's unregularised covariance fell to the
/// `regularization` floor), `singular_covariance` (d > 1: a component in use is not
/// positive definite, possible only with `regularization` 0), `non_finite_parameters`.
///
/// Metrics (``MixtureMetrics``) as for `kde`, plus `min_weight` and `modes_retained`
/// (1-D mixture real data) from the fitted weights and means.
///
/// Randomness of the fit: the k-means++ seeding draws from the chain's own stream
/// (``GenerativeFamily/fit(_:stream:)``), right before the generation's batch.
public struct GaussianMixtureFamily: MixtureFamily {
    public let real: RealReference
    public let options: Options
    public let temperature: Double

    /// `model.covariance`.
    public enum CovarianceType: String, CaseIterable, Sendable {
        case full, diagonal
    }

    /// The options of `gmm` (defaults as scikit-learn's `GaussianMixture`).
    public struct Options: Equatable, Sendable {
        /// k ≥ 1.
        public var components: Int
        public var covariance: CovarianceType
        /// EM stops after this many iterations…
        public var maxIterations: Int
        /// …or when the mean log-likelihood per point improves by less than this.
        public var tolerance: Double
        /// Added to every component covariance's diagonal (the covariance floor).
        public var regularization: Double

        public init(components: Int, covariance: CovarianceType, maxIterations: Int,
                    tolerance: Double, regularization: Double) {
            self.components = components
            self.covariance = covariance
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.regularization = regularization
        }
    }

    public init(real: RealReference, options: Options, temperature: Double) {
        self.real = real
        self.options = options
        self.temperature = temperature
    }

    /// Fits by EM with k-means++ seeds drawn from `stream`.
    public func fit(_ data: Dataset, stream: RandomStream) -> FittedMixture {
        let result = GaussianMixtureEM(options: options).fit(data, stream: stream)
        let model = result.model
        var events: [ChainEvent.Kind] = []
        guard model.isFinite else { return FittedMixture(mixture: model, events: [.nonFiniteParameters]) }
        if result.empty.contains(true) { events.append(.emptyComponent) }
        if result.collapsed.contains(true) { events.append(.componentCollapsed) }
        if dimension > 1, (0..<model.componentCount).contains(where: { !result.empty[$0] && !model.positiveDefinite[$0] }) {
            events.append(.singularCovariance)
        }
        return FittedMixture(mixture: model, events: events)
    }

    public func sample(_ model: FittedMixture, count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        Dataset(values: model.mixture.sample(count: count, noiseScale: temperature.squareRoot(), stream: stream),
                dimension: dimension)
    }
}

extension GaussianMixtureFamily {
    public static func metrics(real: RealDataConfig) -> [Metric<GaussianMixtureFamily>] {
        MixtureMetrics.all(real: real) + MixtureMetrics.componentMetrics(real: real) + PrivacyMetrics.all()
    }
}

/// `model.family: gmm` — keys `components`, `covariance`, `max_iterations`,
/// `tolerance`, `regularization` (defaults as scikit-learn's `GaussianMixture`).
public struct GaussianMixtureDescriptor: FamilyDescriptor {
    public typealias Family = GaussianMixtureFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var mixture: GaussianMixtureFamily.Options
        public var jsonEntries: [String: JSONValue] {
            ["components": .int(mixture.components), "covariance": .string(mixture.covariance.rawValue),
             "max_iterations": .int(mixture.maxIterations), "tolerance": .double(mixture.tolerance),
             "regularization": .double(mixture.regularization)]
        }
    }

    public init() {}
    public var name: String { "gmm" }
    public var keys: [String] { ["components", "covariance", "max_iterations", "tolerance", "regularization"] }
    public var primaryMetrics: [MetricName] { [.modesRetained, .nllHeldout, .minWeight, .variance, .trace, .varianceRatio, .tailMassRatio, .kl] }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let k = r.int("components", default: 2, range: 1...10_000)
        let cov = r.string("covariance", default: "full",
                           oneOf: GaussianMixtureFamily.CovarianceType.allCases.map(\.rawValue))
        let iterations = r.int("max_iterations", default: 100, range: 1...1_000_000)
        let tol = r.double("tolerance", default: 1e-3, allowed: "a number ≥ 0") { $0 >= 0 }
        let reg = r.double("regularization", default: 1e-6, allowed: "a number ≥ 0 (added to each covariance diagonal)") { $0 >= 0 }
        guard let k, let cov = cov.flatMap(GaussianMixtureFamily.CovarianceType.init), let iterations, let tol, let reg else {
            return nil
        }
        return Options(mixture: .init(components: k, covariance: cov, maxIterations: iterations,
                                      tolerance: tol, regularization: reg))
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        ChainRunners.make(GaussianMixtureFamily(real: config.real.reference!,
                                                options: config.model.options(as: Options.self).mixture,
                                                temperature: config.sampling.temperature), config: config)
    }
}
