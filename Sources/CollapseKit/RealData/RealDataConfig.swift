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
}

extension RealDataSpec {
    public func makeDistribution() -> (any RealDistribution)? { nil }
    public var probabilities: [Double]? { nil }
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
