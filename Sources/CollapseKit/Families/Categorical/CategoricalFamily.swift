import Foundation

/// The categorical family: a distribution over K categories fitted by its empirical
/// frequencies with additive (Lidstone) smoothing α, p̂_k = (c_k + α)/(n + Kα), and
/// sampled i.i.d. from p̂ after a sampling bias (temperature, top_k, top_p:
/// ``CategoricalSamplingBias``) by Walker's alias method (``WalkerAliasTable``).
///
/// This is where tail loss is literal. With α = 0 a category that draws no
/// observation gets p̂_k = 0 and can never be generated again: under `replace` the
/// chain is the neutral Wright–Fisher model of genetic drift (Wright 1931; Fisher
/// 1930), whose heterozygosity decays as E[H_t] = (1 − 1/n)^(t+1) H(p) and which is
/// absorbed in a single category (fixation, recorded as `support_collapsed`). This
/// is the discrete model of Shumailov et al. (2024), and with Zipf-distributed real
/// data the tail cut-off of Dohmatob et al. (2024), "A Tale of Tails".
///
/// Real data are i.i.d. draws from the real category probabilities, whose alias
/// table is built once here and shared read-only by every chain; or, from a file (a
/// table column or a text corpus's tokens: ``CategoryPopulation``), rows or documents
/// drawn without replacement from the chain's own ``RowPool`` (its truth).
public struct CategoricalFamily: GenerativeFamily {
    /// The fitted model: p̂ and its number of categories of positive mass.
    public struct Model: Sendable {
        public var probabilities: [Double]
        public var supportSize: Int
    }

    public let real: CategoricalReference
    public let smoothing: Double
    public let bias: CategoricalSamplingBias
    private let realTable: WalkerAliasTable
    /// A file's rows or documents (nil for a distribution).
    public let population: CategoryPopulation?
    /// `model.dp`: the noisy-counts fit of generations whose training set holds real points.
    public let dp: CategoricalDP?

    /// - Parameters:
    ///   - probabilities: the real distribution (K ≥ 1 non-negative numbers summing to 1).
    ///   - smoothing: α ≥ 0.
    ///   - temperature: T > 0; `topK` ≥ 0 (0 = all); `topP` in (0, 1] (1 = all).
    ///   - population: a file's category rows or documents, which chains draw without
    ///     replacement; `probabilities` are then its frequencies.
    public init(probabilities: [Double], smoothing: Double, temperature: Double, topK: Int, topP: Double,
                population: CategoryPopulation? = nil, dp: CategoricalDP? = nil) {
        precondition(smoothing >= 0 && smoothing.isFinite && temperature > 0 && topK >= 0 && topP > 0 && topP <= 1)
        guard let table = WalkerAliasTable(weights: probabilities) else {
            preconditionFailure("categorical real probabilities must be finite, ≥ 0 and not all 0")
        }
        self.real = CategoricalReference(probabilities: probabilities)
        self.smoothing = smoothing
        self.bias = CategoricalSamplingBias(temperature: temperature, topK: topK, topP: topP)
        self.realTable = table
        self.population = population
        self.dp = dp
    }

    public var categoryCount: Int { real.categoryCount }

    /// A file's unused rows or documents (nothing is drawn until rows are taken); nil
    /// for a distribution, which is the same for every chain.
    public func makeTruth(requested: Set<MetricName>, stream: RandomStream) -> RowPool? {
        population.map { RowPool(rowCount: $0.documentCount) }
    }

    public func drawReal(_ count: Int, truth: RowPool?, stream: RandomStream) -> CategorySample {
        if let pool = truth, let population {
            return CategorySample(categories: population.draw(count, pool: pool, stream: stream))
        }
        return CategorySample(categories: realTable.draw(count, stream: stream))
    }

    /// p̂_k = (c_k + α)/(n + Kα). An empty sample with α = 0 has no estimate: its
    /// probabilities are NaN and ``diagnose(_:)`` reports non-finite parameters.
    /// - Complexity: O(n + K).
    public func fit(_ data: CategorySample, stream: RandomStream) -> Model {
        fit(counts: data.counts(categories: categoryCount), total: data.count)
    }

    /// With `model.dp`, a fit to real points is ``NoisyCountsMechanism``'s release
    /// (one noise draw per category from the chain's stream), then smoothed as any
    /// counts; otherwise the plain fit.
    public func fit(_ data: CategorySample, stream: RandomStream, chain: ChainIdentity) -> Model {
        guard let dp, dp.accounting.touchesReal[chain.generation] else { return fit(data, stream: stream) }
        let released = dp.mechanism.release(data.counts(categories: categoryCount), stream: stream)
        return fit(counts: released, total: released.reduce(0, +))
    }

    /// p̂ from category counts summing to `total`.
    func fit(counts: [Int], total: Int) -> Model { fit(total: Double(total)) { Double(counts[$0]) } }

    /// p̂ from (possibly fractional: released) counts summing to `total`.
    func fit(counts: [Double], total: Double) -> Model { fit(total: total) { counts[$0] } }

