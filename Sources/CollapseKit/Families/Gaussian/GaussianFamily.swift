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

    public init(real: RealReference, estimator: Estimator, temperature: Double) {
        self.real = real
        self.estimator = estimator
        self.temperature = temperature
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
        GaussianMetrics.all(dimension: real.dimension) + SampleMetrics.all()
    }
}

/// `model.family: gaussian` — keys `estimator` (mle | unbiased); fits the continuous
/// real distributions; exact statistics; theory ``GaussianTheory``.
public struct GaussianDescriptor: FamilyDescriptor {
    public typealias Family = GaussianFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var estimator: GaussianFamily.Estimator
        public init(estimator: GaussianFamily.Estimator) { self.estimator = estimator }
        public var jsonEntries: [String: JSONValue] { ["estimator": .string(estimator.rawValue)] }
    }

    public init() {}
    public var name: String { "gaussian" }
    public var keys: [String] { ["estimator"] }
    public var primaryMetrics: [MetricName] { [.variance, .trace, .varianceRatio, .tailMassRatio, .w2, .kl, .meanDrift] }
    public var hasExactStatistics: Bool { true }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        r.string("estimator", default: "mle", oneOf: GaussianFamily.Estimator.allCases.map(\.rawValue))
            .flatMap(GaussianFamily.Estimator.init).map { Options(estimator: $0) }
    }

    public func theory(_ config: ExperimentConfig) -> [TheoryCurve] {
        GaussianTheory.curves(config, estimator: config.model.options(as: Options.self).estimator)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        ChainRunners.make(GaussianFamily(real: config.real.reference!,
                                         estimator: config.model.options(as: Options.self).estimator,
                                         temperature: config.sampling.temperature), config: config)
    }
}
