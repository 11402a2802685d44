/// Everything the config reader, the theory and the runner need to know about a model
/// family, declared in the family's own folder and listed once in ``Registry``. Nothing
/// outside a family's files switches over families.
public protocol FamilyDescriptor: Sendable {
    /// The family type whose chains this descriptor builds.
    associatedtype Family: GenerativeFamily
    /// `model.family`.
    var name: String { get }
    /// The family's `model:` keys besides `family`.
    var keys: [String] { get }
    /// The `real.distribution` kinds it can be fitted to.
    var realKinds: [String] { get }
    /// The `sampling:` keys it accepts besides `temperature` (written into the resolved
    /// config for this family).
    var samplingKeys: [String] { get }
    /// True when its chains can draw exact sufficient statistics (`sampler: statistics`).
    var hasExactStatistics: Bool { get }
    /// The metrics that say most about collapse in this family, most important first:
    /// the report draws them first (the others follow by name).
    var primaryMetrics: [MetricName] { get }

    /// Reads the family's `model:` keys (errors go to `reader`); nil on error.
    func parse(_ reader: ConfigReader) -> (any FamilyOptions)?
    /// The smallest training set it can fit in dimension d, and why (for the message).
    func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String)
    /// Bytes one point of the family's data takes in memory (default 8d: d doubles),
    /// for ``MemoryEstimate``.
    func bytesPerPoint(dimension d: Int) -> Int
    /// The metrics available with this real data (the default `metrics:`), with their
    /// needs; by default the family's own list (``GenerativeFamily/metrics(real:)``)
    /// without those this real data cannot serve (``unavailableMetrics(real:)``).
    func metrics(real: RealDataConfig) -> [MetricInfo]
    /// The family's metrics this real data cannot serve, each with why (for the error
    /// when a config asks for one).
    func unavailableMetrics(real: RealDataConfig) -> [MetricName: String]
    /// Why this family cannot fit this real data of one of its kinds (a table's
    /// categorical column for a family of points, say), or nil.
    func realDataProblem(_ real: RealDataConfig) -> RealDataProblem?
    /// What a file offers this family's size check, in the family's own observations
    /// (by default the real data's: rows, or a corpus's tokens; the n-gram family counts
    /// documents); nil for a distribution.
    func population(of real: RealDataConfig) -> RealPopulation?
    /// A fault of the family's parsed keys together with the real data (an external
    /// generator's `data` that does not match `real.distribution`), or nil.
    func configProblem(options: any FamilyOptions, real: RealDataConfig) -> ConfigError?
    /// A fault of a whole resolved config that only this family can judge (a DP budget
    /// the policy exceeds), or nil; checked after every other rule. Nil by default.
    func configProblem(_ config: ExperimentConfig) -> ConfigError?
    /// Why this family's chains must carry `options`' training sets as points, neither
    /// exact nor streamed statistics (a DP fit clips every point), or nil. Nil by default.
    func statisticsProblem(options: any FamilyOptions) -> String?
    /// True when its metrics read the real distribution's ``RealReference`` (moments,
    /// quantiles), which must then exist: a file whose covariance is singular (a
    /// constant column) is an error. By default true.
    func needsRealReference(_ real: RealDataConfig) -> Bool
    /// Closed-form E[metric_t] curves for this config (empty where none is known).
    func theory(_ config: ExperimentConfig) -> [TheoryCurve]
    /// Gets a validated config of this family ready to run, before any chain starts
    /// (an external generator: start the program and check its `hello`); throws what
    /// stops the run. Nothing to do by default.
    func prepare(_ config: ExperimentConfig) throws
    /// What `manifest.json` records of this family beyond its config (`generators`:
    /// an external program's name and version); nil by default.
    func manifestEntry(_ config: ExperimentConfig) -> JSONValue?
    /// True when its chains can stop with `generator_failed` (an external program): a
    /// shard's run then reads its chains' events back to report them. False by default.
    var canFailInGenerator: Bool { get }
    /// The chain runner of a validated config of this family (``ChainRunners``).
    func makeRunner(_ config: ExperimentConfig) -> AnyChainRunner
}

