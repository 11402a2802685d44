import Foundation

/// The Gaussian family: N(μ, Σ) with full covariance, fitted by maximum likelihood
/// (divide by n) or unbiasedly (divide by n − 1). Sampling temperature λ scales the
/// covariance, drawing from N(μ, λΣ) (Alemohammad et al. 2024's sampling bias).
///
/// This is the 1-D Gaussian model of Shumailov et al. (2024): refitted on
/// its own samples, E[σ²_t] = σ₀²((n−1)/n)^(t+1) under maximum likelihood.
public struct GaussianFamily: ContinuousFamily {
    /// `model.estimator`: maximum likelihood (÷n) or unbiased (÷(n − 1)).
    public enum Estimator: String, CaseIterable, Sendable {
        case mle, unbiased
        var ddof: Int { self == .mle ? 0 : 1 }
    }

    /// A fitted N(μ, Σ), with its sampling factor and diagnosis.
    public struct Model: MomentModel, Sendable {
        public var mean: [Double]
        public var covariance: SymmetricMatrix
        /// A matrix B with B Bᵀ = Σ (Cholesky, or the PSD square root when singular).
        var factor: [Double]
        var events: [ChainEvent.Kind]
    }

    public let real: RealReference
    public let estimator: Estimator
    public let temperature: Double
    /// `model.dp`: the DP fit of generations whose training set holds real points.
    public let dp: GaussianDP?

    public init(real: RealReference, estimator: Estimator, temperature: Double, dp: GaussianDP? = nil) {
        self.real = real
        self.estimator = estimator
        self.temperature = temperature
        self.dp = dp
    }

    /// With `model.dp`, a fit to real points (d = 1) is ``GaussianSumsMechanism``'s
    /// release, its two noise draws from the chain's stream; otherwise the plain fit.
    public func fit(_ data: Dataset, stream: RandomStream, chain: ChainIdentity) -> Model {
        guard let dp, dp.touchesReal[chain.generation] else { return fit(data, stream: stream) }
        if let moments = dp.moments {
            let (mean, covariance) = moments.release(data.values, stream: stream)
            return Self.model(mean: mean, covariance: covariance)
        }
        let (mean, variance) = dp.mechanism!.release(data.values, stream: stream)
        return Self.model(mean: [mean], covariance: SymmetricMatrix(dimension: 1, values: [variance]))
    }

    public func fit(_ data: Dataset, stream: RandomStream) -> Model {
        let (mean, cov) = data.meanAndCovariance(ddof: estimator.ddof)
        return Self.model(mean: mean, covariance: cov)
    }

    /// A model from given parameters, with its sampling factor and diagnosis.
    static func model(mean: [Double], covariance cov: SymmetricMatrix) -> Model {
        let d = mean.count
        guard mean.allSatisfy({ $0.isFinite }), cov.isFinite else {
            return Model(mean: mean, covariance: cov, factor: [Double](repeating: .nan, count: d * d),
                         events: [.nonFiniteParameters])
        }
        if d == 1 {
            let v = cov[0, 0]
            return Model(mean: mean, covariance: cov, factor: [max(v, 0).squareRoot()],
                         events: v > 0 ? [] : [.varianceCollapsed])
        }
        if let l = cov.cholesky() {
            return Model(mean: mean, covariance: cov, factor: l, events: [])
        }
        let root = cov.squareRoot()?.values ?? [Double](repeating: .nan, count: d * d)
        let finite = root.allSatisfy { $0.isFinite }
        return Model(mean: mean, covariance: cov, factor: root,
                     events: finite ? [.singularCovariance] : [.singularCovariance, .nonFiniteParameters])
    }

    public func diagnose(_ model: Model) -> [ChainEvent.Kind] { model.events }

    public func sample(_ model: Model, count: Int, truth: RowPool?, stream: RandomStream) -> Dataset {
        let scale = temperature.squareRoot()
        let factor = scale == 1 ? model.factor : model.factor.map { $0 * scale }
        return Dataset(values: GaussianSampler.draw(count: count, mean: model.mean, factor: factor,
                                                    stream: stream),
                       dimension: dimension)
    }

    /// log N(x; μ, Σ) of each point; nil when Σ is singular (no density).
    public func logDensity(_ model: Model, of data: Dataset) -> [Double]? {
        let d = dimension
        guard let pd = model.covariance.positiveDefiniteInverse() else { return nil }
        let constant = -0.5 * (Double(d) * log(2 * Double.pi) + pd.logDeterminant)
        var delta = [Double](repeating: 0, count: d)
        return (0..<data.count).map { r in
            for k in 0..<d { delta[k] = data.values[r * d + k] - model.mean[k] }
            return constant - 0.5 * pd.inverse.quadraticForm(delta)
        }
    }

    public static func metrics(real: RealDataConfig) -> [Metric<GaussianFamily>] {
        GaussianMetrics.all(dimension: real.dimension) + SampleMetrics.all() + PrivacyMetrics.all()
            + [DPAccounting.epsilonSpentMetric { $0.dp?.accounting }]
    }
}

/// `model.family: gaussian` — keys `estimator` (mle | unbiased); fits the continuous
/// real distributions; exact statistics; theory ``GaussianTheory``.
public struct GaussianDescriptor: FamilyDescriptor {
    public typealias Family = GaussianFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var estimator: GaussianFamily.Estimator
        /// `model.dp` (nil: none; not written, so other configs keep their hash).
        public var dp: DPSettings?
        public init(estimator: GaussianFamily.Estimator, dp: DPSettings? = nil) {
            self.estimator = estimator
            self.dp = dp
        }
        public var jsonEntries: [String: JSONValue] {
            var map: [String: JSONValue] = ["estimator": .string(estimator.rawValue)]
            if let dp { map["dp"] = dp.jsonValue }
            return map
        }
    }

    public init() {}
    public var name: String { "gaussian" }
    public var keys: [String] { ["estimator", "dp"] }
    public var primaryMetrics: [MetricName] { [.variance, .trace, .varianceRatio, .tailMassRatio, .w2, .kl, .meanDrift] }
    public var hasExactStatistics: Bool { true }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let estimator = r.string("estimator", default: "mle", oneOf: GaussianFamily.Estimator.allCases.map(\.rawValue))
            .flatMap(GaussianFamily.Estimator.init)
        var dp: DPSettings?
        if r.has("dp") {
            guard let settings = DPSettings.parse(r.child("dp"), needsBounds: true) else { return nil }
            dp = settings
        }
        return estimator.map { Options(estimator: $0, dp: dp) }
    }

    /// A DP fit clips and sums every point: no exact statistics.
    public func statisticsProblem(options: any FamilyOptions) -> String? {
        (options as? Options)?.dp == nil ? nil : "model.dp clips every training point"
    }

    /// `model.dp` needs a budget the run keeps;
    /// `epsilon_spent` needs `model.dp`.
    public func configProblem(_ config: ExperimentConfig) -> ConfigError? {
        DPSettings.problem(config.model.options(as: Options.self).dp, config)
    }

    public func theory(_ config: ExperimentConfig) -> [TheoryCurve] {
        GaussianTheory.curves(config, estimator: config.model.options(as: Options.self).estimator)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        let options = config.model.options(as: Options.self)
        let dp = options.dp.map {
            GaussianDP(settings: $0, dimension: config.dimension, policy: config.policy.rule, generations: config.generations,
                       samples: config.samples)
        }
        return ChainRunners.make(GaussianFamily(real: config.real.reference!, estimator: options.estimator,
                                                temperature: config.sampling.temperature, dp: dp), config: config)
    }
}