    /// p̂ from category k's count `count(k)`, the counts summing to `total` (no
    /// converted copy of integer counts: the exact-statistics path fits every generation).
    @inline(__always)
    private func fit(total: Double, count: (Int) -> Double) -> Model {
        let k = categoryCount
        let denominator = total + Double(k) * smoothing
        var p = [Double](repeating: 0, count: k)
        var support = 0
        for i in 0..<k {
            p[i] = (count(i) + smoothing) / denominator
            if p[i] > 0 { support += 1 }
        }
        return Model(probabilities: p, supportSize: support)
    }

    /// `support_collapsed` at fixation (one category left); `non_finite_parameters`
    /// when p̂ could not be computed.
    public func diagnose(_ model: Model) -> [ChainEvent.Kind] {
        if !model.probabilities.allSatisfy({ $0.isFinite }) { return [.nonFiniteParameters] }
        return model.supportSize == 1 ? [.supportCollapsed] : []
    }

    /// `count` i.i.d. draws from q = bias(p̂).
    /// - Complexity: O(count + K) (plus a sort of the support under top_k/top_p).
    public func sample(_ model: Model, count: Int, truth: RowPool?, stream: RandomStream) -> CategorySample {
        CategorySample(categories: samplingTable(model).draw(count, stream: stream))
    }

    /// log p̂_k of each observation (−∞ for a category the model has lost).
    public func logDensity(_ model: Model, of data: CategorySample) -> [Double]? {
        data.categories.map { log(model.probabilities[Int($0)]) }
    }

    /// The metrics of p̂ (not of the biased q): ``CategoricalMetrics``.
    public static func metrics(real: RealDataConfig) -> [Metric<CategoricalFamily>] {
        let schema = TableSchema(columns: [.init(name: "category", type: .categorical,
                                                 levels: (0..<(real.probabilities?.count ?? 0)).map(String.init))])
        return CategoricalMetrics.all
            + [DPAccounting.epsilonSpentMetric { $0.dp?.accounting }]
            + TablePrivacyMetrics.all { MixedTable(schema: schema, numeric: [], categorical: [$0.categories]) }
    }
}

/// `model.family: categorical` — key `smoothing` (α ≥ 0); sampling keys `top_k` and
/// `top_p`; real data `uniform`, `zipf`, `categorical`; exact statistics; theory
/// ``CategoricalTheory``.
public struct CategoricalDescriptor: FamilyDescriptor {
    /// One `Int32` category index.
    public func bytesPerPoint(dimension d: Int) -> Int { 4 }
    public typealias Family = CategoricalFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var smoothing: Double
        /// `model.dp` (nil: none; not written, so other configs keep their hash).
        public var dp: DPSettings?
        public init(smoothing: Double, dp: DPSettings? = nil) {
            self.smoothing = smoothing
            self.dp = dp
        }
        public var jsonEntries: [String: JSONValue] {
            var map: [String: JSONValue] = ["smoothing": .double(smoothing)]
            if let dp { map["dp"] = dp.jsonValue }
            return map
        }
    }

    public init() {}
    public var name: String { "categorical" }
    public var keys: [String] { ["smoothing", "dp"] }
    public var primaryMetrics: [MetricName] { [.supportSize, .lostMass, .tailMassRetained, .heterozygosity, .entropy, .tv] }
    public var realKinds: [String] { ["uniform", "zipf", "categorical", "table", "text"] }
    public var samplingKeys: [String] { ["top_k", "top_p"] }
    public var hasExactStatistics: Bool { true }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let smoothing = r.double("smoothing", default: 0, allowed: "a number ≥ 0 (additive smoothing α)") { $0 >= 0 }
        var dp: DPSettings?
        if r.has("dp") {
            guard let settings = DPSettings.parse(r.child("dp"), needsBounds: false) else { return nil }
            dp = settings
        }
        return smoothing.map { Options(smoothing: $0, dp: dp) }
    }

    /// A DP fit releases noisy counts of the training points: no exact statistics.
    public func statisticsProblem(options: any FamilyOptions) -> String? {
        (options as? Options)?.dp == nil ? nil : "model.dp adds noise to every fit's counts"
    }

    /// `model.dp` needs a budget the run keeps; `epsilon_spent` needs `model.dp`.
    public func configProblem(_ config: ExperimentConfig) -> ConfigError? {
        if let problem = TablePrivacyMetrics.problem(config, likelihood: true) { return problem }
        return DPSettings.problem(config.model.options(as: Options.self).dp, config)
    }

    public func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) {
        (1, "(a categorical model needs at least one observation)")
    }

    public func realDataProblem(_ real: RealDataConfig) -> RealDataProblem? { real.spec.categoriesProblem }

    public func theory(_ config: ExperimentConfig) -> [TheoryCurve] {
        CategoricalTheory.curves(config, smoothing: config.model.options(as: Options.self).smoothing)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        let options = config.model.options(as: Options.self)
        return ChainRunners.make(CategoricalFamily(probabilities: config.real.probabilities!,
                                            smoothing: options.smoothing,
                                            temperature: config.sampling.temperature, topK: config.sampling.topK,
                                            topP: config.sampling.topP,
                                            population: config.real.spec.categoryPopulation,
                                            dp: options.dp.map { CategoricalDP(settings: $0, policy: config.policy.rule,
                                                                               generations: config.generations,
                                                                               samples: config.samples) }), config: config)
    }
}
