@testable import CollapseKit

/// Helpers shared by the suites: run an experiment in-process and pull one metric's
/// values at one generation across replicates.
enum TestRun {
    static func config(_ yaml: String, overrides: [String] = [], registry: Registry = .standard) throws -> ExperimentConfig {
        try ConfigLoader.parse(text: yaml, source: "test", overrides: overrides, registry: registry)
    }

    /// Runs every chain of the (single-cell) experiment through the shipping scheduler.
    static func run(_ yaml: String, jobs: Int = 2, overrides: [String] = [], registry: Registry = .standard) throws -> CellResult {
        try run(config(yaml, overrides: overrides, registry: registry), jobs: jobs)
    }

    /// Runs every chain of a config through the shipping scheduler.
    static func run(_ config: ExperimentConfig, jobs: Int = 2) -> CellResult {
        let experiment = Experiment(cells: [Cell(parameters: [:], config: config)], sweep: nil,
                                    source: .init(text: "", overrides: [], directory: "."))
        return ExperimentRunner(experiment: experiment, jobs: jobs).results()[0]
    }

    /// The messages of every config error in `yaml` (empty when it is valid).
    static func configErrors(_ yaml: String, overrides: [String] = [], registry: Registry = .standard) -> [String] {
        do {
            _ = try ConfigLoader.parse(text: yaml, overrides: overrides, registry: registry)
            return []
        } catch let e as ConfigErrors {
            return e.errors.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    /// The values of `metric` at generation `g`, one per replicate that reached it.
    static func values(_ cell: CellResult, _ metric: MetricName, generation g: Int) -> [Double] {
        cell.values(of: metric, generation: g)
    }
}

/// Mean and its Monte Carlo standard error.
struct MonteCarlo {
    let mean: Double
    let standardError: Double

    init(_ x: [Double]) {
        let n = Double(x.count)
        let m = x.reduce(0, +) / n
        mean = m
        let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        standardError = (v / n).squareRoot()
    }

    /// |mean − expected| < k·SE.
    func agrees(with expected: Double, within k: Double = 4) -> Bool {
        abs(mean - expected) < k * standardError
    }
}

/// The values of `metrics` for one generation: the model, its batch and a held-out
/// sample, as the chain loop would pass them. Each metric sees only the fields it
/// declares (the others are nil), so a metric that reads a field it does not declare
/// fails here instead of depending on which other metrics a run requests.
func evaluate<F: GenerativeFamily>(_ metrics: [Metric<F>], family: F, model: F.Model, truth: F.Truth,
                                   batch: F.Data? = nil, training: F.Data? = nil, heldout: F.Data? = nil) -> MetricValues {
    var values = MetricValues()
    for m in metrics {
        let context = MetricContext(family: family, truth: truth, model: model,
                                    batch: m.needs.contains(.batch) ? batch : nil,
                                    training: m.needs.contains(.training) ? training : nil,
                                    heldout: m.needs.contains(.heldout) ? heldout : nil)
        values[m.name] = m(context)
    }
    return values
}

// MARK: - Shorthands for the built-in families' configs (test-only sugar)

extension ModelConfig {
    static func gaussian(estimator: GaussianFamily.Estimator) -> ModelConfig {
        ModelConfig(descriptor: GaussianDescriptor(), options: GaussianDescriptor.Options(estimator: estimator))
    }
    static func categorical(smoothing: Double) -> ModelConfig {
        ModelConfig(descriptor: CategoricalDescriptor(), options: CategoricalDescriptor.Options(smoothing: smoothing))
    }
    static func kde(bandwidth: KernelDensityFamily.Bandwidth) -> ModelConfig {
        ModelConfig(descriptor: KernelDensityDescriptor(), options: KernelDensityDescriptor.Options(bandwidth: bandwidth))
    }
    static func gmm(_ options: GaussianMixtureFamily.Options) -> ModelConfig {
        ModelConfig(descriptor: GaussianMixtureDescriptor(), options: GaussianMixtureDescriptor.Options(mixture: options))
    }
    static func linearRegression(design: LinearRegressionFamily.Design) -> ModelConfig {
        ModelConfig(descriptor: LinearRegressionDescriptor(), options: LinearRegressionDescriptor.Options(design: design))
    }
}

extension RealDataConfig {
    static func zipf(categories: Int, exponent: Double) -> RealDataConfig {
        RealDataConfig(ZipfRealData(categories: categories, exponent: exponent))
    }
    static func uniform(categories: Int) -> RealDataConfig { RealDataConfig(UniformRealData(categories: categories)) }
}

extension PolicyConfig {
    /// The `mix` rule, when that is the kind.
    var mix: MixPolicy? { rule as? MixPolicy }
}

extension MetricName {
    /// The default metrics of the Gaussian family in dimension d, sorted.
    static func gaussian(dimension d: Int) -> [MetricName] {
        GaussianFamily.metrics(real: RealDataConfig(NormalRealData(mean: [Double](repeating: 0, count: d),
                                                                   covariance: .diagonal([Double](repeating: 1, count: d)))))
            .map(\.name).filter(\.isDefault).sorted()
    }

    /// The default `metrics:` of a family with this real data.
    static func available(model: ModelConfig, real: RealDataConfig) -> [MetricName] {
        model.descriptor.metrics(real: real).map(\.name).filter(\.isDefault).sorted()
    }
}

extension GenerativeFamily {
    /// A fit that needs no chain stream (every built-in family but gmm draws nothing).
    func fit(_ data: Data) -> Model { fit(data, stream: RandomStream(key: StreamKey(seed: 0, cell: 0, replicate: 0))) }
}

/// `count` held-out points drawn from `real`.
func heldoutSample(_ real: RealReference, count: Int, stream: RandomStream) -> Dataset {
    Dataset(values: real.distribution.sample(count: count, stream: stream), dimension: real.dimension)
}

/// A real-data config with the kind and dimension of a reference (what decides which
/// metrics a continuous family has).
func realConfig(of real: RealReference) -> RealDataConfig {
    if let mix = real.distribution as? NormalMixtureDistribution {
        return RealDataConfig(MixtureRealData(weights: mix.weights, means: mix.means, sds: mix.sds))
    }
    return RealDataConfig(NormalRealData(mean: real.mean, covariance: real.covariance))
}

extension ContinuousFamily {
    /// Every default metric of the family for one generation (the privacy metrics, which
    /// need R₀ too, aside): the model, its batch and a held-out sample.
    func measureAll(_ model: Model, batch: Dataset? = nil, heldout: Dataset? = nil) -> MetricValues {
        evaluate(Self.metrics(real: realConfig(of: real)).filter(\.name.isDefault), family: self, model: model, truth: nil,
                 batch: batch, heldout: heldout)
    }
}

/// Every Gaussian-family metric of N(mean, covariance) against `real`, with an optional batch.
func gaussianMetrics(_ real: RealReference, mean: [Double], covariance: SymmetricMatrix,
                     batch: Dataset? = nil) -> MetricValues {
    let family = GaussianFamily(real: real, estimator: .mle, temperature: 1)
    return family.measureAll(GaussianFamily.model(mean: mean, covariance: covariance), batch: batch)
}

/// The sample metrics of `sample` against `real`.
func sampleMetrics(_ sample: Dataset, real: RealReference) -> MetricValues {
    let family = GaussianFamily(real: real, estimator: .mle, temperature: 1)
    return evaluate(SampleMetrics.all(), family: family,
                    model: GaussianFamily.model(mean: real.mean, covariance: real.covariance), truth: nil, batch: sample)
}
