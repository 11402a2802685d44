/// `model.family: copula` — the Gaussian copula synthesizer (``CopulaFamily``). Key
/// `marginals` (`empirical` | `normal` | `kde`, default `empirical`); real data `table`
/// (numeric and categorical columns) or `normal` with d ≥ 2; the table metrics
/// (``TableMetrics``) on the generated batch against the chain's held-out real rows.
public struct CopulaDescriptor: FamilyDescriptor {
    public typealias Family = CopulaFamily
    /// The family's parsed `model:` keys.
    public struct Options: FamilyOptions, Equatable {
        public var marginals: CopulaMarginal.Kind
        /// `model.dp` (nil: none; not written, so other configs keep their hash).
        public var dp: CopulaDPSettings?
        public init(marginals: CopulaMarginal.Kind, dp: CopulaDPSettings? = nil) {
            self.marginals = marginals
            self.dp = dp
        }
        public var jsonEntries: [String: JSONValue] {
            var map: [String: JSONValue] = ["marginals": .string(marginals.rawValue)]
            if let dp { map["dp"] = dp.jsonValue }
            return map
        }
    }

    public init() {}
    public var name: String { "copula" }
    public var keys: [String] { ["marginals", "dp"] }
    public var realKinds: [String] { ["normal", "table"] }
    public var primaryMetrics: [MetricName] {
        [.tstrAccuracy, .trtrAccuracy, .utilityRatio, .tstrAUC, .trtrAUC, .tstrR2, .trtrR2, .demographicParityRatio,
         .trtrDemographicParityRatio, .equalOpportunityDifference, .trtrEqualOpportunityDifference, .rareCategoryLoss, .tvComplement, .ksComplement, .rangeCoverage, .varianceRatio, .correlationSimilarity,
         .contingencySimilarity]
    }

    public func parse(_ r: ConfigReader) -> (any FamilyOptions)? {
        let marginals = r.string("marginals", default: CopulaMarginal.Kind.empirical.rawValue,
                                 oneOf: CopulaMarginal.Kind.allCases.map(\.rawValue)).flatMap(CopulaMarginal.Kind.init)
        var dp: CopulaDPSettings?
        if r.has("dp") {
            guard let settings = CopulaDPSettings.parse(r.child("dp")) else { return nil }
            dp = settings
        }
        return marginals.map { Options(marginals: $0, dp: dp) }
    }

    public func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) {
        (d + 1, "(columns + 1) for a non-singular correlation matrix of \(d) columns")
    }

    /// 8 bytes a numeric cell, 4 a categorical one; counted as 8 a column.
    public func bytesPerPoint(dimension d: Int) -> Int { 8 * d }

    /// A categorical column with more than this share of distinct values among its rows
    /// is refused: an identifier or free text, which frequency encoding cannot model.
    public static let maximumLevelShare = 0.5

    public func realDataProblem(_ real: RealDataConfig) -> RealDataProblem? {
        if let table = real.spec as? TableRealData {
            guard table.columns.count >= 2 else {
                return RealDataProblem(key: "columns", value: "\(table.columns.count) column (\(table.columns.joined(separator: ", ")))",
                                       allowed: "at least two columns for model.family copula (a copula models the dependence between columns); for one column use model.family gaussian, kde or categorical")
            }
            for name in table.columns {
                let c = table.data.column(name)!
                guard c.type == .categorical else { continue }
                if Double(c.levels.count) > Self.maximumLevelShare * Double(c.rowCount) {
                    return RealDataProblem(key: "columns", value: "categorical column \(name) with \(c.levels.count) distinct values in \(c.rowCount) rows",
                                           allowed: "columns model.family copula can model: numeric columns, and categorical ones whose distinct values are at most half the rows (frequency encoding; an identifier or free text has nothing to learn); drop \(name) from real.columns, or type it numeric in real.types if its values are numbers")
                }
            }
            return nil
        }
        if real.spec is NormalRealData, real.dimension < 2 {
            return RealDataProblem(key: "mean", value: "a normal distribution in dimension \(real.dimension)",
                                   allowed: "a mean of at least two coordinates (d ≥ 2, columns x1…xd) for model.family copula; for d = 1 use model.family gaussian")
        }
        return nil
    }

    /// The table's schema: a file's modelled columns, or x1…xd for a distribution.
    public static func schema(of real: RealDataConfig) -> TableSchema? {
        if let table = real.spec as? TableRealData {
            return TableSchema(columns: table.columns.map { name in
                let c = table.data.column(name)!
                return TableSchema.Column(name: name, type: c.type, levels: c.levels)
            })
        }
        return real.spec is NormalRealData ? .numeric(dimension: real.dimension) : nil
    }

    /// A table file's modelled columns as one ``MixedTable`` (numbers and codes, shared
    /// with the parsed file); nil for a distribution.
    public static func modelledTable(of real: RealDataConfig) -> MixedTable? {
        guard let table = real.spec as? TableRealData, let schema = schema(of: real) else { return nil }
        var numeric: [[Double]] = [], categorical: [[Int32]] = []
        for name in table.columns {
            let c = table.data.column(name)!
            if c.type == .numeric { numeric.append(c.numbers) } else { categorical.append(c.codes) }
        }
        return MixedTable(schema: schema, numeric: numeric, categorical: categorical)
    }

    /// Every table metric's schema requirement (two numeric columns for
    /// `correlation_similarity`, a categorical one for `tv_complement`, …).
    public func unavailableMetrics(real: RealDataConfig) -> [MetricName: String] {
        TableMetrics.unavailable(schema: Self.schema(of: real), offered: CopulaFamily.metrics(real: real).map(\.name))
            .merging(UtilityMetrics.unavailable(real: real)) { a, _ in a }
    }

    /// The attacks a copula supports (distance, likelihood); `model.dp`'s bounds against
    /// the table's numeric columns and its budget; `epsilon_spent` only with `model.dp`.
    public func configProblem(_ config: ExperimentConfig) -> ConfigError? {
        if let problem = TablePrivacyMetrics.problem(config, likelihood: true) { return problem }
        let dp = config.model.options(as: Options.self).dp
        if let dp, case .failure(let e) = dp.resolvedBounds(Self.schema(of: config.real)!) { return e }
        return DPSettings.problem(dp?.privacy, config)
    }

    public func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner {
        ChainRunners.make(Self.family(config), config: config)
    }

    /// The family of a validated copula config: a file's modelled columns (numbers
    /// and codes, shared with the parsed table) or the distribution.
    public static func family(_ config: ExperimentConfig) -> CopulaFamily {
        let source: CopulaFamily.Source
        if let table = modelledTable(of: config.real) {
            source = .table(table)
        } else {
            source = .distribution(config.real.makeDistribution()!)
        }
        let options = config.model.options(as: Options.self), schema = schema(of: config.real)!
        let dp = options.dp.map { settings in
            CopulaDP(settings: settings,
                     mechanism: CopulaDPMechanism(schema: schema, bounds: settings.validatedBounds(schema), bins: settings.bins,
                                                  scoreBound: settings.scoreBound, rho: settings.privacy.rho),
                     accounting: DPAccounting(settings: settings.privacy, policy: config.policy.rule,
                                              generations: config.generations, samples: config.samples))
        }
        return CopulaFamily(schema: schema, source: source, marginals: options.marginals,
                            temperature: config.sampling.temperature, dp: dp)
    }
}