extension FamilyDescriptor {
    public var samplingKeys: [String] { [] }
    public var hasExactStatistics: Bool { false }
    public var primaryMetrics: [MetricName] { [] }
    public func bytesPerPoint(dimension d: Int) -> Int { 8 * d }
    public func theory(_ config: ExperimentConfig) -> [TheoryCurve] { [] }
    public func population(of real: RealDataConfig) -> RealPopulation? { real.spec.population }
    public func configProblem(options: any FamilyOptions, real: RealDataConfig) -> ConfigError? { nil }
    public func configProblem(_ config: ExperimentConfig) -> ConfigError? { nil }
    public func statisticsProblem(options: any FamilyOptions) -> String? { nil }
    public func needsRealReference(_ real: RealDataConfig) -> Bool { true }
    public func prepare(_ config: ExperimentConfig) throws {}
    public func manifestEntry(_ config: ExperimentConfig) -> JSONValue? { nil }
    public var canFailInGenerator: Bool { false }
    public func metrics(real: RealDataConfig) -> [MetricInfo] {
        let unavailable = unavailableMetrics(real: real)
        return Family.metrics(real: real).map(\.info).filter { unavailable[$0.name] == nil }
    }

    public func unavailableMetrics(real: RealDataConfig) -> [MetricName: String] {
        guard !real.hasDensity else { return [:] }
        var out: [MetricName: String] = [:]
        for m in Family.metrics(real: real) where m.needs.contains(.realDensity) {
            out[m.name] = "\(m.name.rawValue) needs the real distribution's density, and real.distribution \(real.name) (a file's empirical distribution) has none"
        }
        return out
    }

    public func realDataProblem(_ real: RealDataConfig) -> RealDataProblem? { nil }
}

/// What the families of points in ℝ^d share: they fit the continuous real kinds and need
/// d + 1 points for a full covariance.
extension FamilyDescriptor where Family: ContinuousFamily {
    public var realKinds: [String] { ["normal", "student_t", "mixture", "table"] }

    public func realDataProblem(_ real: RealDataConfig) -> RealDataProblem? { real.spec.pointsProblem }

    public func minimumTrainingSize(dimension d: Int) -> (size: Int, reason: String) {
        (d + 1, "(dimension + 1) to fit a full covariance in dimension \(d)")
    }
}

/// A family's parsed `model:` keys.
public protocol FamilyOptions: Sendable {
    /// The resolved keys besides `family`, with every default explicit.
    var jsonEntries: [String: JSONValue] { get }
    /// Keys of ``jsonEntries`` left out of `config_hash` because they cannot change a
    /// value (an external generator's `timeout`); none by default.
    var unhashedKeys: Set<String> { get }
}

extension FamilyOptions {
    public var unhashedKeys: Set<String> { [] }
}

/// `model:` — the family (its descriptor) and its parsed options.
public struct ModelConfig: Equatable, Sendable {
    public let descriptor: any FamilyDescriptor
    public let options: any FamilyOptions

    public init(descriptor: any FamilyDescriptor, options: any FamilyOptions) {
        self.descriptor = descriptor
        self.options = options
    }

    /// `model.family`.
    public var family: String { descriptor.name }

    /// The options as the family's own type (a family's files know theirs).
    public func options<T: FamilyOptions>(as type: T.Type) -> T {
        guard let o = options as? T else { preconditionFailure("model.family \(family) has options \(Swift.type(of: options))") }
        return o
    }

    var jsonValue: JSONValue {
        var map = options.jsonEntries
        map["family"] = .string(family)
        return .map(map)
    }

    public static func == (a: ModelConfig, b: ModelConfig) -> Bool { a.jsonValue == b.jsonValue }
}

extension Experiment {
    /// Gets every cell's family ready (``FamilyDescriptor/prepare(_:)``) before any chain
    /// starts: an external generator is started and greeted. Throws the first failure.
    public func prepareFamilies() throws {
        for cell in cells { try cell.config.model.descriptor.prepare(cell.config) }
    }
}
