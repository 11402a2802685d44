/// One `real.distribution` kind: its config name, keys and parser, registered in
/// ``Registry``.
public protocol RealDataKind: Sendable {
    /// `real.distribution`.
    var name: String { get }
    /// Reads the kind's keys (`distribution` is already read); nil on error. It must
    /// call `reader.finish(allowedKeys:)` with its keys.
    func parse(_ reader: ConfigReader) -> (any RealDataSpec)?
}

/// A parsed real-data section: what families ask of the real data.
public protocol RealDataSpec: Sendable {
    /// `real.distribution`.
    var kind: String { get }
    /// The resolved keys besides `distribution`.
    var jsonEntries: [String: JSONValue] { get }
    /// Dimension of a point (of x for regression data; 1 for categories).
    var dimension: Int { get }
    /// The distribution of a continuous kind (nil for the others).
    func makeDistribution() -> (any RealDistribution)?
    /// Category probabilities of a discrete kind (nil for the others).
    var probabilities: [Double]? { get }
    /// A file's tokens or category rows, which chains draw without replacement (nil
    /// for a distribution).
    var categoryPopulation: CategoryPopulation? { get }
    /// How much a file holds, for the size check (nil for a distribution: unlimited).
    var population: RealPopulation? { get }
    /// Why families of points in ℝ^d cannot fit this data (nil when they can, or when
    /// the kind is not one of theirs).
    var pointsProblem: RealDataProblem? { get }
    /// Why the categorical family cannot fit this data (nil when it can).
    var categoriesProblem: RealDataProblem? { get }
    /// What the manifest records of a file (`real_data`): its path, SHA-256, counts
    /// and column types; nil for a distribution.
    var manifestEntry: JSONValue? { get }
}

extension RealDataSpec {
    public func makeDistribution() -> (any RealDistribution)? { nil }
    public var probabilities: [Double]? { nil }
    public var categoryPopulation: CategoryPopulation? { nil }
    public var population: RealPopulation? { nil }
    public var pointsProblem: RealDataProblem? { nil }
    public var categoriesProblem: RealDataProblem? { nil }
    public var manifestEntry: JSONValue? { nil }
}

/// `real:` — the ground-truth data, with the metrics' view of a continuous
/// distribution (``RealReference``) built once, when the config is read.
public struct RealDataConfig: Equatable, Sendable {
    public let spec: any RealDataSpec
    /// The continuous distribution's reference, or why it cannot be built; nil for
    /// kinds without a distribution.
    let referenceResult: Result<RealReference, RealReference.Problem>?

    public init(_ spec: any RealDataSpec) {
        self.spec = spec
        referenceResult = spec.makeDistribution().map { d in Result { () throws(RealReference.Problem) in try RealReference(d) } }
    }

    /// `real.distribution`.
    public var name: String { spec.kind }
    public var dimension: Int { spec.dimension }
    public var probabilities: [Double]? { spec.probabilities }
    /// False when the real data have no density (a file): the metrics that need one
    /// (``MetricNeeds/realDensity``) are unavailable.
    public var hasDensity: Bool { spec.population == nil }
    /// The continuous distribution (validated configs only).
    public func makeDistribution() -> (any RealDistribution)? { reference?.distribution }
    /// What the metrics need of a continuous distribution (validated configs only).
    public var reference: RealReference? { try? referenceResult?.get() }

    var jsonValue: JSONValue {
        var map = spec.jsonEntries
        map["distribution"] = .string(spec.kind)
        return .map(map)
    }

    public static func == (a: RealDataConfig, b: RealDataConfig) -> Bool { a.jsonValue == b.jsonValue }
}
